package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.FMA;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernels: a tile of C, rows by {@link #NR} columns (two vectors), computed in
 * registers as a sum of outer products. At each step p of the inner dimension a kernel loads two
 * vectors of B's row p, broadcasts each of A's values of column p, and adds their products into
 * rows x 2 independent accumulators: enough independent fused multiply-adds to hide their latency
 * (4 cycles, 2 per cycle).
 *
 * <p>Two heights, for two reasons:
 * <ul>
 *   <li>The packed kernels ({@link #multiplyPackedInto}, {@link #multiplyPackedNarrow}) are
 *       {@link #PMR} = 12 rows tall with AVX-512: 24 accumulators, 27 of the 32 registers. In large
 *       products the B panels stream from L2 (see VectorGemm's rows-outer order), and the taller
 *       tile makes each B vector serve 12 multiply-adds rather than 8. Measured at N = 2048, 2
 *       threads: 261-269 GFLOPS against 230-245 with 8 rows; alone, with B from L2, 145 against
 *       143 per core, and with B in L1 the same 167 (JDK 25's C2 keeps all 24 in registers: no
 *       spills in the -XX:+PrintAssembly listing). With AVX2's 16 registers they are 6 rows: 12
 *       accumulators, two B vectors and a broadcast. There the 12-row kernel spilled and took C2
 *       long to compile (several times over in a CNN's first epoch); the 6-row one takes two
 *       steps of the inner dimension per iteration ({@link #UNROLL}), is about twice as fast
 *       (benchmarks/README.md), and fits a convolution's 64 output channels in 11 panels instead
 *       of 6 with a third of one wasted.</li>
 *   <li>The in-place kernels ({@link #multiply} and its forms) are {@link #MR} = 8 rows: they
 *       serve small and short products, where a shorter tile wastes less at the ragged edges. With
 *       AVX2, products with a long inner dimension run {@link #multiplySix} instead (see
 *       {@link #SIX_ROWS_IN_PLACE}), or {@link #multiplySixRowMajor} where A is not transposed; with
 *       AVX-512, products of 9 to 12 rows (and others that 12-row panels fit no worse) run
 *       {@link #multiplyTwelve} ({@link #TWELVE_ROWS_IN_PLACE}), and a row-major A of 64 rows or
 *       more times a B not transposed runs {@link #multiplyFourRows}, 4 rows by 4 vectors, on whole
 *       blocks of 2 NR columns.</li>
 * </ul>
 *
 * <p>A last packed row panel of at most four rows runs {@link #multiplyPacked4} instead of the 12-row
 * kernel on zero rows: a batch of 64 is five 12-row panels and four rows, and every product of a
 * training step at batch 64 calls it, so C2 compiles it early.
 *
 * <p>{@link #multiplyRowMajorA6} (and {@link #multiplyRowMajorA6Narrow}, its one-vector form) is the
 * 6-row packed kernel with A read in place from a row-major matrix instead of a packed panel (the
 * same sums in the same order), so that two threads sharing a product by columns need not each
 * pack all of A.
 *
 * <p>{@link #multiplyPackedInto} runs on packed panels and stores a full tile straight into C
 * (the common case) or into a small tile buffer; {@link #multiplyPackedNarrow} (a last panel
 * at most one vector wide) writes the buffer only; {@link #merge} then applies alpha, beta and the
 * bias while storing the buffer, minding the ragged edges. {@link #multiply}
 * reads the matrices in place through strides, for problems where packing costs more than it
 * saves; its bounds checks stay in the loop (variable strides), so it is about a quarter slower
 * ({@link #multiplySixRowMajor}, with A's step fixed at 1, keeps only B's).
 * {@link #multiplyNarrow} is its form for a one-vector-wide panel. Both serve the last rows of a
 * matrix too (fewer than MR, the missing rows reading the last one again and left unstored): kernels
 * of their own for 4, 2 and 1 rows were called too seldom for C2 to compile them, and interpreted
 * Vector API code allocates every vector.
 */
final class GemmKernel {
    /** Rows of the register tile of the in-place kernels ({@link #multiply} and its forms). */
    static final int MR = 8;
    /**
     * Whether products with a long inner dimension run the in-place {@link #multiplySix} instead of
     * {@link #multiply}: with AVX2's 16 vector registers, where the 8-row kernel's 16 accumulators,
     * two B vectors and a broadcast do not fit and C2 keeps two rows' accumulators on the stack,
     * loading and storing them at every step of the inner dimension. (With a short one the 8-row
     * kernel is still the faster: its fewer, taller tiles cost less around the loop.)
     */
    static final boolean SIX_ROWS_IN_PLACE = L < 16;
    /**
     * Whether products of 9 to 12 rows run the in-place {@link #multiplyTwelve} (B in place, A packed):
     * with 32 vector registers (AVX-512), where its 24 accumulators fit.
     */
    static final boolean TWELVE_ROWS_IN_PLACE = L >= 16;
    /**
     * Rows of the packed kernels' register tile (see the class comment): 12 with 32 vector
     * registers (AVX-512), 6 with 16 (AVX2).
     */
    static final int PMR = L >= 16 ? 12 : 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Floats the 12-row packed kernel reads past the end of its B panel: it loads row p + 1 while it
     * computes step p, and at the last step that row lies beyond the panel (unused). Buffers that hold
     * packed B panels keep this many floats to spare after the last one (VectorGemm's workspace does).
     * It matters most where a 64-byte load from a Java array straddles two cache lines (AVX-512: the
     * arrays are only 8-byte aligned), which makes the loads slower; benchmarks/README.md has the numbers.
     */
    static final int READ_AHEAD = NR;
    /** Steps of p the packed kernels take per iteration: 2 for the 6-row kernels, 1 for the 12-row ones. */
    static final int UNROLL = PMR == 6 ? 2 : 1;

    /**
     * Rows of a packed panel for a K block of {@code kb}: kb rounded up to {@link #UNROLL}, the rows
     * past kb zero. A zero row adds {@code 0 * 0 = +0} to each accumulator, which leaves it as it
     * was (an accumulator starts at +0 and never becomes -0 by a sum), so the bits are those of kb steps.
     */
    static int depth(int kb) {
        return (kb + UNROLL - 1) / UNROLL * UNROLL;
    }

    private GemmKernel() {
    }

    /**
     * {@code C = sum_p A[., p] (x) B[p, .] (+ bias)} for p in [0, kc) over packed panels, or with
     * {@code add}, {@code C += ...}: A element (i, p) at {@code a[a0 + p * PMR + i]}, B's row p at
     * {@code b[b0 + p * NR]}; C's PMR x NR tile at {@code c0}, rows {@code ldc} apart; the bias (may be
     * null) holds one value per column from {@code biasOff}. The strides are constants, which lets
     * C2 hoist the bounds checks out of the loop (about 15% faster than {@link #multiply}).
     *
     * <p>C is the output matrix itself in the common case (alpha 1, beta 0 or a later K block): that
     * skips the round trip through the tile buffer, which costs about a tenth of the time at K = 256,
     * and a third for a dense layer's forward pass. Otherwise it is the tile buffer (ldc = NR, no add,
     * no bias) that {@link #merge} then stores.
     */
    static void multiplyPackedInto(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc,
            boolean add, float[] bias, int biasOff) {
        if (PMR == 12) {
            multiplyPacked12(kc, a, a0, b, b0, c, c0, ldc, add, bias, biasOff);
        } else {
            multiplyPacked6(kc, a, a0, b, b0, c, c0, ldc, add, bias, biasOff);
        }
    }

    /** {@link #multiplyPackedInto} with 12 rows: 24 accumulators, for 32 vector registers (AVX-512). */
    private static void multiplyPacked12(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc,
            boolean add, float[] bias, int biasOff) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        FloatVector c4_0 = FloatVector.zero(F), c4_1 = FloatVector.zero(F);
        FloatVector c5_0 = FloatVector.zero(F), c5_1 = FloatVector.zero(F);
        FloatVector c6_0 = FloatVector.zero(F), c6_1 = FloatVector.zero(F);
        FloatVector c7_0 = FloatVector.zero(F), c7_1 = FloatVector.zero(F);
        FloatVector c8_0 = FloatVector.zero(F), c8_1 = FloatVector.zero(F);
        FloatVector c9_0 = FloatVector.zero(F), c9_1 = FloatVector.zero(F);
        FloatVector c10_0 = FloatVector.zero(F), c10_1 = FloatVector.zero(F);
        FloatVector c11_0 = FloatVector.zero(F), c11_1 = FloatVector.zero(F);
        // B's row p + 1 is loaded during step p (see READ_AHEAD): its latency is then hidden behind
        // this step's 24 multiply-adds instead of stalling the first of them.
        FloatVector b0v = FloatVector.fromArray(F, b, b0);
        FloatVector b1v = FloatVector.fromArray(F, b, b0 + L);
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * PMR;
            int bp = b0 + p * NR;
            FloatVector next0 = FloatVector.fromArray(F, b, bp + NR);
            FloatVector next1 = FloatVector.fromArray(F, b, bp + NR + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c0_0 = FMA ? x.fma(b0v, c0_0) : x.mul(b0v).add(c0_0);
            c0_1 = FMA ? x.fma(b1v, c0_1) : x.mul(b1v).add(c0_1);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c1_0 = FMA ? x.fma(b0v, c1_0) : x.mul(b0v).add(c1_0);
            c1_1 = FMA ? x.fma(b1v, c1_1) : x.mul(b1v).add(c1_1);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c2_0 = FMA ? x.fma(b0v, c2_0) : x.mul(b0v).add(c2_0);
            c2_1 = FMA ? x.fma(b1v, c2_1) : x.mul(b1v).add(c2_1);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c3_0 = FMA ? x.fma(b0v, c3_0) : x.mul(b0v).add(c3_0);
            c3_1 = FMA ? x.fma(b1v, c3_1) : x.mul(b1v).add(c3_1);
            x = FloatVector.broadcast(F, a[ap + 4]);
            c4_0 = FMA ? x.fma(b0v, c4_0) : x.mul(b0v).add(c4_0);
            c4_1 = FMA ? x.fma(b1v, c4_1) : x.mul(b1v).add(c4_1);
            x = FloatVector.broadcast(F, a[ap + 5]);
            c5_0 = FMA ? x.fma(b0v, c5_0) : x.mul(b0v).add(c5_0);
            c5_1 = FMA ? x.fma(b1v, c5_1) : x.mul(b1v).add(c5_1);
            x = FloatVector.broadcast(F, a[ap + 6]);
            c6_0 = FMA ? x.fma(b0v, c6_0) : x.mul(b0v).add(c6_0);
            c6_1 = FMA ? x.fma(b1v, c6_1) : x.mul(b1v).add(c6_1);
            x = FloatVector.broadcast(F, a[ap + 7]);
            c7_0 = FMA ? x.fma(b0v, c7_0) : x.mul(b0v).add(c7_0);
            c7_1 = FMA ? x.fma(b1v, c7_1) : x.mul(b1v).add(c7_1);
            x = FloatVector.broadcast(F, a[ap + 8]);
            c8_0 = FMA ? x.fma(b0v, c8_0) : x.mul(b0v).add(c8_0);
            c8_1 = FMA ? x.fma(b1v, c8_1) : x.mul(b1v).add(c8_1);
            x = FloatVector.broadcast(F, a[ap + 9]);
            c9_0 = FMA ? x.fma(b0v, c9_0) : x.mul(b0v).add(c9_0);
            c9_1 = FMA ? x.fma(b1v, c9_1) : x.mul(b1v).add(c9_1);
            x = FloatVector.broadcast(F, a[ap + 10]);
            c10_0 = FMA ? x.fma(b0v, c10_0) : x.mul(b0v).add(c10_0);
            c10_1 = FMA ? x.fma(b1v, c10_1) : x.mul(b1v).add(c10_1);
            x = FloatVector.broadcast(F, a[ap + 11]);
            c11_0 = FMA ? x.fma(b0v, c11_0) : x.mul(b0v).add(c11_0);
            c11_1 = FMA ? x.fma(b1v, c11_1) : x.mul(b1v).add(c11_1);
            b0v = next0;
            b1v = next1;
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c0_0 = c0_0.add(bias0);
            c0_1 = c0_1.add(bias1);
            c1_0 = c1_0.add(bias0);
            c1_1 = c1_1.add(bias1);
            c2_0 = c2_0.add(bias0);
            c2_1 = c2_1.add(bias1);
            c3_0 = c3_0.add(bias0);
            c3_1 = c3_1.add(bias1);
            c4_0 = c4_0.add(bias0);
            c4_1 = c4_1.add(bias1);
            c5_0 = c5_0.add(bias0);
            c5_1 = c5_1.add(bias1);
            c6_0 = c6_0.add(bias0);
            c6_1 = c6_1.add(bias1);
            c7_0 = c7_0.add(bias0);
            c7_1 = c7_1.add(bias1);
            c8_0 = c8_0.add(bias0);
            c8_1 = c8_1.add(bias1);
            c9_0 = c9_0.add(bias0);
            c9_1 = c9_1.add(bias1);
            c10_0 = c10_0.add(bias0);
            c10_1 = c10_1.add(bias1);
            c11_0 = c11_0.add(bias0);
            c11_1 = c11_1.add(bias1);
        }
        if (add) {
            c0_0 = c0_0.add(FloatVector.fromArray(F, c, c0 + 0 * ldc));
            c0_1 = c0_1.add(FloatVector.fromArray(F, c, c0 + 0 * ldc + L));
            c1_0 = c1_0.add(FloatVector.fromArray(F, c, c0 + 1 * ldc));
            c1_1 = c1_1.add(FloatVector.fromArray(F, c, c0 + 1 * ldc + L));
            c2_0 = c2_0.add(FloatVector.fromArray(F, c, c0 + 2 * ldc));
            c2_1 = c2_1.add(FloatVector.fromArray(F, c, c0 + 2 * ldc + L));
            c3_0 = c3_0.add(FloatVector.fromArray(F, c, c0 + 3 * ldc));
            c3_1 = c3_1.add(FloatVector.fromArray(F, c, c0 + 3 * ldc + L));
            c4_0 = c4_0.add(FloatVector.fromArray(F, c, c0 + 4 * ldc));
            c4_1 = c4_1.add(FloatVector.fromArray(F, c, c0 + 4 * ldc + L));
            c5_0 = c5_0.add(FloatVector.fromArray(F, c, c0 + 5 * ldc));
            c5_1 = c5_1.add(FloatVector.fromArray(F, c, c0 + 5 * ldc + L));
            c6_0 = c6_0.add(FloatVector.fromArray(F, c, c0 + 6 * ldc));
            c6_1 = c6_1.add(FloatVector.fromArray(F, c, c0 + 6 * ldc + L));
            c7_0 = c7_0.add(FloatVector.fromArray(F, c, c0 + 7 * ldc));
            c7_1 = c7_1.add(FloatVector.fromArray(F, c, c0 + 7 * ldc + L));
            c8_0 = c8_0.add(FloatVector.fromArray(F, c, c0 + 8 * ldc));
            c8_1 = c8_1.add(FloatVector.fromArray(F, c, c0 + 8 * ldc + L));
            c9_0 = c9_0.add(FloatVector.fromArray(F, c, c0 + 9 * ldc));
            c9_1 = c9_1.add(FloatVector.fromArray(F, c, c0 + 9 * ldc + L));
            c10_0 = c10_0.add(FloatVector.fromArray(F, c, c0 + 10 * ldc));
            c10_1 = c10_1.add(FloatVector.fromArray(F, c, c0 + 10 * ldc + L));
            c11_0 = c11_0.add(FloatVector.fromArray(F, c, c0 + 11 * ldc));
            c11_1 = c11_1.add(FloatVector.fromArray(F, c, c0 + 11 * ldc + L));
        }
        c0_0.intoArray(c, c0 + 0 * ldc);
        c0_1.intoArray(c, c0 + 0 * ldc + L);
        c1_0.intoArray(c, c0 + 1 * ldc);
        c1_1.intoArray(c, c0 + 1 * ldc + L);
        c2_0.intoArray(c, c0 + 2 * ldc);
        c2_1.intoArray(c, c0 + 2 * ldc + L);
        c3_0.intoArray(c, c0 + 3 * ldc);
        c3_1.intoArray(c, c0 + 3 * ldc + L);
        c4_0.intoArray(c, c0 + 4 * ldc);
        c4_1.intoArray(c, c0 + 4 * ldc + L);
        c5_0.intoArray(c, c0 + 5 * ldc);
        c5_1.intoArray(c, c0 + 5 * ldc + L);
        c6_0.intoArray(c, c0 + 6 * ldc);
        c6_1.intoArray(c, c0 + 6 * ldc + L);
        c7_0.intoArray(c, c0 + 7 * ldc);
        c7_1.intoArray(c, c0 + 7 * ldc + L);
        c8_0.intoArray(c, c0 + 8 * ldc);
        c8_1.intoArray(c, c0 + 8 * ldc + L);
        c9_0.intoArray(c, c0 + 9 * ldc);
        c9_1.intoArray(c, c0 + 9 * ldc + L);
        c10_0.intoArray(c, c0 + 10 * ldc);
        c10_1.intoArray(c, c0 + 10 * ldc + L);
        c11_0.intoArray(c, c0 + 11 * ldc);
        c11_1.intoArray(c, c0 + 11 * ldc + L);
    }

    /**
     * The first four rows of {@link #multiplyPackedInto}'s tile, into the tile buffer ({@code ldc = NR}),
     * for a last row panel that holds at most four rows (with 12-row panels a batch of 64 is five
     * full panels and four rows; with 6-row panels a batch of 64 ends in four rows and one of 128 in
     * two): it skips the zero rows the full kernel would compute. With four rows the eight
     * accumulators still keep both FMA units busy, so two rows would take as long. Each element's
     * products are added in the same order as there, so the bits are the same.
     */
    static void multiplyPacked4(int kc, float[] a, int a0, float[] b, int b0, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * PMR;
            int bp = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c0_0 = FMA ? x.fma(b0v, c0_0) : x.mul(b0v).add(c0_0);
            c0_1 = FMA ? x.fma(b1v, c0_1) : x.mul(b1v).add(c0_1);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c1_0 = FMA ? x.fma(b0v, c1_0) : x.mul(b0v).add(c1_0);
            c1_1 = FMA ? x.fma(b1v, c1_1) : x.mul(b1v).add(c1_1);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c2_0 = FMA ? x.fma(b0v, c2_0) : x.mul(b0v).add(c2_0);
            c2_1 = FMA ? x.fma(b1v, c2_1) : x.mul(b1v).add(c2_1);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c3_0 = FMA ? x.fma(b0v, c3_0) : x.mul(b0v).add(c3_0);
            c3_1 = FMA ? x.fma(b1v, c3_1) : x.mul(b1v).add(c3_1);
        }
        c0_0.intoArray(tile, 0);
        c0_1.intoArray(tile, L);
        c1_0.intoArray(tile, NR);
        c1_1.intoArray(tile, NR + L);
        c2_0.intoArray(tile, 2 * NR);
        c2_1.intoArray(tile, 2 * NR + L);
        c3_0.intoArray(tile, 3 * NR);
        c3_1.intoArray(tile, 3 * NR + L);
    }

    /**
     * {@link #multiplyPackedInto} into the tile, for a last panel at most one vector wide ({@code nr <= L}): only the
     * first vector of each B row is loaded and only the left half of the tile is written, so a
     * narrow output (10 classes) wastes less of the work on padding.
     */
    static void multiplyPackedNarrow(int kc, float[] a, int a0, float[] b, int b0, float[] tile) {
        if (PMR == 12) {
            multiplyPacked12Narrow(kc, a, a0, b, b0, tile);
        } else {
            multiplyPacked6Narrow(kc, a, a0, b, b0, tile);
        }
    }

    /** {@link #multiplyPackedNarrow} with 12 rows. */
    private static void multiplyPacked12Narrow(int kc, float[] a, int a0, float[] b, int b0, float[] tile) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F), c5 = FloatVector.zero(F), c6 = FloatVector.zero(F), c7 = FloatVector.zero(F);
        FloatVector c8 = FloatVector.zero(F), c9 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * PMR;
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * NR);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c0 = FMA ? av.fma(bv, c0) : av.mul(bv).add(c0);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c1 = FMA ? av.fma(bv, c1) : av.mul(bv).add(c1);
            av = FloatVector.broadcast(F, a[ap + 2]);
            c2 = FMA ? av.fma(bv, c2) : av.mul(bv).add(c2);
            av = FloatVector.broadcast(F, a[ap + 3]);
            c3 = FMA ? av.fma(bv, c3) : av.mul(bv).add(c3);
            av = FloatVector.broadcast(F, a[ap + 4]);
            c4 = FMA ? av.fma(bv, c4) : av.mul(bv).add(c4);
            av = FloatVector.broadcast(F, a[ap + 5]);
            c5 = FMA ? av.fma(bv, c5) : av.mul(bv).add(c5);
            av = FloatVector.broadcast(F, a[ap + 6]);
            c6 = FMA ? av.fma(bv, c6) : av.mul(bv).add(c6);
            av = FloatVector.broadcast(F, a[ap + 7]);
            c7 = FMA ? av.fma(bv, c7) : av.mul(bv).add(c7);
            av = FloatVector.broadcast(F, a[ap + 8]);
            c8 = FMA ? av.fma(bv, c8) : av.mul(bv).add(c8);
            av = FloatVector.broadcast(F, a[ap + 9]);
            c9 = FMA ? av.fma(bv, c9) : av.mul(bv).add(c9);
            av = FloatVector.broadcast(F, a[ap + 10]);
            c10 = FMA ? av.fma(bv, c10) : av.mul(bv).add(c10);
            av = FloatVector.broadcast(F, a[ap + 11]);
            c11 = FMA ? av.fma(bv, c11) : av.mul(bv).add(c11);
        }
        c0.intoArray(tile, 0 * NR);
        c1.intoArray(tile, 1 * NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
        c6.intoArray(tile, 6 * NR);
        c7.intoArray(tile, 7 * NR);
        c8.intoArray(tile, 8 * NR);
        c9.intoArray(tile, 9 * NR);
        c10.intoArray(tile, 10 * NR);
        c11.intoArray(tile, 11 * NR);
    }

    /**
     * {@link #multiplyPackedInto} with 6 rows: 12 accumulators, which with the two B vectors and a
     * broadcast fit the 16 registers of AVX2. (The 12-row kernel spills there, and C2 took seconds
     * to compile it, three times over, in the first epoch of a training run.)
     */
    private static void multiplyPacked6(int kc, float[] a, int a0, float[] b, int b0, float[] c, int c0, int ldc,
            boolean add, float[] bias, int biasOff) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        FloatVector c4_0 = FloatVector.zero(F), c4_1 = FloatVector.zero(F);
        FloatVector c5_0 = FloatVector.zero(F), c5_1 = FloatVector.zero(F);
        // Two steps of p per iteration, each with its own broadcasts, and the bound written p + 2 <= kc:
        // C2's code for this form runs much faster than for one step per iteration, or for a guarded
        // second step (the same operations on each accumulator, in the same order; see
        // benchmarks/README.md).
        // kc is even (see depth): with a separate last step the method grew large enough that C2 at
        // times stopped inlining the Vector API's calls halfway through it, and every vector of the
        // loop was then allocated.
        int ap = a0;
        int bp = b0;
        for (int p = 0; p + 2 <= kc; p += 2, ap += 2 * PMR, bp += 2 * NR) {
            FloatVector b00 = FloatVector.fromArray(F, b, bp);
            FloatVector b01 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x00 = FloatVector.broadcast(F, a[ap]);
            c0_0 = FMA ? x00.fma(b00, c0_0) : x00.mul(b00).add(c0_0);
            c0_1 = FMA ? x00.fma(b01, c0_1) : x00.mul(b01).add(c0_1);
            FloatVector x01 = FloatVector.broadcast(F, a[ap + 1]);
            c1_0 = FMA ? x01.fma(b00, c1_0) : x01.mul(b00).add(c1_0);
            c1_1 = FMA ? x01.fma(b01, c1_1) : x01.mul(b01).add(c1_1);
            FloatVector x02 = FloatVector.broadcast(F, a[ap + 2]);
            c2_0 = FMA ? x02.fma(b00, c2_0) : x02.mul(b00).add(c2_0);
            c2_1 = FMA ? x02.fma(b01, c2_1) : x02.mul(b01).add(c2_1);
            FloatVector x03 = FloatVector.broadcast(F, a[ap + 3]);
            c3_0 = FMA ? x03.fma(b00, c3_0) : x03.mul(b00).add(c3_0);
            c3_1 = FMA ? x03.fma(b01, c3_1) : x03.mul(b01).add(c3_1);
            FloatVector x04 = FloatVector.broadcast(F, a[ap + 4]);
            c4_0 = FMA ? x04.fma(b00, c4_0) : x04.mul(b00).add(c4_0);
            c4_1 = FMA ? x04.fma(b01, c4_1) : x04.mul(b01).add(c4_1);
            FloatVector x05 = FloatVector.broadcast(F, a[ap + 5]);
            c5_0 = FMA ? x05.fma(b00, c5_0) : x05.mul(b00).add(c5_0);
            c5_1 = FMA ? x05.fma(b01, c5_1) : x05.mul(b01).add(c5_1);
            FloatVector b10 = FloatVector.fromArray(F, b, bp + NR);
            FloatVector b11 = FloatVector.fromArray(F, b, bp + NR + L);
            FloatVector x10 = FloatVector.broadcast(F, a[ap + PMR]);
            c0_0 = FMA ? x10.fma(b10, c0_0) : x10.mul(b10).add(c0_0);
            c0_1 = FMA ? x10.fma(b11, c0_1) : x10.mul(b11).add(c0_1);
            FloatVector x11 = FloatVector.broadcast(F, a[ap + PMR + 1]);
            c1_0 = FMA ? x11.fma(b10, c1_0) : x11.mul(b10).add(c1_0);
            c1_1 = FMA ? x11.fma(b11, c1_1) : x11.mul(b11).add(c1_1);
            FloatVector x12 = FloatVector.broadcast(F, a[ap + PMR + 2]);
            c2_0 = FMA ? x12.fma(b10, c2_0) : x12.mul(b10).add(c2_0);
            c2_1 = FMA ? x12.fma(b11, c2_1) : x12.mul(b11).add(c2_1);
            FloatVector x13 = FloatVector.broadcast(F, a[ap + PMR + 3]);
            c3_0 = FMA ? x13.fma(b10, c3_0) : x13.mul(b10).add(c3_0);
            c3_1 = FMA ? x13.fma(b11, c3_1) : x13.mul(b11).add(c3_1);
            FloatVector x14 = FloatVector.broadcast(F, a[ap + PMR + 4]);
            c4_0 = FMA ? x14.fma(b10, c4_0) : x14.mul(b10).add(c4_0);
            c4_1 = FMA ? x14.fma(b11, c4_1) : x14.mul(b11).add(c4_1);
            FloatVector x15 = FloatVector.broadcast(F, a[ap + PMR + 5]);
            c5_0 = FMA ? x15.fma(b10, c5_0) : x15.mul(b10).add(c5_0);
            c5_1 = FMA ? x15.fma(b11, c5_1) : x15.mul(b11).add(c5_1);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c0_0 = c0_0.add(bias0);
            c0_1 = c0_1.add(bias1);
            c1_0 = c1_0.add(bias0);
            c1_1 = c1_1.add(bias1);
            c2_0 = c2_0.add(bias0);
            c2_1 = c2_1.add(bias1);
            c3_0 = c3_0.add(bias0);
            c3_1 = c3_1.add(bias1);
            c4_0 = c4_0.add(bias0);
            c4_1 = c4_1.add(bias1);
            c5_0 = c5_0.add(bias0);
            c5_1 = c5_1.add(bias1);
        }
        if (add) {
            c0_0 = c0_0.add(FloatVector.fromArray(F, c, c0 + 0 * ldc));
            c0_1 = c0_1.add(FloatVector.fromArray(F, c, c0 + 0 * ldc + L));
            c1_0 = c1_0.add(FloatVector.fromArray(F, c, c0 + 1 * ldc));
            c1_1 = c1_1.add(FloatVector.fromArray(F, c, c0 + 1 * ldc + L));
            c2_0 = c2_0.add(FloatVector.fromArray(F, c, c0 + 2 * ldc));
            c2_1 = c2_1.add(FloatVector.fromArray(F, c, c0 + 2 * ldc + L));
            c3_0 = c3_0.add(FloatVector.fromArray(F, c, c0 + 3 * ldc));
            c3_1 = c3_1.add(FloatVector.fromArray(F, c, c0 + 3 * ldc + L));
            c4_0 = c4_0.add(FloatVector.fromArray(F, c, c0 + 4 * ldc));
            c4_1 = c4_1.add(FloatVector.fromArray(F, c, c0 + 4 * ldc + L));
            c5_0 = c5_0.add(FloatVector.fromArray(F, c, c0 + 5 * ldc));
            c5_1 = c5_1.add(FloatVector.fromArray(F, c, c0 + 5 * ldc + L));
        }
        c0_0.intoArray(c, c0 + 0 * ldc);
        c0_1.intoArray(c, c0 + 0 * ldc + L);
        c1_0.intoArray(c, c0 + 1 * ldc);
        c1_1.intoArray(c, c0 + 1 * ldc + L);
        c2_0.intoArray(c, c0 + 2 * ldc);
        c2_1.intoArray(c, c0 + 2 * ldc + L);
        c3_0.intoArray(c, c0 + 3 * ldc);
        c3_1.intoArray(c, c0 + 3 * ldc + L);
        c4_0.intoArray(c, c0 + 4 * ldc);
        c4_1.intoArray(c, c0 + 4 * ldc + L);
        c5_0.intoArray(c, c0 + 5 * ldc);
        c5_1.intoArray(c, c0 + 5 * ldc + L);
    }

    /**
     * {@link #multiplyPackedInto} with 6 rows whose A is read where it lies, a row-major matrix (element
     * (i, p) at {@code a[a0 + i * lda + p]}), and B from packed panels: the same products, added in the
     * same order, so the same bits as packing A first. Where two threads share a product by columns
     * each would pack all of A for itself; reading it in place saves that copy (see
     * VectorGemm's {@code aInPlace}). One step of p per iteration: in the two-step form C2 kept the
     * bounds checks of A's six rows in the loop, and this form has none. So kc may be odd (a K block's
     * own depth, where the packed kernels take one zero row more).
     */
    static void multiplyRowMajorA6(int kc, float[] a, int a0, int lda, float[] b, int b0, float[] c, int c0, int ldc,
            boolean add, float[] bias, int biasOff) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        FloatVector c4_0 = FloatVector.zero(F), c4_1 = FloatVector.zero(F);
        FloatVector c5_0 = FloatVector.zero(F), c5_1 = FloatVector.zero(F);
        int r1 = a0 + lda;
        int r2 = a0 + 2 * lda;
        int r3 = a0 + 3 * lda;
        int r4 = a0 + 4 * lda;
        int r5 = a0 + 5 * lda;
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            c0_0 = FMA ? x.fma(b0v, c0_0) : x.mul(b0v).add(c0_0);
            c0_1 = FMA ? x.fma(b1v, c0_1) : x.mul(b1v).add(c0_1);
            x = FloatVector.broadcast(F, a[r1 + p]);
            c1_0 = FMA ? x.fma(b0v, c1_0) : x.mul(b0v).add(c1_0);
            c1_1 = FMA ? x.fma(b1v, c1_1) : x.mul(b1v).add(c1_1);
            x = FloatVector.broadcast(F, a[r2 + p]);
            c2_0 = FMA ? x.fma(b0v, c2_0) : x.mul(b0v).add(c2_0);
            c2_1 = FMA ? x.fma(b1v, c2_1) : x.mul(b1v).add(c2_1);
            x = FloatVector.broadcast(F, a[r3 + p]);
            c3_0 = FMA ? x.fma(b0v, c3_0) : x.mul(b0v).add(c3_0);
            c3_1 = FMA ? x.fma(b1v, c3_1) : x.mul(b1v).add(c3_1);
            x = FloatVector.broadcast(F, a[r4 + p]);
            c4_0 = FMA ? x.fma(b0v, c4_0) : x.mul(b0v).add(c4_0);
            c4_1 = FMA ? x.fma(b1v, c4_1) : x.mul(b1v).add(c4_1);
            x = FloatVector.broadcast(F, a[r5 + p]);
            c5_0 = FMA ? x.fma(b0v, c5_0) : x.mul(b0v).add(c5_0);
            c5_1 = FMA ? x.fma(b1v, c5_1) : x.mul(b1v).add(c5_1);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c0_0 = c0_0.add(bias0);
            c0_1 = c0_1.add(bias1);
            c1_0 = c1_0.add(bias0);
            c1_1 = c1_1.add(bias1);
            c2_0 = c2_0.add(bias0);
            c2_1 = c2_1.add(bias1);
            c3_0 = c3_0.add(bias0);
            c3_1 = c3_1.add(bias1);
            c4_0 = c4_0.add(bias0);
            c4_1 = c4_1.add(bias1);
            c5_0 = c5_0.add(bias0);
            c5_1 = c5_1.add(bias1);
        }
        if (add) {
            c0_0 = c0_0.add(FloatVector.fromArray(F, c, c0));
            c0_1 = c0_1.add(FloatVector.fromArray(F, c, c0 + L));
            c1_0 = c1_0.add(FloatVector.fromArray(F, c, c0 + ldc));
            c1_1 = c1_1.add(FloatVector.fromArray(F, c, c0 + ldc + L));
            c2_0 = c2_0.add(FloatVector.fromArray(F, c, c0 + 2 * ldc));
            c2_1 = c2_1.add(FloatVector.fromArray(F, c, c0 + 2 * ldc + L));
            c3_0 = c3_0.add(FloatVector.fromArray(F, c, c0 + 3 * ldc));
            c3_1 = c3_1.add(FloatVector.fromArray(F, c, c0 + 3 * ldc + L));
            c4_0 = c4_0.add(FloatVector.fromArray(F, c, c0 + 4 * ldc));
            c4_1 = c4_1.add(FloatVector.fromArray(F, c, c0 + 4 * ldc + L));
            c5_0 = c5_0.add(FloatVector.fromArray(F, c, c0 + 5 * ldc));
            c5_1 = c5_1.add(FloatVector.fromArray(F, c, c0 + 5 * ldc + L));
        }
        c0_0.intoArray(c, c0);
        c0_1.intoArray(c, c0 + L);
        c1_0.intoArray(c, c0 + ldc);
        c1_1.intoArray(c, c0 + ldc + L);
        c2_0.intoArray(c, c0 + 2 * ldc);
        c2_1.intoArray(c, c0 + 2 * ldc + L);
        c3_0.intoArray(c, c0 + 3 * ldc);
        c3_1.intoArray(c, c0 + 3 * ldc + L);
        c4_0.intoArray(c, c0 + 4 * ldc);
        c4_1.intoArray(c, c0 + 4 * ldc + L);
        c5_0.intoArray(c, c0 + 5 * ldc);
        c5_1.intoArray(c, c0 + 5 * ldc + L);
    }

    /**
     * {@link #multiplyRowMajorA6} into the tile for a last panel at most one vector wide, as
     * {@link #multiplyPackedNarrow} is to {@link #multiplyPackedInto}: the same sums in the same order.
     */
    static void multiplyRowMajorA6Narrow(int kc, float[] a, int a0, int lda, float[] b, int b0, float[] tile) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F), c4 = FloatVector.zero(F), c5 = FloatVector.zero(F);
        int r1 = a0 + lda;
        int r2 = a0 + 2 * lda;
        int r3 = a0 + 3 * lda;
        int r4 = a0 + 4 * lda;
        int r5 = a0 + 5 * lda;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * NR);
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            c0 = FMA ? av.fma(bv, c0) : av.mul(bv).add(c0);
            av = FloatVector.broadcast(F, a[r1 + p]);
            c1 = FMA ? av.fma(bv, c1) : av.mul(bv).add(c1);
            av = FloatVector.broadcast(F, a[r2 + p]);
            c2 = FMA ? av.fma(bv, c2) : av.mul(bv).add(c2);
            av = FloatVector.broadcast(F, a[r3 + p]);
            c3 = FMA ? av.fma(bv, c3) : av.mul(bv).add(c3);
            av = FloatVector.broadcast(F, a[r4 + p]);
            c4 = FMA ? av.fma(bv, c4) : av.mul(bv).add(c4);
            av = FloatVector.broadcast(F, a[r5 + p]);
            c5 = FMA ? av.fma(bv, c5) : av.mul(bv).add(c5);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
    }

    /** {@link #multiplyPackedNarrow} with 6 rows. */
    private static void multiplyPacked6Narrow(int kc, float[] a, int a0, float[] b, int b0, float[] tile) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F), c4 = FloatVector.zero(F), c5 = FloatVector.zero(F);
        int ap = a0;
        int bp = b0;
        for (int p = 0; p + 2 <= kc; p += 2, ap += 2 * PMR, bp += 2 * NR) {
            FloatVector bv = FloatVector.fromArray(F, b, bp);
            FloatVector bw = FloatVector.fromArray(F, b, bp + NR);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c0 = FMA ? av.fma(bv, c0) : av.mul(bv).add(c0);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c1 = FMA ? av.fma(bv, c1) : av.mul(bv).add(c1);
            av = FloatVector.broadcast(F, a[ap + 2]);
            c2 = FMA ? av.fma(bv, c2) : av.mul(bv).add(c2);
            av = FloatVector.broadcast(F, a[ap + 3]);
            c3 = FMA ? av.fma(bv, c3) : av.mul(bv).add(c3);
            av = FloatVector.broadcast(F, a[ap + 4]);
            c4 = FMA ? av.fma(bv, c4) : av.mul(bv).add(c4);
            av = FloatVector.broadcast(F, a[ap + 5]);
            c5 = FMA ? av.fma(bv, c5) : av.mul(bv).add(c5);
            av = FloatVector.broadcast(F, a[ap + PMR]);
            c0 = FMA ? av.fma(bw, c0) : av.mul(bw).add(c0);
            av = FloatVector.broadcast(F, a[ap + PMR + 1]);
            c1 = FMA ? av.fma(bw, c1) : av.mul(bw).add(c1);
            av = FloatVector.broadcast(F, a[ap + PMR + 2]);
            c2 = FMA ? av.fma(bw, c2) : av.mul(bw).add(c2);
            av = FloatVector.broadcast(F, a[ap + PMR + 3]);
            c3 = FMA ? av.fma(bw, c3) : av.mul(bw).add(c3);
            av = FloatVector.broadcast(F, a[ap + PMR + 4]);
            c4 = FMA ? av.fma(bw, c4) : av.mul(bw).add(c4);
            av = FloatVector.broadcast(F, a[ap + PMR + 5]);
            c5 = FMA ? av.fma(bw, c5) : av.mul(bw).add(c5);
        }
        c0.intoArray(tile, 0 * NR);
        c1.intoArray(tile, 1 * NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
    }

    /**
     * {@code C = sum_p A[., p] (x) B[p, .] (+ bias)} for p in [0, kc), reading A and B in place: A
     * element (i, p) is {@code a[a0 + i * aRow + p * aStep]} for i in [0, rows) (rows at most MR;
     * the tile's rows from {@code rows} on repeat the last row and are not to be stored), B's row p is the NR
     * floats at {@code b[b0 + p * bStep]}. The MR x NR result goes to {@code c} from {@code c0}, rows
     * {@code ldc} apart: straight into C when the store is a plain copy (alpha 1, beta 0), else into
     * the tile buffer (ldc = NR, no bias) for {@link #merge}. Going through the tile cost a third of
     * the time of a product with a short inner dimension (128 x 128 x 10).
     */
    static void multiply(int kc, int rows, float[] a, int a0, int aRow, int aStep, float[] b, int b0, int bStep,
            float[] c, int c0, int ldc, float[] bias, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        // Rows past the last (rows < MR) read the last row again: their sums go to tile rows that are not stored.
        int last = rows - 1;
        int r1 = Math.min(1, last) * aRow, r2 = Math.min(2, last) * aRow, r3 = Math.min(3, last) * aRow;
        int r4 = Math.min(4, last) * aRow, r5 = Math.min(5, last) * aRow, r6 = Math.min(6, last) * aRow;
        int r7 = Math.min(7, last) * aRow;
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * aStep;
            int bp = b0 + p * bStep;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = FMA ? x.fma(b0v, c00) : x.mul(b0v).add(c00);
            c01 = FMA ? x.fma(b1v, c01) : x.mul(b1v).add(c01);
            x = FloatVector.broadcast(F, a[ap + r1]);
            c10 = FMA ? x.fma(b0v, c10) : x.mul(b0v).add(c10);
            c11 = FMA ? x.fma(b1v, c11) : x.mul(b1v).add(c11);
            x = FloatVector.broadcast(F, a[ap + r2]);
            c20 = FMA ? x.fma(b0v, c20) : x.mul(b0v).add(c20);
            c21 = FMA ? x.fma(b1v, c21) : x.mul(b1v).add(c21);
            x = FloatVector.broadcast(F, a[ap + r3]);
            c30 = FMA ? x.fma(b0v, c30) : x.mul(b0v).add(c30);
            c31 = FMA ? x.fma(b1v, c31) : x.mul(b1v).add(c31);
            x = FloatVector.broadcast(F, a[ap + r4]);
            c40 = FMA ? x.fma(b0v, c40) : x.mul(b0v).add(c40);
            c41 = FMA ? x.fma(b1v, c41) : x.mul(b1v).add(c41);
            x = FloatVector.broadcast(F, a[ap + r5]);
            c50 = FMA ? x.fma(b0v, c50) : x.mul(b0v).add(c50);
            c51 = FMA ? x.fma(b1v, c51) : x.mul(b1v).add(c51);
            x = FloatVector.broadcast(F, a[ap + r6]);
            c60 = FMA ? x.fma(b0v, c60) : x.mul(b0v).add(c60);
            c61 = FMA ? x.fma(b1v, c61) : x.mul(b1v).add(c61);
            x = FloatVector.broadcast(F, a[ap + r7]);
            c70 = FMA ? x.fma(b0v, c70) : x.mul(b0v).add(c70);
            c71 = FMA ? x.fma(b1v, c71) : x.mul(b1v).add(c71);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c00 = c00.add(bias0);
            c01 = c01.add(bias1);
            c10 = c10.add(bias0);
            c11 = c11.add(bias1);
            c20 = c20.add(bias0);
            c21 = c21.add(bias1);
            c30 = c30.add(bias0);
            c31 = c31.add(bias1);
            c40 = c40.add(bias0);
            c41 = c41.add(bias1);
            c50 = c50.add(bias0);
            c51 = c51.add(bias1);
            c60 = c60.add(bias0);
            c61 = c61.add(bias1);
            c70 = c70.add(bias0);
            c71 = c71.add(bias1);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
        c60.intoArray(c, c0 + 6 * ldc);
        c61.intoArray(c, c0 + 6 * ldc + L);
        c70.intoArray(c, c0 + 7 * ldc);
        c71.intoArray(c, c0 + 7 * ldc + L);
    }

    /**
     * {@code C = A B (+ bias)} for 4 rows and 4 vectors of columns (2 NR), A row-major and read in place
     * (element (i, p) at {@code a[a0 + i * aRow + p]}), B two packed panels one after the other (the
     * left NR columns' row p at {@code b[b0 + p * NR]}, the right ones' at {@code b[b0 + (kc + p) * NR]}).
     * Every index is then the loop counter times a constant plus a constant, and C2 moves all eight
     * bounds checks out of the loop; {@link #multiply}, with A's and B's strides variables, keeps its
     * ten in the loop, and needs more general registers than there are. Four rows of four vectors
     * rather than eight of two: half the broadcasts per multiply-add and half the rows to index, which
     * where the inner dimension is short (the input gradient of a 10-class layer, k = 10) ran the whole
     * product 1.14 times as fast as 8-row tiles with the same constant steps, on AMD Zen 4
     * (benchmarks/README.md). C's left half goes to
     * {@code c0 + r * ldc}, its right half to {@code c0 + right + r * ldc} (NR further in C itself; a
     * second tile in the tile buffer). Rows past the last ({@code rows < 4}) read the last row again;
     * their sums go to rows that are not stored.
     */
    static void multiplyFourRows(int kc, int rows, float[] a, int a0, int aRow, float[] b, int b0,
            float[] c, int c0, int ldc, int right, float[] bias, int biasOff) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c0_2 = FloatVector.zero(F), c0_3 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c1_2 = FloatVector.zero(F), c1_3 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c2_2 = FloatVector.zero(F), c2_3 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        FloatVector c3_2 = FloatVector.zero(F), c3_3 = FloatVector.zero(F);
        int last = rows - 1;
        int r1 = a0 + Math.min(1, last) * aRow, r2 = a0 + Math.min(2, last) * aRow;
        int r3 = a0 + Math.min(3, last) * aRow;
        int b1 = b0 + kc * NR;
        for (int p = 0; p < kc; p++) {
            FloatVector b0v = FloatVector.fromArray(F, b, b0 + p * NR);
            FloatVector b1v = FloatVector.fromArray(F, b, b0 + p * NR + L);
            FloatVector b2v = FloatVector.fromArray(F, b, b1 + p * NR);
            FloatVector b3v = FloatVector.fromArray(F, b, b1 + p * NR + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            c0_0 = FMA ? x.fma(b0v, c0_0) : x.mul(b0v).add(c0_0);
            c0_1 = FMA ? x.fma(b1v, c0_1) : x.mul(b1v).add(c0_1);
            c0_2 = FMA ? x.fma(b2v, c0_2) : x.mul(b2v).add(c0_2);
            c0_3 = FMA ? x.fma(b3v, c0_3) : x.mul(b3v).add(c0_3);
            x = FloatVector.broadcast(F, a[r1 + p]);
            c1_0 = FMA ? x.fma(b0v, c1_0) : x.mul(b0v).add(c1_0);
            c1_1 = FMA ? x.fma(b1v, c1_1) : x.mul(b1v).add(c1_1);
            c1_2 = FMA ? x.fma(b2v, c1_2) : x.mul(b2v).add(c1_2);
            c1_3 = FMA ? x.fma(b3v, c1_3) : x.mul(b3v).add(c1_3);
            x = FloatVector.broadcast(F, a[r2 + p]);
            c2_0 = FMA ? x.fma(b0v, c2_0) : x.mul(b0v).add(c2_0);
            c2_1 = FMA ? x.fma(b1v, c2_1) : x.mul(b1v).add(c2_1);
            c2_2 = FMA ? x.fma(b2v, c2_2) : x.mul(b2v).add(c2_2);
            c2_3 = FMA ? x.fma(b3v, c2_3) : x.mul(b3v).add(c2_3);
            x = FloatVector.broadcast(F, a[r3 + p]);
            c3_0 = FMA ? x.fma(b0v, c3_0) : x.mul(b0v).add(c3_0);
            c3_1 = FMA ? x.fma(b1v, c3_1) : x.mul(b1v).add(c3_1);
            c3_2 = FMA ? x.fma(b2v, c3_2) : x.mul(b2v).add(c3_2);
            c3_3 = FMA ? x.fma(b3v, c3_3) : x.mul(b3v).add(c3_3);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            FloatVector bias2 = FloatVector.fromArray(F, bias, biasOff + 2 * L);
            FloatVector bias3 = FloatVector.fromArray(F, bias, biasOff + 3 * L);
            c0_0 = c0_0.add(bias0);
            c0_1 = c0_1.add(bias1);
            c0_2 = c0_2.add(bias2);
            c0_3 = c0_3.add(bias3);
            c1_0 = c1_0.add(bias0);
            c1_1 = c1_1.add(bias1);
            c1_2 = c1_2.add(bias2);
            c1_3 = c1_3.add(bias3);
            c2_0 = c2_0.add(bias0);
            c2_1 = c2_1.add(bias1);
            c2_2 = c2_2.add(bias2);
            c2_3 = c2_3.add(bias3);
            c3_0 = c3_0.add(bias0);
            c3_1 = c3_1.add(bias1);
            c3_2 = c3_2.add(bias2);
            c3_3 = c3_3.add(bias3);
        }
        int c1 = c0 + right;
        c0_0.intoArray(c, c0);
        c0_1.intoArray(c, c0 + L);
        c0_2.intoArray(c, c1);
        c0_3.intoArray(c, c1 + L);
        c1_0.intoArray(c, c0 + 1 * ldc);
        c1_1.intoArray(c, c0 + 1 * ldc + L);
        c1_2.intoArray(c, c1 + 1 * ldc);
        c1_3.intoArray(c, c1 + 1 * ldc + L);
        c2_0.intoArray(c, c0 + 2 * ldc);
        c2_1.intoArray(c, c0 + 2 * ldc + L);
        c2_2.intoArray(c, c1 + 2 * ldc);
        c2_3.intoArray(c, c1 + 2 * ldc + L);
        c3_0.intoArray(c, c0 + 3 * ldc);
        c3_1.intoArray(c, c0 + 3 * ldc + L);
        c3_2.intoArray(c, c1 + 3 * ldc);
        c3_3.intoArray(c, c1 + 3 * ldc + L);
    }

    /**
     * {@link #multiply} with 6 rows ({@code rows} at most 6): 12 accumulators, which with two B vectors
     * and a broadcast fit AVX2's 16 registers ({@link #SIX_ROWS_IN_PLACE}).
     */
    static void multiplySix(int kc, int rows, float[] a, int a0, int aRow, int aStep, float[] b, int b0, int bStep,
            float[] c, int c0, int ldc, float[] bias, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        // Rows past the last (rows < 6) read the last row again: their sums go to tile rows that are not stored.
        int last = rows - 1;
        int r1 = Math.min(1, last) * aRow, r2 = Math.min(2, last) * aRow, r3 = Math.min(3, last) * aRow;
        int r4 = Math.min(4, last) * aRow, r5 = Math.min(5, last) * aRow;
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * aStep;
            int bp = b0 + p * bStep;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = FMA ? x.fma(b0v, c00) : x.mul(b0v).add(c00);
            c01 = FMA ? x.fma(b1v, c01) : x.mul(b1v).add(c01);
            x = FloatVector.broadcast(F, a[ap + r1]);
            c10 = FMA ? x.fma(b0v, c10) : x.mul(b0v).add(c10);
            c11 = FMA ? x.fma(b1v, c11) : x.mul(b1v).add(c11);
            x = FloatVector.broadcast(F, a[ap + r2]);
            c20 = FMA ? x.fma(b0v, c20) : x.mul(b0v).add(c20);
            c21 = FMA ? x.fma(b1v, c21) : x.mul(b1v).add(c21);
            x = FloatVector.broadcast(F, a[ap + r3]);
            c30 = FMA ? x.fma(b0v, c30) : x.mul(b0v).add(c30);
            c31 = FMA ? x.fma(b1v, c31) : x.mul(b1v).add(c31);
            x = FloatVector.broadcast(F, a[ap + r4]);
            c40 = FMA ? x.fma(b0v, c40) : x.mul(b0v).add(c40);
            c41 = FMA ? x.fma(b1v, c41) : x.mul(b1v).add(c41);
            x = FloatVector.broadcast(F, a[ap + r5]);
            c50 = FMA ? x.fma(b0v, c50) : x.mul(b0v).add(c50);
            c51 = FMA ? x.fma(b1v, c51) : x.mul(b1v).add(c51);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c00 = c00.add(bias0);
            c01 = c01.add(bias1);
            c10 = c10.add(bias0);
            c11 = c11.add(bias1);
            c20 = c20.add(bias0);
            c21 = c21.add(bias1);
            c30 = c30.add(bias0);
            c31 = c31.add(bias1);
            c40 = c40.add(bias0);
            c41 = c41.add(bias1);
            c50 = c50.add(bias0);
            c51 = c51.add(bias1);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
    }

    /**
     * {@link #multiplySix} for an A whose rows are contiguous along p (a row-major A, not transposed):
     * element (i, p) at {@code a[a0 + i * aRow + p]}. A's index is then the loop counter plus a
     * constant, and C2 moves its bounds checks out of the loop; with a variable step they stay in it,
     * one at every broadcast, and alone this kernel ran 1.4 times as fast as {@link #multiplySix}
     * (benchmarks/README.md). A transposed A keeps {@link #multiplySix}: copying its rows out first
     * cost about what the faster loop saved.
     */
    static void multiplySixRowMajor(int kc, int rows, float[] a, int a0, int aRow, float[] b, int b0, int bStep,
            float[] c, int c0, int ldc, float[] bias, int biasOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        // Rows past the last (rows < 6) read the last row again: their sums go to tile rows that are not stored.
        int last = rows - 1;
        int r1 = a0 + Math.min(1, last) * aRow, r2 = a0 + Math.min(2, last) * aRow, r3 = a0 + Math.min(3, last) * aRow;
        int r4 = a0 + Math.min(4, last) * aRow, r5 = a0 + Math.min(5, last) * aRow;
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * bStep;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            c00 = FMA ? x.fma(b0v, c00) : x.mul(b0v).add(c00);
            c01 = FMA ? x.fma(b1v, c01) : x.mul(b1v).add(c01);
            x = FloatVector.broadcast(F, a[r1 + p]);
            c10 = FMA ? x.fma(b0v, c10) : x.mul(b0v).add(c10);
            c11 = FMA ? x.fma(b1v, c11) : x.mul(b1v).add(c11);
            x = FloatVector.broadcast(F, a[r2 + p]);
            c20 = FMA ? x.fma(b0v, c20) : x.mul(b0v).add(c20);
            c21 = FMA ? x.fma(b1v, c21) : x.mul(b1v).add(c21);
            x = FloatVector.broadcast(F, a[r3 + p]);
            c30 = FMA ? x.fma(b0v, c30) : x.mul(b0v).add(c30);
            c31 = FMA ? x.fma(b1v, c31) : x.mul(b1v).add(c31);
            x = FloatVector.broadcast(F, a[r4 + p]);
            c40 = FMA ? x.fma(b0v, c40) : x.mul(b0v).add(c40);
            c41 = FMA ? x.fma(b1v, c41) : x.mul(b1v).add(c41);
            x = FloatVector.broadcast(F, a[r5 + p]);
            c50 = FMA ? x.fma(b0v, c50) : x.mul(b0v).add(c50);
            c51 = FMA ? x.fma(b1v, c51) : x.mul(b1v).add(c51);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c00 = c00.add(bias0);
            c01 = c01.add(bias1);
            c10 = c10.add(bias0);
            c11 = c11.add(bias1);
            c20 = c20.add(bias0);
            c21 = c21.add(bias1);
            c30 = c30.add(bias0);
            c31 = c31.add(bias1);
            c40 = c40.add(bias0);
            c41 = c41.add(bias1);
            c50 = c50.add(bias0);
            c51 = c51.add(bias1);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + 1 * ldc);
        c11.intoArray(c, c0 + 1 * ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + L);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + L);
    }

    /**
     * {@link #multiply} with 12 rows: 24 accumulators, two B vectors and a broadcast, for 32 vector
     * registers ({@link #TWELVE_ROWS_IN_PLACE}). A product of 9 to 12 rows (a 10-class layer's weight
     * gradient) then makes one pass over B instead of two 8-row ones. A is one packed panel, laid out
     * as {@link GemmPacking#packA} writes it (element (r, p) at {@code a[a0 + p * PMR + r]}; rows past
     * the product's last may hold anything, their sums are not stored), B read in place: A's step is
     * then a constant and C2 moves the bounds checks of the twelve broadcasts out of the loop, which
     * with A's own (variable) step stayed in it, one at every broadcast (AMD Zen 4: a 10-class layer's
     * weight gradient 1.15 times as fast; benchmarks/README.md).
     */
    static void multiplyTwelve(int kc, float[] a, int a0, float[] b, int b0, int bStep,
            float[] c, int c0, int ldc, float[] bias, int biasOff) {
        FloatVector c0_0 = FloatVector.zero(F), c0_1 = FloatVector.zero(F);
        FloatVector c1_0 = FloatVector.zero(F), c1_1 = FloatVector.zero(F);
        FloatVector c2_0 = FloatVector.zero(F), c2_1 = FloatVector.zero(F);
        FloatVector c3_0 = FloatVector.zero(F), c3_1 = FloatVector.zero(F);
        FloatVector c4_0 = FloatVector.zero(F), c4_1 = FloatVector.zero(F);
        FloatVector c5_0 = FloatVector.zero(F), c5_1 = FloatVector.zero(F);
        FloatVector c6_0 = FloatVector.zero(F), c6_1 = FloatVector.zero(F);
        FloatVector c7_0 = FloatVector.zero(F), c7_1 = FloatVector.zero(F);
        FloatVector c8_0 = FloatVector.zero(F), c8_1 = FloatVector.zero(F);
        FloatVector c9_0 = FloatVector.zero(F), c9_1 = FloatVector.zero(F);
        FloatVector c10_0 = FloatVector.zero(F), c10_1 = FloatVector.zero(F);
        FloatVector c11_0 = FloatVector.zero(F), c11_1 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * PMR;
            int bp = b0 + p * bStep;
            FloatVector b0v = FloatVector.fromArray(F, b, bp);
            FloatVector b1v = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c0_0 = FMA ? x.fma(b0v, c0_0) : x.mul(b0v).add(c0_0);
            c0_1 = FMA ? x.fma(b1v, c0_1) : x.mul(b1v).add(c0_1);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c1_0 = FMA ? x.fma(b0v, c1_0) : x.mul(b0v).add(c1_0);
            c1_1 = FMA ? x.fma(b1v, c1_1) : x.mul(b1v).add(c1_1);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c2_0 = FMA ? x.fma(b0v, c2_0) : x.mul(b0v).add(c2_0);
            c2_1 = FMA ? x.fma(b1v, c2_1) : x.mul(b1v).add(c2_1);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c3_0 = FMA ? x.fma(b0v, c3_0) : x.mul(b0v).add(c3_0);
            c3_1 = FMA ? x.fma(b1v, c3_1) : x.mul(b1v).add(c3_1);
            x = FloatVector.broadcast(F, a[ap + 4]);
            c4_0 = FMA ? x.fma(b0v, c4_0) : x.mul(b0v).add(c4_0);
            c4_1 = FMA ? x.fma(b1v, c4_1) : x.mul(b1v).add(c4_1);
            x = FloatVector.broadcast(F, a[ap + 5]);
            c5_0 = FMA ? x.fma(b0v, c5_0) : x.mul(b0v).add(c5_0);
            c5_1 = FMA ? x.fma(b1v, c5_1) : x.mul(b1v).add(c5_1);
            x = FloatVector.broadcast(F, a[ap + 6]);
            c6_0 = FMA ? x.fma(b0v, c6_0) : x.mul(b0v).add(c6_0);
            c6_1 = FMA ? x.fma(b1v, c6_1) : x.mul(b1v).add(c6_1);
            x = FloatVector.broadcast(F, a[ap + 7]);
            c7_0 = FMA ? x.fma(b0v, c7_0) : x.mul(b0v).add(c7_0);
            c7_1 = FMA ? x.fma(b1v, c7_1) : x.mul(b1v).add(c7_1);
            x = FloatVector.broadcast(F, a[ap + 8]);
            c8_0 = FMA ? x.fma(b0v, c8_0) : x.mul(b0v).add(c8_0);
            c8_1 = FMA ? x.fma(b1v, c8_1) : x.mul(b1v).add(c8_1);
            x = FloatVector.broadcast(F, a[ap + 9]);
            c9_0 = FMA ? x.fma(b0v, c9_0) : x.mul(b0v).add(c9_0);
            c9_1 = FMA ? x.fma(b1v, c9_1) : x.mul(b1v).add(c9_1);
            x = FloatVector.broadcast(F, a[ap + 10]);
            c10_0 = FMA ? x.fma(b0v, c10_0) : x.mul(b0v).add(c10_0);
            c10_1 = FMA ? x.fma(b1v, c10_1) : x.mul(b1v).add(c10_1);
            x = FloatVector.broadcast(F, a[ap + 11]);
            c11_0 = FMA ? x.fma(b0v, c11_0) : x.mul(b0v).add(c11_0);
            c11_1 = FMA ? x.fma(b1v, c11_1) : x.mul(b1v).add(c11_1);
        }
        if (bias != null) {
            FloatVector bias0 = FloatVector.fromArray(F, bias, biasOff);
            FloatVector bias1 = FloatVector.fromArray(F, bias, biasOff + L);
            c0_0 = c0_0.add(bias0);
            c0_1 = c0_1.add(bias1);
            c1_0 = c1_0.add(bias0);
            c1_1 = c1_1.add(bias1);
            c2_0 = c2_0.add(bias0);
            c2_1 = c2_1.add(bias1);
            c3_0 = c3_0.add(bias0);
            c3_1 = c3_1.add(bias1);
            c4_0 = c4_0.add(bias0);
            c4_1 = c4_1.add(bias1);
            c5_0 = c5_0.add(bias0);
            c5_1 = c5_1.add(bias1);
            c6_0 = c6_0.add(bias0);
            c6_1 = c6_1.add(bias1);
            c7_0 = c7_0.add(bias0);
            c7_1 = c7_1.add(bias1);
            c8_0 = c8_0.add(bias0);
            c8_1 = c8_1.add(bias1);
            c9_0 = c9_0.add(bias0);
            c9_1 = c9_1.add(bias1);
            c10_0 = c10_0.add(bias0);
            c10_1 = c10_1.add(bias1);
            c11_0 = c11_0.add(bias0);
            c11_1 = c11_1.add(bias1);
        }
        c0_0.intoArray(c, c0);
        c0_1.intoArray(c, c0 + L);
        c1_0.intoArray(c, c0 + 1 * ldc);
        c1_1.intoArray(c, c0 + 1 * ldc + L);
        c2_0.intoArray(c, c0 + 2 * ldc);
        c2_1.intoArray(c, c0 + 2 * ldc + L);
        c3_0.intoArray(c, c0 + 3 * ldc);
        c3_1.intoArray(c, c0 + 3 * ldc + L);
        c4_0.intoArray(c, c0 + 4 * ldc);
        c4_1.intoArray(c, c0 + 4 * ldc + L);
        c5_0.intoArray(c, c0 + 5 * ldc);
        c5_1.intoArray(c, c0 + 5 * ldc + L);
        c6_0.intoArray(c, c0 + 6 * ldc);
        c6_1.intoArray(c, c0 + 6 * ldc + L);
        c7_0.intoArray(c, c0 + 7 * ldc);
        c7_1.intoArray(c, c0 + 7 * ldc + L);
        c8_0.intoArray(c, c0 + 8 * ldc);
        c8_1.intoArray(c, c0 + 8 * ldc + L);
        c9_0.intoArray(c, c0 + 9 * ldc);
        c9_1.intoArray(c, c0 + 9 * ldc + L);
        c10_0.intoArray(c, c0 + 10 * ldc);
        c10_1.intoArray(c, c0 + 10 * ldc + L);
        c11_0.intoArray(c, c0 + 11 * ldc);
        c11_1.intoArray(c, c0 + 11 * ldc + L);
    }

    /**
     * {@link #multiply} for a panel at most one vector wide ({@code nr <= L}): only the first vector
     * of each B row is loaded and only the left half of the tile is written. A narrow output (10
     * classes) then does 16 columns of work for 10, not 32. B is the in-place path's edge panel, its
     * rows {@link #NR} apart: a constant step, so C2 moves B's bounds checks out of the loop.
     */
    static void multiplyNarrow(int kc, int rows, float[] a, int a0, int aRow, int aStep, float[] b, int b0,
            float[] tile) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F), c5 = FloatVector.zero(F), c6 = FloatVector.zero(F), c7 = FloatVector.zero(F);
        // Rows past the last (rows < MR) read the last row again: their sums go to tile rows that are not stored.
        int last = rows - 1;
        int r1 = Math.min(1, last) * aRow, r2 = Math.min(2, last) * aRow, r3 = Math.min(3, last) * aRow;
        int r4 = Math.min(4, last) * aRow, r5 = Math.min(5, last) * aRow, r6 = Math.min(6, last) * aRow;
        int r7 = Math.min(7, last) * aRow;
        for (int p = 0; p < kc; p++) {
            int ap = a0 + p * aStep;
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * NR);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c0 = FMA ? av.fma(bv, c0) : av.mul(bv).add(c0);
            av = FloatVector.broadcast(F, a[ap + r1]);
            c1 = FMA ? av.fma(bv, c1) : av.mul(bv).add(c1);
            av = FloatVector.broadcast(F, a[ap + r2]);
            c2 = FMA ? av.fma(bv, c2) : av.mul(bv).add(c2);
            av = FloatVector.broadcast(F, a[ap + r3]);
            c3 = FMA ? av.fma(bv, c3) : av.mul(bv).add(c3);
            av = FloatVector.broadcast(F, a[ap + r4]);
            c4 = FMA ? av.fma(bv, c4) : av.mul(bv).add(c4);
            av = FloatVector.broadcast(F, a[ap + r5]);
            c5 = FMA ? av.fma(bv, c5) : av.mul(bv).add(c5);
            av = FloatVector.broadcast(F, a[ap + r6]);
            c6 = FMA ? av.fma(bv, c6) : av.mul(bv).add(c6);
            av = FloatVector.broadcast(F, a[ap + r7]);
            c7 = FMA ? av.fma(bv, c7) : av.mul(bv).add(c7);
        }
        c0.intoArray(tile, 0 * NR);
        c1.intoArray(tile, 1 * NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
        c6.intoArray(tile, 6 * NR);
        c7.intoArray(tile, 7 * NR);
    }

    /**
     * Stores the top-left {@code mr x nr} of a tile into C at {@code c0} (row stride {@code ldc}):
     * {@code C = alpha * tile + beta * C + bias}, where C's old value is not read when beta is 0
     * and {@code bias} (one value per column, starting at {@code biasOff}) may be null. Whole
     * vectors first, then the ragged columns one by one.
     *
     * <p>No vector or mask here is ever null: C2 (JDK 25) compiled a null-or-mask variable in this
     * method into code that halted the VM.
     */
    static void merge(float[] tile, int mr, int nr, float alpha, float beta, float[] bias, int biasOff,
            float[] c, int c0, int ldc) {
        merge(tile, 0, mr, nr, alpha, beta, bias, biasOff, c, c0, ldc);
    }

    /** {@link #merge} of a tile that starts at {@code t0} in {@code tile}. */
    static void merge(float[] tile, int t0, int mr, int nr, float alpha, float beta, float[] bias, int biasOff,
            float[] c, int c0, int ldc) {
        int whole = nr / L * L;
        for (int j = 0; j < whole; j += L) {
            for (int r = 0; r < mr; r++) {
                int ci = c0 + r * ldc + j;
                FloatVector v = FloatVector.fromArray(F, tile, t0 + r * NR + j);
                if (alpha != 1f) {
                    v = v.mul(alpha);
                }
                if (beta != 0f) {
                    FloatVector old = FloatVector.fromArray(F, c, ci);
                    v = beta == 1f ? v.add(old) : v.add(old.mul(beta));
                }
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(F, bias, biasOff + j));
                }
                v.intoArray(c, ci);
            }
        }
        for (int r = 0; r < mr; r++) {
            for (int j = whole; j < nr; j++) {
                int ci = c0 + r * ldc + j;
                float v = alpha * tile[t0 + r * NR + j];
                if (beta != 0f) {
                    v += beta * c[ci];
                }
                if (bias != null) {
                    v += bias[biasOff + j];
                }
                c[ci] = v;
            }
        }
    }
}
