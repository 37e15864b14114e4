package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Mish, {@code x tanh(softplus(x))}, and its derivative {@code q + x s (1 - q^2)} with
 * {@code q = tanh(softplus(x))} and {@code s = sigmoid(x)}, built like {@link VectorSoftplus} from IEEE
 * operations and {@link VectorMath#exp}, in vector passes over blocks of a scratch array and a scalar
 * twin for the last elements with the same bits lane for lane.
 *
 * <p>No tanh or log is needed: with {@code t = e^-|x|} (at most 1, so nothing overflows),
 * {@code q = tanh(ln(1 + e^x)) = n / d} where, for x at least 0, {@code n = 1 + 2t} and
 * {@code d = n + 2t^2}, and below 0, {@code n = t (t + 2)} and {@code d = n + 2}. Then
 * {@code 1 - q^2 = (d - n)(d + n) / d^2}, with {@code d - n} the 2t^2 or 2 just added: free of the
 * cancellation of {@code 1 - q^2} where q nears 1. The sigmoid is {@code 1 / (1 + t)} or
 * {@code t / (1 + t)}. Every lane computes both sides and a blend keeps one. At -inf y is -inf times 0,
 * NaN, and the derivative is NaN at both infinities, as PyTorch's formulas give them. Below about -87,
 * t is a subnormal float and y keeps only its few bits, as PyTorch's float kernel does.
 */
final class VectorMish {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    private VectorMish() {
    }

    /** {@code out[i] = x[i] tanh(softplus(x[i]))} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                expOfMinusAbs(len, x, xOff + b, s);
                for (int j = 0; j < len; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + j);
                    FloatVector t = FloatVector.fromArray(F, s, j);
                    VectorMask<Float> up = v.compare(VectorOperators.GE, 0f);
                    FloatVector t2 = t.add(t);
                    FloatVector num = (Simd.FMA ? t.fma(t, t2) : t.mul(t).add(t2)).blend(t2.add(1f), up);
                    FloatVector den = num.add(2f).blend(Simd.FMA ? t2.fma(t, num) : t2.mul(t).add(num), up);
                    v.mul(num.div(den)).intoArray(out, outOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = mish(x[xOff + i]);
        }
    }

    /** {@code dx[i] = dy[i] (q + x s (1 - q^2))} at x[i]; dx may be dy. */
    static void backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                expOfMinusAbs(len, x, xOff + b, s);
                for (int j = 0; j < len; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + j);
                    FloatVector t = FloatVector.fromArray(F, s, j);
                    VectorMask<Float> up = v.compare(VectorOperators.GE, 0f);
                    FloatVector t2 = t.add(t);
                    FloatVector num = (Simd.FMA ? t.fma(t, t2) : t.mul(t).add(t2)).blend(t2.add(1f), up);
                    FloatVector den = num.add(2f).blend(Simd.FMA ? t2.fma(t, num) : t2.mul(t).add(num), up);
                    FloatVector gap = FloatVector.broadcast(F, 2f).blend(t2.mul(t), up);              // d - n
                    FloatVector sig = t.blend(1f, up).div(t.add(1f));
                    FloatVector g = gap.mul(den.add(num)).div(den.mul(den));                        // 1 - q^2
                    FloatVector d = num.div(den).add(v.mul(sig).mul(g));
                    FloatVector.fromArray(F, dy, dyOff + b + j).mul(d).intoArray(dx, dxOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * derivative(x[xOff + i]);
        }
    }

    /** {@code s[j] = e^-|x[j]|} for len elements (a multiple of the vector length). */
    private static void expOfMinusAbs(int len, float[] x, int xOff, float[] s) {
        for (int j = 0; j < len; j += L) {
            FloatVector.fromArray(F, x, xOff + j).abs().neg().intoArray(s, j);
        }
        VectorMath.exp(s, 0, 1f, 0f, s, 0, len);
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float mish(float x) {
        float t = VectorMath.exp(-Math.abs(x) * 1f + 0f);
        float t2 = t + t;
        boolean up = x >= 0f;
        float num = up ? t2 + 1f : VectorMath.mulAdd(t, t, t2);
        float den = up ? VectorMath.mulAdd(t2, t, num) : num + 2f;
        return x * (num / den);
    }

    /** One element's derivative in {@link #backward}: the same operations. */
    static float derivative(float x) {
        float t = VectorMath.exp(-Math.abs(x) * 1f + 0f);
        float t2 = t + t;
        boolean up = x >= 0f;
        float num = up ? t2 + 1f : VectorMath.mulAdd(t, t, t2);
        float den = up ? VectorMath.mulAdd(t2, t, num) : num + 2f;
        float gap = up ? t2 * t : 2f;
        float sig = (up ? 1f : t) / (t + 1f);
        float g = gap * (den + num) / (den * den);
        return num / den + x * sig * g;
    }
}
