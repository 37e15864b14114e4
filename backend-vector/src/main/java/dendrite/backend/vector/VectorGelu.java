package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The exact GELU, {@code x Phi(x)}, and its derivative {@code Phi(x) + x phi(x)}, in float: vector
 * loops over whole vectors and a scalar twin for the last elements that gives the same bits lane
 * for lane (built, like {@link VectorMath#exp}, from IEEE operations alone, so the results do not
 * depend on when the JIT compiles them).
 *
 * <p>Phi, the normal distribution function, comes from its smaller tail {@code h = erfc(|x| / sqrt 2) / 2}:
 * {@code h} for negative x, {@code 1 - h} otherwise. The textbook {@code 0.5 (1 + erf(x / sqrt 2))}
 * cancels for very negative x, where Phi is tiny but y and the derivative still deserve their
 * relative precision.
 *
 * <p>erfc is Numerical Recipes' {@code erfcc} (Press et al., 2nd ed., 6.2):
 * {@code t exp(-z^2 + P(t))} with {@code t = 1 / (1 + z / 2)} and P of degree 9, whose fractional
 * error the book bounds by 1.2e-7 for every z >= 0, about float's own rounding: one exp, one
 * division and a polynomial, where a library erfc would select between several ranges. Its
 * {@code -z^2} is {@code -x^2 / 2}, made from x itself, so no rounding of {@code x / sqrt 2} is
 * squared into the exponent; the derivative's {@code phi(x) = e^(-x^2/2) / sqrt(2 pi)} uses the
 * same {@code -x^2 / 2}.
 *
 * <p>Why in passes over blocks of a scratch array, each pass its own small loop: C2 inlines a
 * helper only while the method it compiles is below a size in IR nodes, and a vector passed to a
 * helper it did not inline is boxed. One loop holding the polynomial and exp (and the backward
 * pass's second exp) went past that size, a helper inside exp stayed a call, and every vector was
 * boxed: an allocation per vector and a kernel many times slower than the tanh form's. Each pass
 * here is about the size of the sigmoid kernel: the exponent {@code P(t) - x^2/2}; Phi from it
 * (one exp); then y, or the derivative (the other exp). The block stays in the L1 cache between
 * passes, and values stored in a float array are the same floats, so the bits do not change.
 */
final class VectorGelu {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    /** 1 / (2 sqrt 2): t's denominator is 1 + |x| / (2 sqrt 2) = 1 + z / 2. */
    private static final float HALF_SQRT1_2 = (float) (0.5 / Math.sqrt(2.0));
    /** 1 / sqrt(2 pi), the standard normal density at 0. */
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    /** erfcc's polynomial P(t), from the constant term up. */
    private static final float P0 = -1.26551223f;
    private static final float P1 = 1.00002368f;
    private static final float P2 = 0.37409196f;
    private static final float P3 = 0.09678418f;
    private static final float P4 = -0.18628806f;
    private static final float P5 = 0.27886807f;
    private static final float P6 = -1.13520398f;
    private static final float P7 = 1.48851587f;
    private static final float P8 = -0.82215223f;
    private static final float P9 = 0.17087277f;

    private VectorGelu() {
    }

    /** {@code out[i] = x[i] Phi(x[i])} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                exponents(len, x, xOff + b, s);
                normalCdf(len, x, xOff + b, s);
                times(len, x, xOff + b, s, out, outOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = gelu(x[xOff + i]);
        }
    }

    /**
     * {@code dx[i] = dy[i] (Phi(x[i]) + x[i] phi(x[i]))} for n elements, the sum with one rounding
     * where the CPU fuses multiply-add; dx may be dy.
     */
    static void backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                exponents(len, x, xOff + b, s);
                normalCdf(len, x, xOff + b, s);
                derivatives(len, x, xOff + b, s, dy, dyOff + b, dx, dxOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * geluGrad(x[xOff + i]);
        }
    }

    /** {@code s[j] = P(t) - x^2 / 2} for x = x[xOff + j], j < len (a multiple of the vector length). */
    private static void exponents(int len, float[] x, int xOff, float[] s) {
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            FloatVector t = FloatVector.broadcast(F, 1f).div(v.abs().mul(HALF_SQRT1_2).add(1f));
            // fma written out, not through a helper: a vector passed to a method C2 leaves out of line is boxed
            FloatVector p = Simd.FMA ? t.fma(FloatVector.broadcast(F, P9), FloatVector.broadcast(F, P8)) : t.mul(P9).add(P8);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P7)) : p.mul(t).add(P7);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P6)) : p.mul(t).add(P6);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P5)) : p.mul(t).add(P5);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P4)) : p.mul(t).add(P4);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P3)) : p.mul(t).add(P3);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P2)) : p.mul(t).add(P2);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P1)) : p.mul(t).add(P1);
            p = Simd.FMA ? p.fma(t, FloatVector.broadcast(F, P0)) : p.mul(t).add(P0);
            p.add(v.mul(v).mul(-0.5f)).intoArray(s, j);
        }
    }

    /** {@code s[j] = Phi(x)} from the exponent in {@code s[j]}: h = t e^s / 2, then h or 1 - h. */
    private static void normalCdf(int len, float[] x, int xOff, float[] s) {
        VectorMath.exp(s, 0, 1f, 0f, s, 0, len);                   // e^s in place: an array pass, no vector call
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            FloatVector t = FloatVector.broadcast(F, 1f).div(v.abs().mul(HALF_SQRT1_2).add(1f));
            FloatVector h = t.mul(FloatVector.fromArray(F, s, j)).mul(0.5f);
            FloatVector.broadcast(F, 1f).sub(h).blend(h, v.compare(VectorOperators.LT, 0f)).intoArray(s, j);
        }
    }

    /** {@code out = x Phi(x)} with Phi in {@code s}. */
    private static void times(int len, float[] x, int xOff, float[] s, float[] out, int outOff) {
        for (int j = 0; j < len; j += L) {
            FloatVector.fromArray(F, x, xOff + j).mul(FloatVector.fromArray(F, s, j)).intoArray(out, outOff + j);
        }
    }

    /** {@code dx = dy (x phi(x) + Phi(x))} with Phi in {@code s}. */
    private static void derivatives(int len, float[] x, int xOff, float[] s, float[] dy, int dyOff, float[] dx,
            int dxOff) {
        float[] q = ScratchBlocks.second();   // the density's exponential
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            v.mul(v).mul(-0.5f).intoArray(q, j);
        }
        VectorMath.exp(q, 0, 1f, 0f, q, 0, len);
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            FloatVector phi = FloatVector.fromArray(F, q, j).mul(INV_SQRT_2PI);
            FloatVector c = FloatVector.fromArray(F, s, j);
            FloatVector d = Simd.FMA ? v.fma(phi, c) : v.mul(phi).add(c);
            FloatVector.fromArray(F, dy, dyOff + j).mul(d).intoArray(dx, dxOff + j);
        }
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float gelu(float x) {
        return x * normalCdf(x);
    }

    /** One element's derivative in {@link #backward}: the passes' operations in the same order. */
    static float geluGrad(float x) {
        float phi = VectorMath.exp(x * x * -0.5f) * INV_SQRT_2PI;
        return VectorMath.mulAdd(x, phi, normalCdf(x));
    }

    /** Phi(x) as {@link #exponents} and {@link #normalCdf(int, float[], int, float[])} compute it. */
    private static float normalCdf(float x) {
        float t = 1f / (Math.abs(x) * HALF_SQRT1_2 + 1f);
        float p = VectorMath.mulAdd(t, P9, P8);
        p = VectorMath.mulAdd(p, t, P7);
        p = VectorMath.mulAdd(p, t, P6);
        p = VectorMath.mulAdd(p, t, P5);
        p = VectorMath.mulAdd(p, t, P4);
        p = VectorMath.mulAdd(p, t, P3);
        p = VectorMath.mulAdd(p, t, P2);
        p = VectorMath.mulAdd(p, t, P1);
        p = VectorMath.mulAdd(p, t, P0);
        float h = t * VectorMath.exp(p + x * x * -0.5f) * 0.5f;
        return x < 0f ? h : 1f - h;
    }
}
