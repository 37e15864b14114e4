package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Hard swish, {@code x min(max(x + 3, 0), 6) / 6}, and its derivative {@code 0} below -3,
 * {@code x / 3 + 1/2} up to 3 and {@code 1} above, in float as PyTorch's CPU kernel writes them, a
 * vector at a time, the tail with the same operations on single floats, which need no mask. Only IEEE operations (max and min propagate NaN, as
 * {@link Math#max}), so the interpreter and C2 give the same bits without a scalar twin. At the kinks
 * the derivative is the line's, -1/2 at -3 and 3/2 at 3, as in PyTorch's scalar and CUDA kernels; NaN
 * stays NaN because the two blends test {@code x < -3} and {@code x > 3}, false for NaN.
 */
final class VectorHardswish {
    private VectorHardswish() {
    }

    /** {@code out[i] = x[i] min(max(x[i] + 3, 0), 6) / 6} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(v.add(3f).max(0f).min(6f)).div(6f).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {                                  // the lanes' operations, one at a time
            float v = x[xOff + i];
            out[outOff + i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
        }
    }

    /** {@code dx[i] = dy[i] (x < -3 ? 0 : x > 3 ? 1 : x / 3 + 1/2)} at x[i]; dx may be dy. */
    static void backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            FloatVector d = v.div(3f).add(0.5f).blend(0f, v.compare(VectorOperators.LT, -3f))
                    .blend(1f, v.compare(VectorOperators.GT, 3f));
            FloatVector.fromArray(F, dy, dyOff + i).mul(d).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            float d = v < -3f ? 0f : v > 3f ? 1f : v / 3f + 0.5f;
            dx[dxOff + i] = dy[dyOff + i] * d;
        }
    }
}
