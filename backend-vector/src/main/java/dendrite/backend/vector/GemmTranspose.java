package dendrite.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes 8-column blocks of a matrix in vector registers, for the packs that transpose
 * ({@link GemmPacking}: a transposed B, such as a dense layer's weights in its forward pass, and a
 * row-major A): rows are read whole, eight floats per load, and the columns written whole, eight
 * floats per store, where a copy moves one float per load and store.
 *
 * <p>The network is the usual one of log2(8) = 3 stages: stage s swaps s x s blocks between row
 * pairs s apart, each output a lane permutation ({@code rearrange}, one {@code vpermps}) of one
 * input blended with the other. In the first stage (single floats) the permutation is a shift of
 * each 64-bit pair by 32 bits instead, which moves a float to its neighbour's lane in one cheap
 * integer instruction: 16 permutations, 8 shifts and 24 blends move 64 floats (on Zen 3 the
 * shifts made a transpose of rows in L1 12-15 % faster than all-permutation stages).
 *
 * <p>The blocks are 8 floats wide whatever the CPU's vector width: 256-bit vectors, which every CPU
 * with {@link #AVAILABLE} runs natively (AVX2, and AVX-512's 256-bit forms). With 512-bit vectors
 * {@link #rows8Pairs} takes two blocks at once instead, so that no 256-bit vector runs beside the
 * other kernels' 512-bit ones (see there).
 */
final class GemmTranspose {
    /**
     * Whether 256-bit vectors run natively, so that these transposes compile to vector instructions
     * (with narrower vectors the Vector API would fall back to Java code that boxes every vector).
     */
    static final boolean AVAILABLE = Simd.L >= 8;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Lane i takes lane i ^ 2, i ^ 4 or i ^ 6: the partner lane of the later stages' swaps. */
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP6 = VectorShuffle.fromOp(S, i -> i ^ 6);
    /** The lanes each stage takes from the second row of a pair: those with bit 1, 2 or 4 set. */
    private static final VectorMask<Float> HIGH1 = VectorMask.fromLong(S, 0b10101010L);
    private static final VectorMask<Float> HIGH2 = VectorMask.fromLong(S, 0b11001100L);
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(S, 0b11110000L);

    private GemmTranspose() {
    }

    /** Each even lane's float moved up to the odd lane above it (the even lanes zero): one 64-bit shift. */
    private static FloatVector up(FloatVector v) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 32).reinterpretAsFloats();
    }

    /** Each odd lane's float moved down to the even lane below it (the odd lanes zero): one 64-bit shift. */
    private static FloatVector down(FloatVector v) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
    }

    /**
     * For each of {@code blocks} blocks of 8 x 8: the rows {@code src[s + r * rs + 8 * b ..]} (r < 8)
     * written as columns, column c of block b (8 floats, rows 0 to 7) at
     * {@code dst[d + (8 * b + c) * ds]}. {@code ds} is at least 8.
     */
    static void rows8(float[] src, int s, int rs, int blocks, float[] dst, int d, int ds) {
        for (int blk = 0; blk < blocks; blk++) {
            int from = s + 8 * blk;
            int to = d + 8 * blk * ds;
            FloatVector v0 = FloatVector.fromArray(S, src, from);
            FloatVector v1 = FloatVector.fromArray(S, src, from + rs);
            FloatVector v2 = FloatVector.fromArray(S, src, from + 2 * rs);
            FloatVector v3 = FloatVector.fromArray(S, src, from + 3 * rs);
            FloatVector v4 = FloatVector.fromArray(S, src, from + 4 * rs);
            FloatVector v5 = FloatVector.fromArray(S, src, from + 5 * rs);
            FloatVector v6 = FloatVector.fromArray(S, src, from + 6 * rs);
            FloatVector v7 = FloatVector.fromArray(S, src, from + 7 * rs);
            // Stage 1: single floats swapped between rows 0-1, 2-3, 4-5, 6-7.
            FloatVector a0 = v0.blend(up(v1), HIGH1);
            FloatVector a1 = down(v0).blend(v1, HIGH1);
            FloatVector a2 = v2.blend(up(v3), HIGH1);
            FloatVector a3 = down(v2).blend(v3, HIGH1);
            FloatVector a4 = v4.blend(up(v5), HIGH1);
            FloatVector a5 = down(v4).blend(v5, HIGH1);
            FloatVector a6 = v6.blend(up(v7), HIGH1);
            FloatVector a7 = down(v6).blend(v7, HIGH1);
            // Stage 2: pairs swapped between rows 0-2, 1-3, 4-6, 5-7.
            FloatVector c0 = a0.blend(a2.rearrange(SWAP2), HIGH2);
            FloatVector c2 = a0.rearrange(SWAP2).blend(a2, HIGH2);
            FloatVector c1 = a1.blend(a3.rearrange(SWAP2), HIGH2);
            FloatVector c3 = a1.rearrange(SWAP2).blend(a3, HIGH2);
            FloatVector c4 = a4.blend(a6.rearrange(SWAP2), HIGH2);
            FloatVector c6 = a4.rearrange(SWAP2).blend(a6, HIGH2);
            FloatVector c5 = a5.blend(a7.rearrange(SWAP2), HIGH2);
            FloatVector c7 = a5.rearrange(SWAP2).blend(a7, HIGH2);
            // Stage 3: halves swapped between rows 0-4, 1-5, 2-6, 3-7: the columns.
            c0.blend(c4.rearrange(SWAP4), HIGH4).intoArray(dst, to);
            c1.blend(c5.rearrange(SWAP4), HIGH4).intoArray(dst, to + ds);
            c2.blend(c6.rearrange(SWAP4), HIGH4).intoArray(dst, to + 2 * ds);
            c3.blend(c7.rearrange(SWAP4), HIGH4).intoArray(dst, to + 3 * ds);
            c0.rearrange(SWAP4).blend(c4, HIGH4).intoArray(dst, to + 4 * ds);
            c1.rearrange(SWAP4).blend(c5, HIGH4).intoArray(dst, to + 5 * ds);
            c2.rearrange(SWAP4).blend(c6, HIGH4).intoArray(dst, to + 6 * ds);
            c3.rearrange(SWAP4).blend(c7, HIGH4).intoArray(dst, to + 7 * ds);
        }
    }

    /** The preferred species when it holds two blocks' rows side by side (AVX-512), else unused. */
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_PREFERRED;
    /** Whether {@link #rows8Pairs} runs: 16-lane vectors, two 8 x 8 blocks at a time. */
    static final boolean PAIRS = W.length() == 16;
    private static final VectorShuffle<Float> W_SWAP2 = VectorShuffle.fromOp(W, i -> i ^ 2);
    private static final VectorShuffle<Float> W_SWAP4 = VectorShuffle.fromOp(W, i -> i ^ 4);
    private static final VectorMask<Float> W_HIGH1 = VectorMask.fromLong(W, 0b1010101010101010L);
    private static final VectorMask<Float> W_HIGH2 = VectorMask.fromLong(W, 0b1100110011001100L);
    private static final VectorMask<Float> W_HIGH4 = VectorMask.fromLong(W, 0b1111000011110000L);
    /** The lower and upper eight lanes: one block's column each. */
    private static final VectorMask<Float> W_LOW8 = VectorMask.fromLong(W, 0x00FFL);
    private static final VectorMask<Float> W_HIGH8 = VectorMask.fromLong(W, 0xFF00L);

    /**
     * {@link #rows8} with 512-bit vectors ({@link #PAIRS}), for an even number of blocks: each vector
     * holds one row of two neighbouring blocks (16 floats), every stage works within each half as
     * rows8 does on one block, and each result's halves are stored as the two blocks' columns. The
     * same panels as rows8, without 256-bit vectors in a JVM whose kernels run 512-bit ones (mixing
     * the two made C2 leave other kernels to the Java fallback; benchmarks/README.md).
     */
    static void rows8Pairs(float[] src, int s, int rs, int blocks, float[] dst, int d, int ds) {
        for (int blk = 0; blk + 1 < blocks; blk += 2) {
            int from = s + 8 * blk;
            int to = d + 8 * blk * ds;
            // The upper half's column c goes 8 columns further: its store starts 8 floats before it.
            int to2 = to + 8 * ds - 8;
            FloatVector v0 = FloatVector.fromArray(W, src, from);
            FloatVector v1 = FloatVector.fromArray(W, src, from + rs);
            FloatVector v2 = FloatVector.fromArray(W, src, from + 2 * rs);
            FloatVector v3 = FloatVector.fromArray(W, src, from + 3 * rs);
            FloatVector v4 = FloatVector.fromArray(W, src, from + 4 * rs);
            FloatVector v5 = FloatVector.fromArray(W, src, from + 5 * rs);
            FloatVector v6 = FloatVector.fromArray(W, src, from + 6 * rs);
            FloatVector v7 = FloatVector.fromArray(W, src, from + 7 * rs);
            FloatVector a0 = v0.blend(up(v1), W_HIGH1);
            FloatVector a1 = down(v0).blend(v1, W_HIGH1);
            FloatVector a2 = v2.blend(up(v3), W_HIGH1);
            FloatVector a3 = down(v2).blend(v3, W_HIGH1);
            FloatVector a4 = v4.blend(up(v5), W_HIGH1);
            FloatVector a5 = down(v4).blend(v5, W_HIGH1);
            FloatVector a6 = v6.blend(up(v7), W_HIGH1);
            FloatVector a7 = down(v6).blend(v7, W_HIGH1);
            FloatVector c0 = a0.blend(a2.rearrange(W_SWAP2), W_HIGH2);
            FloatVector c2 = a0.rearrange(W_SWAP2).blend(a2, W_HIGH2);
            FloatVector c1 = a1.blend(a3.rearrange(W_SWAP2), W_HIGH2);
            FloatVector c3 = a1.rearrange(W_SWAP2).blend(a3, W_HIGH2);
            FloatVector c4 = a4.blend(a6.rearrange(W_SWAP2), W_HIGH2);
            FloatVector c6 = a4.rearrange(W_SWAP2).blend(a6, W_HIGH2);
            FloatVector c5 = a5.blend(a7.rearrange(W_SWAP2), W_HIGH2);
            FloatVector c7 = a5.rearrange(W_SWAP2).blend(a7, W_HIGH2);
            FloatVector x0 = c0.blend(c4.rearrange(W_SWAP4), W_HIGH4);
            FloatVector x1 = c1.blend(c5.rearrange(W_SWAP4), W_HIGH4);
            FloatVector x2 = c2.blend(c6.rearrange(W_SWAP4), W_HIGH4);
            FloatVector x3 = c3.blend(c7.rearrange(W_SWAP4), W_HIGH4);
            FloatVector x4 = c0.rearrange(W_SWAP4).blend(c4, W_HIGH4);
            FloatVector x5 = c1.rearrange(W_SWAP4).blend(c5, W_HIGH4);
            FloatVector x6 = c2.rearrange(W_SWAP4).blend(c6, W_HIGH4);
            FloatVector x7 = c3.rearrange(W_SWAP4).blend(c7, W_HIGH4);
            x0.intoArray(dst, to, W_LOW8);
            x0.intoArray(dst, to2, W_HIGH8);
            x1.intoArray(dst, to + ds, W_LOW8);
            x1.intoArray(dst, to2 + ds, W_HIGH8);
            x2.intoArray(dst, to + 2 * ds, W_LOW8);
            x2.intoArray(dst, to2 + 2 * ds, W_HIGH8);
            x3.intoArray(dst, to + 3 * ds, W_LOW8);
            x3.intoArray(dst, to2 + 3 * ds, W_HIGH8);
            x4.intoArray(dst, to + 4 * ds, W_LOW8);
            x4.intoArray(dst, to2 + 4 * ds, W_HIGH8);
            x5.intoArray(dst, to + 5 * ds, W_LOW8);
            x5.intoArray(dst, to2 + 5 * ds, W_HIGH8);
            x6.intoArray(dst, to + 6 * ds, W_LOW8);
            x6.intoArray(dst, to2 + 6 * ds, W_HIGH8);
            x7.intoArray(dst, to + 7 * ds, W_LOW8);
            x7.intoArray(dst, to2 + 7 * ds, W_HIGH8);
        }
    }

    /**
     * {@link #rows8} for 6 rows, the panel height of the AVX2 kernels: column c of block b (6
     * floats) at {@code dst[d + (8 * b + c) * ds]}, {@code ds} at least 6, but each store writes 8
     * floats, the last two of no use. With {@code ds} 6 they land on the first two floats of the next
     * column, which its own store then overwrites; those of the last column land on column
     * {@code 8 * blocks}, which the caller must write afterwards (and which must exist). Rows 6 and 7
     * of the 8-row network are absent, so stage 2's outputs for them reduce to a permutation of rows
     * 4 and 5.
     */
    static void rows6(float[] src, int s, int rs, int blocks, float[] dst, int d, int ds) {
        for (int blk = 0; blk < blocks; blk++) {
            int from = s + 8 * blk;
            int to = d + 8 * blk * ds;
            FloatVector v0 = FloatVector.fromArray(S, src, from);
            FloatVector v1 = FloatVector.fromArray(S, src, from + rs);
            FloatVector v2 = FloatVector.fromArray(S, src, from + 2 * rs);
            FloatVector v3 = FloatVector.fromArray(S, src, from + 3 * rs);
            FloatVector v4 = FloatVector.fromArray(S, src, from + 4 * rs);
            FloatVector v5 = FloatVector.fromArray(S, src, from + 5 * rs);
            FloatVector a0 = v0.blend(up(v1), HIGH1);
            FloatVector a1 = down(v0).blend(v1, HIGH1);
            FloatVector a2 = v2.blend(up(v3), HIGH1);
            FloatVector a3 = down(v2).blend(v3, HIGH1);
            FloatVector a4 = v4.blend(up(v5), HIGH1);
            FloatVector a5 = down(v4).blend(v5, HIGH1);
            FloatVector c0 = a0.blend(a2.rearrange(SWAP2), HIGH2);
            FloatVector c2 = a0.rearrange(SWAP2).blend(a2, HIGH2);
            FloatVector c1 = a1.blend(a3.rearrange(SWAP2), HIGH2);
            FloatVector c3 = a1.rearrange(SWAP2).blend(a3, HIGH2);
            // Rows 4 and 5 go to lanes 4 and 5 of each column: from a4 (even columns) and a5 (odd).
            c0.blend(a4.rearrange(SWAP4), HIGH4).intoArray(dst, to);
            c1.blend(a5.rearrange(SWAP4), HIGH4).intoArray(dst, to + ds);
            c2.blend(a4.rearrange(SWAP6), HIGH4).intoArray(dst, to + 2 * ds);
            c3.blend(a5.rearrange(SWAP6), HIGH4).intoArray(dst, to + 3 * ds);
            c0.rearrange(SWAP4).blend(a4, HIGH4).intoArray(dst, to + 4 * ds);
            c1.rearrange(SWAP4).blend(a5, HIGH4).intoArray(dst, to + 5 * ds);
            c2.rearrange(SWAP4).blend(a4.rearrange(SWAP2), HIGH4).intoArray(dst, to + 6 * ds);
            c3.rearrange(SWAP4).blend(a5.rearrange(SWAP2), HIGH4).intoArray(dst, to + 7 * ds);
        }
    }
}
