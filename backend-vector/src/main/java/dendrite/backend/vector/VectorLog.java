package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The natural logarithm in float (the LOG op), built like {@link VectorMath#exp} from IEEE operations:
 * a vector loop and a scalar twin for the last elements with the same bits lane for lane, so results
 * do not depend on when the JIT compiles the kernel. (The Vector API's {@code LOG} is SVML once C2 has
 * compiled the caller and {@code Math.log} before, which differ in the last bit for some inputs;
 * binary cross-entropy's loss value came from it.)
 *
 * <p>Cephes' logf: x = 2^e m with m in [sqrt(1/2), sqrt 2] (from the float's bits; a subnormal x is
 * first scaled by 2^23), f = m - 1 (exact), and ln x = e ln 2 + f - f^2/2 + f^3 P(f), with ln 2 in two
 * parts so that e ln 2 loses nothing. Within 1 ulp of {@code Math.log} on every 61st float
 * ({@code VectorLogTest}); ln 0 = -infinity, ln of a negative number or NaN is NaN, ln infinity = infinity.
 */
final class VectorLog {
    static final float SQRT2 = 1.41421356f;
    private static final float MIN_NORMAL = Float.MIN_NORMAL;
    /** 2^23: a subnormal times this is normal, exactly. */
    private static final float TWO_23 = 8388608f;
    /** ln 2 in two parts, as Cephes adds them: the high part times the exponent is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** logf's P(f), from the highest power down (Cephes). */
    static final float L0 = 7.0376836292e-2f;
    static final float L1 = -1.1514610310e-1f;
    static final float L2 = 1.1676998740e-1f;
    static final float L3 = -1.2420140846e-1f;
    static final float L4 = 1.4249322787e-1f;
    static final float L5 = -1.6668057665e-1f;
    static final float L6 = 2.0000714765e-1f;
    static final float L7 = -2.4999993993e-1f;
    static final float L8 = 3.3333331174e-1f;

    private VectorLog() {
    }

    /** {@code out[i] = ln x[i]} for n elements; out may be x. */
    static void log(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            VectorMask<Float> tiny = v.compare(VectorOperators.LT, MIN_NORMAL);
            FloatVector s = v.blend(v.mul(TWO_23), tiny);
            IntVector bits = s.reinterpretAsInts();
            IntVector ei = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
            FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
            VectorMask<Float> halve = m.compare(VectorOperators.GT, SQRT2);
            FloatVector e = ((FloatVector) ei.convert(VectorOperators.I2F, 0))
                    .sub(FloatVector.zero(F).blend(FloatVector.broadcast(F, 23f), tiny))
                    .add(FloatVector.zero(F).blend(FloatVector.broadcast(F, 1f), halve));
            FloatVector f = m.blend(m.mul(0.5f), halve).sub(1f);
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
            FloatVector r = p.mul(f).mul(z).add(e.mul(LN2_LO));
            r = Simd.FMA ? z.fma(FloatVector.broadcast(F, -0.5f), r) : z.mul(-0.5f).add(r);
            FloatVector y = f.add(r).add(e.mul(LN2_HI));
            y = y.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            y = y.blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f));
            y.blend(Float.NaN, v.compare(VectorOperators.GE, 0f).not()).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = log(x[xOff + i]);
        }
    }

    /** One element of {@link #log(int, float[], int, float[], int)}: the same operations, so the same bits. */
    static float log(float x) {
        if (x == Float.POSITIVE_INFINITY) {
            return Float.POSITIVE_INFINITY;
        }
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (!(x >= 0f)) {
            return Float.NaN;
        }
        boolean tiny = x < MIN_NORMAL;
        float s = tiny ? x * TWO_23 : x;
        int bits = Float.floatToRawIntBits(s);
        int ei = (bits >>> 23) - 127;
        float m = Float.intBitsToFloat(bits & 0x007fffff | 0x3f800000);
        boolean halve = m > SQRT2;
        float e = (float) ei - (tiny ? 23f : 0f) + (halve ? 1f : 0f);
        float f = (halve ? m * 0.5f : m) - 1f;
        float z = f * f;
        float p = VectorMath.mulAdd(f, L0, L1);
        p = VectorMath.mulAdd(p, f, L2);
        p = VectorMath.mulAdd(p, f, L3);
        p = VectorMath.mulAdd(p, f, L4);
        p = VectorMath.mulAdd(p, f, L5);
        p = VectorMath.mulAdd(p, f, L6);
        p = VectorMath.mulAdd(p, f, L7);
        p = VectorMath.mulAdd(p, f, L8);
        float r = p * f * z + e * LN2_LO;
        r = VectorMath.mulAdd(z, -0.5f, r);
        return f + r + e * LN2_HI;
    }
}
