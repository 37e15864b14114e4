package dendrite.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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

    /** Half and quarter of {@link #F}'s width, for the halving steps of {@link #sum} (F itself when too narrow). */
    private static final VectorSpecies<Float> HALF = L >= 8 ? narrower(2) : F;
    private static final VectorSpecies<Float> QUARTER = L >= 16 ? narrower(4) : HALF;

    private Simd() {
    }

    private static VectorSpecies<Float> narrower(int by) {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / by));
    }

    /**
     * The sum of a vector's lanes, always added in the same tree: the upper half onto the lower
     * until four lanes are left, then (0 + 2) + (1 + 3). {@code reduceLanes(ADD)} leaves the order
     * unspecified, and it does change between the Java fallback and C2's code: a GEMM of dot
     * products gave results 1 ulp apart on its first and later calls (VectorGemmTest's
     * thread-count test caught it). Lanewise adds give the same bits whoever runs them. Measured:
     * as fast as {@code reduceLanes} (the halves are single extract instructions); a tree of
     * {@code rearrange} shuffles instead was 10 times slower, as C2 left it to the Java fallback.
     */
    static float sum(FloatVector v) {
        if (L > 16 || L < 4) {
            // Wider than any x86 vector (SVE), or narrower than the probe allows: lane order.
            float s = 0f;
            for (float x : v.toArray()) {
                s += x;
            }
            return s;
        }
        if (L == 16) {
            v = half(v, HALF);
        }
        if (L >= 8) {
            v = half(v, QUARTER);
        }
        return (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
    }

    /** The lower half of v plus its upper half, as a vector of the narrower species. */
    private static FloatVector half(FloatVector v, VectorSpecies<Float> narrow) {
        FloatVector lo = (FloatVector) v.reinterpretShape(narrow, 0);
        FloatVector hi = (FloatVector) v.reinterpretShape(narrow, 1);
        return lo.add(hi);
    }

    /** {@code a * b + c}: one fused instruction where the hardware has it, else a multiply and an add. */
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
