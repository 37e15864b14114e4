package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * softplus, {@code ln(1 + e^x)}, and its derivative from the output, {@code 1 - e^-y}, in float,
 * built like {@link VectorGelu} from IEEE operations and {@link VectorMath#exp}: vector passes over
 * blocks of a scratch array and a scalar twin for the last elements with the same bits lane for lane,
 * so a run's results do not depend on when the JIT compiles the kernels. (The Vector API's
 * {@code LOG1P} and {@code EXPM1} are SVML once C2 has compiled the caller and {@code Math} before,
 * which differ in the last bit for some inputs.)
 *
 * <p>Forward: {@code max(x, 0) + log1p(u)} with {@code u = e^-|x|} in (0, 1], which never overflows.
 * log1p(u) is Cephes' logf of {@code w = 1 + u} (w or w / 2 so that its mantissa m lies in
 * [sqrt(1/2), sqrt 2], then {@code f = m - 1}, exact, and {@code f - f^2/2 + f^3 P(f)}) plus
 * {@code c / w}, where {@code c = u - (w - 1)} is exactly what rounding 1 + u lost: so tiny u keep
 * their precision (log1p(u) = u where 1 + u rounds to 1).
 *
 * <p>Backward: {@code 1 - e^-y}, which cancels for small y; below y = 0.5 it is the series
 * {@code y - y^2/2 + ... - y^10/10!} instead, and from 0.5 on, e^-y is at most 0.61 and the
 * subtraction loses at most a bit. Both within 2 ulp of the double-precision reference
 * ({@code VectorMathTest}).
 */
final class VectorSoftplus {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    // Cephes' logf, as VectorLog has it
    private static final float SQRT2 = VectorLog.SQRT2;
    private static final float LN2_HI = VectorLog.LN2_HI;
    private static final float LN2_LO = VectorLog.LN2_LO;
    private static final float L0 = VectorLog.L0;
    private static final float L1 = VectorLog.L1;
    private static final float L2 = VectorLog.L2;
    private static final float L3 = VectorLog.L3;
    private static final float L4 = VectorLog.L4;
    private static final float L5 = VectorLog.L5;
    private static final float L6 = VectorLog.L6;
    private static final float L7 = VectorLog.L7;
    private static final float L8 = VectorLog.L8;
    /** Below this y the derivative is the series, from it 1 - e^-y. */
    private static final float SERIES_BELOW = 0.5f;
    /** 1 - e^-y = y (1 + y (S1 + y (S2 + ... + y S9))): S_k = (-1)^k / (k + 1)!. */
    private static final float S1 = -1f / 2;
    private static final float S2 = 1f / 6;
    private static final float S3 = -1f / 24;
    private static final float S4 = 1f / 120;
    private static final float S5 = -1f / 720;
    private static final float S6 = 1f / 5040;
    private static final float S7 = -1f / 40320;
    private static final float S8 = 1f / 362880;
    private static final float S9 = -1f / 3628800;

    private VectorSoftplus() {
    }

    /** {@code out[i] = ln(1 + e^x[i])} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                for (int j = 0; j < len; j += L) {
                    FloatVector.fromArray(F, x, xOff + b + j).abs().neg().intoArray(s, j);
                }
                VectorMath.exp(s, 0, 1f, 0f, s, 0, len);             // u = e^-|x| in place
                fromExp(len, x, xOff + b, s, out, outOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = softplus(x[xOff + i]);
        }
    }

    /** {@code out = max(x, 0) + log1p(u)} for len elements (a multiple of the vector length), u in s. */
    private static void fromExp(int len, float[] x, int xOff, float[] s, float[] out, int outOff) {
        for (int j = 0; j < len; j += L) {
            FloatVector u = FloatVector.fromArray(F, s, j);
            FloatVector w = u.add(1f);
            FloatVector c = u.sub(w.sub(1f));
            VectorMask<Float> halve = w.compare(VectorOperators.GT, SQRT2);
            FloatVector k = FloatVector.zero(F).blend(FloatVector.broadcast(F, 1f), halve);
            FloatVector f = w.blend(w.mul(0.5f), halve).sub(1f);
            FloatVector z = f.mul(f);
            // fma written out, not through a helper: a vector passed to a method C2 leaves out of line is boxed
            FloatVector p = Simd.FMA ? f.fma(FloatVector.broadcast(F, L0), FloatVector.broadcast(F, L1))
                    : f.mul(L0).add(L1);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L2)) : p.mul(f).add(L2);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L3)) : p.mul(f).add(L3);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L4)) : p.mul(f).add(L4);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L5)) : p.mul(f).add(L5);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L6)) : p.mul(f).add(L6);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L7)) : p.mul(f).add(L7);
            p = Simd.FMA ? p.fma(f, FloatVector.broadcast(F, L8)) : p.mul(f).add(L8);
            FloatVector r = p.mul(f).mul(z).add(k.mul(LN2_LO));
            r = Simd.FMA ? z.fma(FloatVector.broadcast(F, -0.5f), r) : z.mul(-0.5f).add(r);
            r = r.add(c.div(w));
            FloatVector log1p = f.add(r).add(k.mul(LN2_HI));
            FloatVector.fromArray(F, x, xOff + j).max(0f).add(log1p).intoArray(out, outOff + j);
        }
    }

    /**
     * {@code dx[i] = dy[i] (1 - e^-y[i])} for n elements, y the forward output (the derivative is
     * sigmoid(x), which is 1 - e^-y); dx may be dy.
     */
    static void backward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                for (int j = 0; j < len; j += L) {
                    FloatVector.fromArray(F, y, yOff + b + j).neg().intoArray(s, j);
                }
                VectorMath.exp(s, 0, 1f, 0f, s, 0, len);             // e^-y in place
                gradients(len, y, yOff + b, s, dy, dyOff + b, dx, dxOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * derivative(y[yOff + i]);
        }
    }

    /** {@code dx = dy (1 - e^-y)}, with e^-y in s, or the series for small y. */
    private static void gradients(int len, float[] y, int yOff, float[] s, float[] dy, int dyOff, float[] dx,
            int dxOff) {
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, y, yOff + j);
            FloatVector p = Simd.FMA ? v.fma(FloatVector.broadcast(F, S9), FloatVector.broadcast(F, S8))
                    : v.mul(S9).add(S8);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S7)) : p.mul(v).add(S7);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S6)) : p.mul(v).add(S6);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S5)) : p.mul(v).add(S5);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S4)) : p.mul(v).add(S4);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S3)) : p.mul(v).add(S3);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S2)) : p.mul(v).add(S2);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, S1)) : p.mul(v).add(S1);
            FloatVector series = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, 1f)).mul(v) : p.mul(v).add(1f).mul(v);
            FloatVector d = FloatVector.broadcast(F, 1f).sub(FloatVector.fromArray(F, s, j));
            FloatVector.fromArray(F, dy, dyOff + j).mul(d.blend(series, v.compare(VectorOperators.LT, SERIES_BELOW)))
                    .intoArray(dx, dxOff + j);
        }
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float softplus(float x) {
        float u = VectorMath.exp(-Math.abs(x));
        float w = u + 1f;
        float c = u - (w - 1f);
        boolean halve = w > SQRT2;
        float k = halve ? 1f : 0f;
        float f = (halve ? w * 0.5f : w) - 1f;
        float z = f * f;
        float p = VectorMath.mulAdd(f, L0, L1);
        p = VectorMath.mulAdd(p, f, L2);
        p = VectorMath.mulAdd(p, f, L3);
        p = VectorMath.mulAdd(p, f, L4);
        p = VectorMath.mulAdd(p, f, L5);
        p = VectorMath.mulAdd(p, f, L6);
        p = VectorMath.mulAdd(p, f, L7);
        p = VectorMath.mulAdd(p, f, L8);
        float r = p * f * z + k * LN2_LO;
        r = VectorMath.mulAdd(z, -0.5f, r);
        r = r + c / w;
        float log1p = f + r + k * LN2_HI;
        return Math.max(x, 0f) + log1p;
    }

    /** One element's derivative in {@link #backward}, from the output y: the same operations. */
    static float derivative(float y) {
        if (y < SERIES_BELOW) {
            float p = VectorMath.mulAdd(y, S9, S8);
            p = VectorMath.mulAdd(p, y, S7);
            p = VectorMath.mulAdd(p, y, S6);
            p = VectorMath.mulAdd(p, y, S5);
            p = VectorMath.mulAdd(p, y, S4);
            p = VectorMath.mulAdd(p, y, S3);
            p = VectorMath.mulAdd(p, y, S2);
            p = VectorMath.mulAdd(p, y, S1);
            return VectorMath.mulAdd(p, y, 1f) * y;
        }
        return 1f - VectorMath.exp(-y);
    }
}
