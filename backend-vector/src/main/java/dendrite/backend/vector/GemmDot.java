package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.FMA;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM kernels in dot-product form, for {@code C = A B^T} with both operands row-major (rows of A
 * and rows of B are contiguous along the inner dimension): each element of C is the dot product
 * of a row of A and a row of B, summed in vectors along k and reduced across lanes at the end.
 *
 * <p>This is the shape of a dense layer's forward pass ({@code x W^T}), and the outer-product
 * kernel of {@link GemmKernel} handles it badly in two cases: one or a few rows (predicting one
 * sample: packing W costs as much as the product itself, so a 784 x 256 layer took 60 microseconds
 * instead of 5), and a narrow output (10 classes: a register tile 32 columns wide does 3 times the
 * work, and packing A costs more than the product). Here nothing is packed and nothing is padded.
 *
 * <p>{@link #dot4x4} keeps 16 accumulators: per step of 16 floats along k it loads 4 vectors of A
 * and 4 of B and issues 16 fused multiply-adds, as many as the two FMA ports take while the loads
 * keep up. The narrower kernels serve ragged rows and columns. {@link #finish} sums each
 * accumulator's lanes in a fixed tree and adds the last {@code k mod L} products one by one, so each
 * element's order of summation depends only on k.
 */
final class GemmDot {
    /** Rows and columns of C one call of {@link #dot4x4} computes. */
    static final int BLOCK = 4;
    /** Columns of C one call of {@link #dot1x16} computes. */
    static final int WIDE = 16;
    /** Accumulator lanes {@link #finish} reads: L accumulators of L lanes, rounded up to hold 16. */
    static final int ACC_SIZE = Math.max(WIDE, L) * L;
    /** Results {@link #finish} writes. */
    static final int OUT_SIZE = Math.max(WIDE, L);
    /** Where each accumulator starts in {@code acc}, for the gathers of {@link #finish}. */
    private static final int[] LANE_STARTS = java.util.stream.IntStream.range(0, L).map(t -> t * L).toArray();

    private GemmDot() {
    }

    /**
     * The 16 dot products of rows [a0, a0 + 4 lda) of A with rows [b0, b0 + 4 ldb) of B, as vectors of
     * partial sums: lane l of {@code acc[(r * 4 + j) * L ..]} sums {@code a[a0 + r * lda + p] * b[b0 + j * ldb + p]}
     * over p = l mod L below the last whole vector. {@link #finish} adds them up.
     */
    static void dot4x4(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F), c23 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F), c33 = FloatVector.zero(F);
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int kv = F.loopBound(k);
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(F, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(F, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(F, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(F, a, a3 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            c00 = FMA ? x0.fma(y, c00) : x0.mul(y).add(c00);
            c10 = FMA ? x1.fma(y, c10) : x1.mul(y).add(c10);
            c20 = FMA ? x2.fma(y, c20) : x2.mul(y).add(c20);
            c30 = FMA ? x3.fma(y, c30) : x3.mul(y).add(c30);
            y = FloatVector.fromArray(F, b, b1 + p);
            c01 = FMA ? x0.fma(y, c01) : x0.mul(y).add(c01);
            c11 = FMA ? x1.fma(y, c11) : x1.mul(y).add(c11);
            c21 = FMA ? x2.fma(y, c21) : x2.mul(y).add(c21);
            c31 = FMA ? x3.fma(y, c31) : x3.mul(y).add(c31);
            y = FloatVector.fromArray(F, b, b2 + p);
            c02 = FMA ? x0.fma(y, c02) : x0.mul(y).add(c02);
            c12 = FMA ? x1.fma(y, c12) : x1.mul(y).add(c12);
            c22 = FMA ? x2.fma(y, c22) : x2.mul(y).add(c22);
            c32 = FMA ? x3.fma(y, c32) : x3.mul(y).add(c32);
            y = FloatVector.fromArray(F, b, b3 + p);
            c03 = FMA ? x0.fma(y, c03) : x0.mul(y).add(c03);
            c13 = FMA ? x1.fma(y, c13) : x1.mul(y).add(c13);
            c23 = FMA ? x2.fma(y, c23) : x2.mul(y).add(c23);
            c33 = FMA ? x3.fma(y, c33) : x3.mul(y).add(c33);
        }
        c00.intoArray(acc, 0 * L);
        c01.intoArray(acc, 1 * L);
        c02.intoArray(acc, 2 * L);
        c03.intoArray(acc, 3 * L);
        c10.intoArray(acc, 4 * L);
        c11.intoArray(acc, 5 * L);
        c12.intoArray(acc, 6 * L);
        c13.intoArray(acc, 7 * L);
        c20.intoArray(acc, 8 * L);
        c21.intoArray(acc, 9 * L);
        c22.intoArray(acc, 10 * L);
        c23.intoArray(acc, 11 * L);
        c30.intoArray(acc, 12 * L);
        c31.intoArray(acc, 13 * L);
        c32.intoArray(acc, 14 * L);
        c33.intoArray(acc, 15 * L);
    }

    /** {@link #dot4x4} for one row of A: accumulators 0 to 3. */
    static void dot1x4(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int kv = F.loopBound(k);
        for (int p = 0; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            c0 = FMA ? x.fma(y, c0) : x.mul(y).add(c0);
            y = FloatVector.fromArray(F, b, b1 + p);
            c1 = FMA ? x.fma(y, c1) : x.mul(y).add(c1);
            y = FloatVector.fromArray(F, b, b2 + p);
            c2 = FMA ? x.fma(y, c2) : x.mul(y).add(c2);
            y = FloatVector.fromArray(F, b, b3 + p);
            c3 = FMA ? x.fma(y, c3) : x.mul(y).add(c3);
        }
        c0.intoArray(acc, 0 * L);
        c1.intoArray(acc, 1 * L);
        c2.intoArray(acc, 2 * L);
        c3.intoArray(acc, 3 * L);
    }

    /** {@link #dot4x4} for one row of B: accumulators 0, 4, 8 and 12. */
    static void dot4x1(int k, float[] a, int a0, int lda, float[] b, int b0, float[] acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int kv = F.loopBound(k);
        for (int p = 0; p < kv; p += L) {
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            c0 = FMA ? x.fma(y, c0) : x.mul(y).add(c0);
            x = FloatVector.fromArray(F, a, a1 + p);
            c1 = FMA ? x.fma(y, c1) : x.mul(y).add(c1);
            x = FloatVector.fromArray(F, a, a2 + p);
            c2 = FMA ? x.fma(y, c2) : x.mul(y).add(c2);
            x = FloatVector.fromArray(F, a, a3 + p);
            c3 = FMA ? x.fma(y, c3) : x.mul(y).add(c3);
        }
        c0.intoArray(acc, 0 * L);
        c1.intoArray(acc, 4 * L);
        c2.intoArray(acc, 8 * L);
        c3.intoArray(acc, 12 * L);
    }

    /** {@link #dot4x4} for one row of each: accumulator 0. */
    static void dot1x1(int k, float[] a, int a0, float[] b, int b0, float[] acc) {
        FloatVector c = FloatVector.zero(F);
        int kv = F.loopBound(k);
        for (int p = 0; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            c = FMA ? x.fma(y, c) : x.mul(y).add(c);
        }
        c.intoArray(acc, 0);
    }

    /** {@link #dot4x4} for one row of A and 16 rows of B (a matrix-vector product): accumulators 0 to 15. */
    static void dot1x16(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F), c3 = FloatVector.zero(F), c4 = FloatVector.zero(F), c5 = FloatVector.zero(F), c6 = FloatVector.zero(F), c7 = FloatVector.zero(F);
        FloatVector c8 = FloatVector.zero(F), c9 = FloatVector.zero(F), c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F), c14 = FloatVector.zero(F), c15 = FloatVector.zero(F);
        int kv = F.loopBound(k);
        for (int p = 0; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            int bp = b0 + p;
            FloatVector y = FloatVector.fromArray(F, b, bp);
            c0 = FMA ? x.fma(y, c0) : x.mul(y).add(c0);
            y = FloatVector.fromArray(F, b, bp + 1 * ldb);
            c1 = FMA ? x.fma(y, c1) : x.mul(y).add(c1);
            y = FloatVector.fromArray(F, b, bp + 2 * ldb);
            c2 = FMA ? x.fma(y, c2) : x.mul(y).add(c2);
            y = FloatVector.fromArray(F, b, bp + 3 * ldb);
            c3 = FMA ? x.fma(y, c3) : x.mul(y).add(c3);
            y = FloatVector.fromArray(F, b, bp + 4 * ldb);
            c4 = FMA ? x.fma(y, c4) : x.mul(y).add(c4);
            y = FloatVector.fromArray(F, b, bp + 5 * ldb);
            c5 = FMA ? x.fma(y, c5) : x.mul(y).add(c5);
            y = FloatVector.fromArray(F, b, bp + 6 * ldb);
            c6 = FMA ? x.fma(y, c6) : x.mul(y).add(c6);
            y = FloatVector.fromArray(F, b, bp + 7 * ldb);
            c7 = FMA ? x.fma(y, c7) : x.mul(y).add(c7);
            y = FloatVector.fromArray(F, b, bp + 8 * ldb);
            c8 = FMA ? x.fma(y, c8) : x.mul(y).add(c8);
            y = FloatVector.fromArray(F, b, bp + 9 * ldb);
            c9 = FMA ? x.fma(y, c9) : x.mul(y).add(c9);
            y = FloatVector.fromArray(F, b, bp + 10 * ldb);
            c10 = FMA ? x.fma(y, c10) : x.mul(y).add(c10);
            y = FloatVector.fromArray(F, b, bp + 11 * ldb);
            c11 = FMA ? x.fma(y, c11) : x.mul(y).add(c11);
            y = FloatVector.fromArray(F, b, bp + 12 * ldb);
            c12 = FMA ? x.fma(y, c12) : x.mul(y).add(c12);
            y = FloatVector.fromArray(F, b, bp + 13 * ldb);
            c13 = FMA ? x.fma(y, c13) : x.mul(y).add(c13);
            y = FloatVector.fromArray(F, b, bp + 14 * ldb);
            c14 = FMA ? x.fma(y, c14) : x.mul(y).add(c14);
            y = FloatVector.fromArray(F, b, bp + 15 * ldb);
            c15 = FMA ? x.fma(y, c15) : x.mul(y).add(c15);
        }
        c0.intoArray(acc, 0 * L);
        c1.intoArray(acc, 1 * L);
        c2.intoArray(acc, 2 * L);
        c3.intoArray(acc, 3 * L);
        c4.intoArray(acc, 4 * L);
        c5.intoArray(acc, 5 * L);
        c6.intoArray(acc, 6 * L);
        c7.intoArray(acc, 7 * L);
        c8.intoArray(acc, 8 * L);
        c9.intoArray(acc, 9 * L);
        c10.intoArray(acc, 10 * L);
        c11.intoArray(acc, 11 * L);
        c12.intoArray(acc, 12 * L);
        c13.intoArray(acc, 13 * L);
        c14.intoArray(acc, 14 * L);
        c15.intoArray(acc, 15 * L);
    }

    /**
     * {@code out[r * 4 + c]} for r < rows, c < cols (for {@link #dot1x16}: rows = 1, c < 16): the lanes
     * of accumulator {@code r * 4 + c} summed, plus the products past the last whole vector.
     *
     * <p>The lanes are summed L accumulators at a time, transposed by gathers: gather l collects lane l
     * of each, and lanewise adds of the gathers in a fixed order give L sums at once. Not
     * {@code reduceLanes(ADD)}: its order is unspecified and does change between the Java fallback and
     * C2's code (a product gave results 1 ulp apart on its first and later calls; VectorGemmTest's
     * thread-count test caught it). Measured alternatives: per-accumulator scalar trees were 4 times
     * slower than reduceLanes; lane shuffles ({@code rearrange}, {@code reinterpretShape}) 10 to 40
     * times slower, as C2 left them to the Java fallback in these methods.
     */
    static void finish(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb, int rows, int cols,
            float[] acc, float[] out) {
        int count = (rows - 1) * BLOCK + cols;
        for (int g = 0; g < count; g += L) {
            int base = g * L;
            FloatVector s0 = FloatVector.fromArray(F, acc, base, LANE_STARTS, 0);
            FloatVector s1 = FloatVector.fromArray(F, acc, base + 1, LANE_STARTS, 0);
            FloatVector s2 = FloatVector.fromArray(F, acc, base + 2, LANE_STARTS, 0);
            FloatVector s3 = FloatVector.fromArray(F, acc, base + 3, LANE_STARTS, 0);
            for (int l = 4; l < L; l += 4) {
                s0 = s0.add(FloatVector.fromArray(F, acc, base + l, LANE_STARTS, 0));
                s1 = s1.add(FloatVector.fromArray(F, acc, base + l + 1, LANE_STARTS, 0));
                s2 = s2.add(FloatVector.fromArray(F, acc, base + l + 2, LANE_STARTS, 0));
                s3 = s3.add(FloatVector.fromArray(F, acc, base + l + 3, LANE_STARTS, 0));
            }
            s0.add(s1).add(s2.add(s3)).intoArray(out, g);
        }
        int kv = F.loopBound(k);
        if (kv < k) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[r * BLOCK + c] += tail(k, kv, a, a0 + r * lda, b, b0 + c * ldb);
                }
            }
        }
    }

    /** The products past the last whole vector, in order. */
    private static float tail(int k, int kv, float[] a, int a0, float[] b, int b0) {
        float s = 0f;
        for (int p = kv; p < k; p++) {
            s = Simd.FMA ? Math.fma(a[a0 + p], b[b0 + p], s) : s + a[a0 + p] * b[b0 + p];
        }
        return s;
    }
}
