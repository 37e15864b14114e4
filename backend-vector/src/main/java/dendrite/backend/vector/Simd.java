package dendrite.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape used everywhere, and what the hardware offers.
 *
 * <p>Species live in {@code static final} fields: C2 then sees them as constants and compiles each
 * vector operation to one instruction. A species passed around as a value defeats that and the
 * vectors get boxed, which is slower than scalar code.
 */
final class Simd {
    /** The widest float vector the CPU runs natively: 16 lanes with AVX-512, 8 with AVX2. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes in {@link #F}. */
    static final int L = F.length();
    /**
     * Whether the CPU fuses multiply-add (HotSpot's {@code UseFMA}, as Lucene reads it). Without
     * it {@code FloatVector.fma} falls back to a per-lane {@code Math.fma}, far slower than a
     * multiply and an add.
     */
    static final boolean FMA = VectorProbe.hotSpotOption("UseFMA").map("true"::equals).orElse(false);

    private Simd() {
    }

    /**
     * The sum of the L lanes of a vector the caller stored in {@code lanes} (see {@link #lanes()}),
     * always added in the same tree: the upper half onto the lower until four lanes are left, then
     * (0 + 2) + (1 + 3). {@code reduceLanes(ADD)} leaves the order unspecified, and it does change
     * between the Java fallback and C2's code: a GEMM of dot products gave results 1 ulp apart on its
     * first and later calls (VectorGemmTest's thread-count test caught it). Adding the stored lanes
     * gives the same bits whoever runs them.
     *
     * <p>Why an array and not the vector: a vector handed to a method that C2 leaves out of line is
     * boxed, and a method taking the vector ({@code lane(i)} extracts, once here) was left out of line
     * at call sites C2 did not judge hot or in methods it judged big enough: AVX2's softmax boxed one
     * per row (about 9 KB a CNN training step), and a convolution's weight-gradient dot products one
     * per sum with 512-bit vectors (3.8 KB a step). An array crosses the call without a copy, so no
     * kernel passes a vector to another method. (Halving with {@code reinterpretShape(half, 1)} was
     * left to the Java fallback by JDK 25's C2 altogether: 20 times slower, and boxed.)
     */
    static float sumLanes(float[] lanes) {
        return sumLanes(lanes, 0);
    }

    /** {@link #sumLanes(float[])} of the L lanes stored at {@code off}: the same tree. */
    static float sumLanes(float[] a, int off) {
        int o = off;
        if (L == 16) {
            return fold8(a[o] + a[o + 8], a[o + 1] + a[o + 9], a[o + 2] + a[o + 10], a[o + 3] + a[o + 11],
                    a[o + 4] + a[o + 12], a[o + 5] + a[o + 13], a[o + 6] + a[o + 14], a[o + 7] + a[o + 15]);
        }
        if (L == 8) {
            return fold8(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
        }
        if (L == 4) {
            return fold4(a[o], a[o + 1], a[o + 2], a[o + 3]);
        }
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += a[o + i];
        }
        return s;
    }

    /** This thread's buffer of {@link #L} floats for {@link #sumLanes} and {@link #tail}. */
    static float[] lanes() {
        return LANES.get();
    }

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    /**
     * The last {@code count < L} values of a line from {@code x[off]}, copied into this thread's lane
     * buffer and padded with zeros: loading it whole gives the vector a masked load would, without
     * the masked load's bounds check. At the end of an array that check runs out of line where C2
     * did not judge the tail hot, and allocates (a boolean[] per call).
     */
    static float[] tail(float[] x, int off, int count) {
        float[] t = LANES.get();
        System.arraycopy(x, off, t, 0, count);
        java.util.Arrays.fill(t, count, L, 0f);
        return t;
    }

    /** Eight lanes: the upper four onto the lower four, then {@link #fold4}. */
    private static float fold8(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7) {
        return fold4(a0 + a4, a1 + a5, a2 + a6, a3 + a7);
    }

    /** Four lanes: (0 + 2) + (1 + 3). */
    private static float fold4(float a0, float a1, float a2, float a3) {
        return (a0 + a2) + (a1 + a3);
    }

    /**
     * {@code a * b + c}: one fused instruction where the hardware has it, else a multiply and an add.
     *
     * <p>For straight-line code such as a polynomial ({@link VectorMath#exp}), not for the GEMM and
     * convolution kernels, which spell {@code FMA ? a.fma(b, c) : a.mul(b).add(c)} out at every use.
     * The reason is C2's inlining policy: this method is soon compiled on its own (its callers run
     * interpreted for a while), and a later compilation of a kernel inlines such an already-compiled
     * method only where the profile says the call site is hot. A kernel whose profile was gathered
     * while its loop rarely ran (many products with a depth below one vector) then calls this
     * method out of line, every vector crossing the call is boxed, and a training step allocated
     * 16 MB (SteadyStepBytesTest caught it in a full test run, not in a fresh JVM). The Vector API's
     * own methods are force-inlined and do not have this problem.
     */
    static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
        return FMA ? a.fma(b, c) : a.mul(b).add(c);
    }

    /** Read reflectively by {@link VectorProbe}: the preferred vector width in bits. */
    static int preferredBits() {
        return F.vectorBitSize();
    }

    /** Read reflectively by {@link VectorProbe}: 1 when FMA is in hardware. */
    static int fmaFlag() {
        return FMA ? 1 : 0;
    }
}
