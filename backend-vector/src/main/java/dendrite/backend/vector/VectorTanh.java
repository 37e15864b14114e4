package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * tanh in float, built like {@link VectorGelu} from IEEE operations and {@link VectorMath#exp}: vector
 * passes over blocks of a scratch array and a scalar twin for the last elements that gives the same
 * bits lane for lane, so a run's results do not depend on when the JIT compiles the kernel. (The
 * Vector API's own {@code TANH} is SVML once C2 has compiled the caller and {@code Math.tanh} before,
 * and the two differ in the last bit for some inputs.)
 *
 * <p>Cephes' tanhf on |x|, the sign put back after: below |x| = 0.625 the polynomial
 * {@code |x| + |x| z P(z)} with {@code z = x^2}; from there {@code 1 - 2t / (1 + t)} with
 * {@code t = e^(-2|x|)}, whose 2t / (1 + t) is at most 0.45, so the subtraction cancels nothing. Both
 * are computed for every lane and a blend keeps one. Within 2 ulp of {@code Math.tanh} and odd
 * exactly ({@code VectorMathTest}).
 *
 * <p>Why passes (e^(-2|x|) into the scratch block, then the rest): see {@link VectorGelu}; one loop
 * holding exp and the polynomial is the size at which C2 stopped inlining and boxed vectors.
 */
final class VectorTanh {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    private static final int SIGN = 0x80000000;
    /** Below this |x| the polynomial, from it the form through e^(-2|x|). */
    private static final float SPLIT = 0.625f;
    /** P(z), from the highest power down (Cephes' tanhf). */
    private static final float P0 = -5.70498872745e-3f;
    private static final float P1 = 2.06390887954e-2f;
    private static final float P2 = -5.37397155531e-2f;
    private static final float P3 = 1.33314422036e-1f;
    private static final float P4 = -3.33332819422e-1f;

    private VectorTanh() {
    }

    /** {@code out[i] = tanh(x[i])} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                for (int j = 0; j < len; j += L) {
                    FloatVector.fromArray(F, x, xOff + b + j).abs().mul(-2f).intoArray(s, j);
                }
                VectorMath.exp(s, 0, 1f, 0f, s, 0, len);             // e^(-2|x|) in place
                fromExp(len, x, xOff + b, s, out, outOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = tanh(x[xOff + i]);
        }
    }

    /** {@code out = tanh x} for len elements (a multiple of the vector length), with e^(-2|x|) in s. */
    private static void fromExp(int len, float[] x, int xOff, float[] s, float[] out, int outOff) {
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            FloatVector a = v.abs();
            FloatVector t = FloatVector.fromArray(F, s, j);
            FloatVector far = FloatVector.broadcast(F, 1f).sub(t.add(t).div(t.add(1f)));
            FloatVector z = a.mul(a);
            // fma written out, not through a helper: a vector passed to a method C2 leaves out of line is boxed
            FloatVector p = Simd.FMA ? z.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1))
                    : z.mul(P0).add(P1);
            p = Simd.FMA ? p.fma(z, FloatVector.broadcast(F, P2)) : p.mul(z).add(P2);
            p = Simd.FMA ? p.fma(z, FloatVector.broadcast(F, P3)) : p.mul(z).add(P3);
            p = Simd.FMA ? p.fma(z, FloatVector.broadcast(F, P4)) : p.mul(z).add(P4);
            FloatVector near = Simd.FMA ? p.mul(z).fma(a, a) : p.mul(z).mul(a).add(a);
            near.blend(far, a.compare(VectorOperators.GE, SPLIT)).reinterpretAsInts()
                    .or(v.reinterpretAsInts().and(SIGN)).reinterpretAsFloats().intoArray(out, outOff + j);
        }
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float tanh(float x) {
        float a = Math.abs(x);
        float y;
        if (a >= SPLIT) {
            float t = VectorMath.exp(a * -2f);
            y = 1f - (t + t) / (t + 1f);
        } else {
            float z = a * a;
            float p = VectorMath.mulAdd(z, P0, P1);
            p = VectorMath.mulAdd(p, z, P2);
            p = VectorMath.mulAdd(p, z, P3);
            p = VectorMath.mulAdd(p, z, P4);
            y = VectorMath.mulAdd(p * z, a, a);
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) | (Float.floatToRawIntBits(x) & SIGN));
    }
}
