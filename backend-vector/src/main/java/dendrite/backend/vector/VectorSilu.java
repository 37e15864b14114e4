package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * SiLU, {@code x / (1 + e^-x)}, and its derivative {@code s (1 + x (1 - s))} with
 * {@code s = 1 / (1 + e^-x)}: PyTorch's formulas, built like {@link VectorSoftplus} from IEEE
 * operations and {@link VectorMath#exp}, in vector passes over blocks of a scratch array (the output
 * may be the input, so e^-x cannot wait in it) and a scalar twin for the last elements with the same
 * bits lane for lane, so a run's results do not depend on when the JIT compiles the kernels.
 *
 * <p>For x below about -88, e^-x overflows to infinity: y is -0 and the derivative 0, the values'
 * limits. At the infinities both formulas multiply an infinity by 0 and give NaN, as PyTorch's do.
 * No fused multiply-add: the scalar reference rounds each operation, and so do these.
 */
final class VectorSilu {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    private VectorSilu() {
    }

    /** {@code out[i] = x[i] / (1 + e^-x[i])} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                VectorMath.exp(x, xOff + b, -1f, 0f, s, 0, len);             // e^-x
                for (int j = 0; j < len; j += L) {
                    FloatVector.fromArray(F, x, xOff + b + j).div(FloatVector.fromArray(F, s, j).add(1f))
                            .intoArray(out, outOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = silu(x[xOff + i]);
        }
    }

    /** {@code dx[i] = dy[i] s (1 + x[i] (1 - s))}, s the sigmoid of x[i]; dx may be dy. */
    static void backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                VectorMath.exp(x, xOff + b, -1f, 0f, s, 0, len);             // e^-x
                for (int j = 0; j < len; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + j);
                    FloatVector sig = FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, s, j).add(1f));
                    FloatVector d = sig.mul(v.mul(FloatVector.broadcast(F, 1f).sub(sig)).add(1f));
                    FloatVector.fromArray(F, dy, dyOff + b + j).mul(d).intoArray(dx, dxOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * derivative(x[xOff + i]);
        }
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float silu(float x) {
        return x / (VectorMath.exp(x * -1f + 0f) + 1f);
    }

    /** One element's derivative in {@link #backward}: the same operations. */
    static float derivative(float x) {
        float s = 1f / (VectorMath.exp(x * -1f + 0f) + 1f);
        return s * (x * (1f - s) + 1f);
    }
}
