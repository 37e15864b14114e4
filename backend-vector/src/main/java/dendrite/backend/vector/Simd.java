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

    /** Read reflectively by {@link VectorProbe}: the preferred vector width in bits. */
    static int preferredBits() {
        return F.vectorBitSize();
    }

    /** Read reflectively by {@link VectorProbe}: 1 when FMA is in hardware. */
    static int fmaFlag() {
        return FMA ? 1 : 0;
    }

    /** {@code a * b + c}: one fused instruction where the hardware has it, else a multiply and an add. */
    static FloatVector mulAdd(FloatVector a, FloatVector b, FloatVector c) {
        return FMA ? a.fma(b, c) : a.mul(b).add(c);
    }
}
