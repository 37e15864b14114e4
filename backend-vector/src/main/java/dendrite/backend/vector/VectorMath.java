package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp written with basic arithmetic, as a vector function and its scalar twin that gives the same
 * bits lane for lane. Kernels run the vector form over whole vectors and the scalar form over the
 * last few elements.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: it is computed by Intel's SVML once C2 has
 * compiled the caller, and by {@code Math.exp} lane by lane before that, and the two differ in the
 * last bit for some inputs. A training run's softmax therefore changed with the JIT's timing: three
 * runs of the same command with the same seed ended at 0.8906, 0.8907 and 0.8910 test accuracy.
 * Additions, multiplications, fused multiply-adds and bit operations are exact IEEE operations in
 * the interpreter, in the Java fallback and in C2's code, so a function built from them gives the
 * same result every time, on any machine with the same vector width and FMA. exp serves softmax,
 * log-softmax, sigmoid, both GELUs ({@link VectorGelu}), tanh ({@link VectorTanh}), softplus
 * ({@link VectorSoftplus}) and the EXP op ({@link VectorLog} does the same for LOG); the POW op is
 * {@link Math#pow} element by element (VectorElementwise).
 *
 * <p>Why the scalar twin: C2 inlines a method this size only at call sites it counts as hot, and a
 * masked tail call is not; a vector passed to a method that is not inlined is boxed (measured: 12 KB
 * per softmax of 128 rows of 10). With one vector call site per loop and the tail in scalar code,
 * every vector call inlines. A tanh built as a helper taking a vector did not fit: inlined into its
 * activation kernel, C2 boxed its vectors whenever it had more than one blend or a clamp (about
 * 400 KB per 128 x 256 tensor); {@link VectorTanh} runs this array form over a scratch block instead.
 *
 * <p>Accuracy: within 1 ulp of {@code Math.exp} rounded to float on a dense sweep of the float
 * range ({@code VectorMathTest}); overflow gives infinity, underflow zero or a subnormal, NaN stays
 * NaN. Speed: alone, 0.47 against SVML's 0.33 ns per element (one thread, AVX-512).
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two: n * LN2_HI is exact for the n that occur, LN2_LO the rest (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to an integer, which then sits in the low bits. */
    private static final float ROUND = 12582912f;
    /** Inputs are clamped here: exp(-104) rounds to 0 and exp(89) overflows, so nothing is lost. */
    private static final float LOW = -104f;
    private static final float HIGH = 89f;

    private VectorMath() {
    }

    /**
     * e^x. x = n ln 2 + r with |r| <= ln 2 / 2; e^r from a degree-6 polynomial (Cephes' expf
     * coefficients); then 2^n applied in two halves so that n down to -150 (subnormal results) and
     * up to 128 (infinity) need no special case.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(LOW).min(HIGH);
        FloatVector t = Simd.mulAdd(v, FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND));
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        FloatVector r = Simd.mulAdd(n, FloatVector.broadcast(F, -LN2_HI), v);
        r = Simd.mulAdd(n, FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = Simd.mulAdd(p, r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = Simd.mulAdd(p, r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = Simd.mulAdd(p, r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = Simd.mulAdd(p, r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = Simd.mulAdd(p, r, FloatVector.broadcast(F, 5.0000001201e-1f));
        p = Simd.mulAdd(p, r.mul(r), r).add(1f);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        return p.mul(pow2(n1)).mul(pow2(n2));
    }

    /**
     * {@code out[outOff + i] = e^(scale * x[xOff + i] + shift)} for i in [0, n): {@link #exp(FloatVector)}
     * over whole vectors and {@link #exp(float)} over the rest, with the same bits as calling them on
     * {@code -x} (scale -1, shift 0: an exact negation) or {@code x - max} (scale 1, shift -max: an exact
     * subtraction); a NaN stays NaN, though its sign bit may differ. out may be x.
     *
     * <p>Why a loop over arrays with the polynomial written inside it, not a call per vector: a method
     * that takes or returns a vector is compiled into its caller only where C2 judges the call hot, and
     * elsewhere every vector crossing the call is boxed. In the full test JVM, C2 kept the sigmoid
     * helper (which called {@link #exp(FloatVector)}) out of line and an LSTM's training step
     * allocated 2.6 MB. Here no vector crosses a call: each {@code fma} is the Vector API's own
     * intrinsic, and 2^n is built in place.
     */
    static void exp(float[] x, int xOff, float scale, float shift, float[] out, int outOff, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).mul(scale).add(shift).max(LOW).min(HIGH);
            FloatVector t = Simd.FMA ? v.fma(LOG2E, ROUND) : v.mul(LOG2E).add(ROUND);
            FloatVector m = t.sub(ROUND);
            IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
            FloatVector r = Simd.FMA ? m.fma(FloatVector.broadcast(F, -LN2_HI), v) : m.mul(-LN2_HI).add(v);
            r = Simd.FMA ? m.fma(FloatVector.broadcast(F, -LN2_LO), r) : m.mul(-LN2_LO).add(r);
            FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
            p = Simd.FMA ? p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f)) : p.mul(r).add(1.3981999507e-3f);
            p = Simd.FMA ? p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f)) : p.mul(r).add(8.3334519073e-3f);
            p = Simd.FMA ? p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f)) : p.mul(r).add(4.1665795894e-2f);
            p = Simd.FMA ? p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f)) : p.mul(r).add(1.6666665459e-1f);
            p = Simd.FMA ? p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f)) : p.mul(r).add(5.0000001201e-1f);
            p = (Simd.FMA ? p.fma(r.mul(r), r) : p.mul(r.mul(r)).add(r)).add(1f);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(s1).mul(s2).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = exp(x[xOff + i] * scale + shift);
        }
    }

    /** {@link #exp(FloatVector)} for one float: the same operations, so the same bits. */
    static float exp(float x) {
        float v = Math.min(Math.max(x, LOW), HIGH);
        float t = mulAdd(v, LOG2E, ROUND);
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        float r = mulAdd(n, -LN2_HI, v);
        r = mulAdd(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = mulAdd(p, r, 1.3981999507e-3f);
        p = mulAdd(p, r, 8.3334519073e-3f);
        p = mulAdd(p, r, 4.1665795894e-2f);
        p = mulAdd(p, r, 1.6666665459e-1f);
        p = mulAdd(p, r, 5.0000001201e-1f);
        p = mulAdd(p, r * r, r) + 1f;
        int n1 = ni >> 1;
        int n2 = ni - n1;
        return p * pow2(n1) * pow2(n2);
    }

    /** {@link Simd#mulAdd} for floats: fused exactly when the vectors are. */
    static float mulAdd(float a, float b, float c) {
        return Simd.FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /** 2^n for n in [-126, 127], built in the exponent bits. */
    private static float pow2(int n) {
        return Float.intBitsToFloat((n + 127) << 23);
    }

    /** 2^n for n in [-126, 127], built in the exponent bits. */
    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
