package dendrite.tensor.conformance;

import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels an attention layer is built from, against their definitions computed here in double
 * precision: the batched matrix product on awkward sizes (batch 1 and 3; 1, 5, 17 and 33 rows,
 * columns and inner lengths; tile-sized ones for the OpenCL tiles), in all four transpose
 * combinations, with beta 0 and 1. They run on every backend, so the scalar reference is checked by
 * the same cases as the fast backends.
 */
public abstract class AttentionOpTests extends ImageTests {

    /** {@code batch} independent products of {@link Reference#gemm}, stored one after another. */
    private static double[][] batchedReference(boolean transA, boolean transB, int batch, int m, int n, int k,
            float alpha, float[] a, float[] b, float beta, float[] c) {
        double[] out = new double[batch * m * n];
        double[] scale = new double[batch * m * n];
        for (int i = 0; i < batch; i++) {
            float[] ai = java.util.Arrays.copyOfRange(a, i * m * k, (i + 1) * m * k);
            float[] bi = java.util.Arrays.copyOfRange(b, i * k * n, (i + 1) * k * n);
            float[] ci = java.util.Arrays.copyOfRange(c, i * m * n, (i + 1) * m * n);
            System.arraycopy(Reference.gemm(transA, transB, m, n, k, alpha, ai, bi, beta, ci), 0, out, i * m * n, m * n);
            System.arraycopy(Reference.gemmScale(transA, transB, m, n, k, alpha, ai, bi, beta, ci), 0, scale, i * m * n,
                    m * n);
        }
        return new double[][] {out, scale};
    }

    private static int[] dims(int batch, int rows, int cols, boolean trans) {
        return trans ? new int[] {batch, cols, rows} : new int[] {batch, rows, cols};
    }

    @ParameterizedTest(name = "batch={0} m={1} n={2} k={3}")
    @CsvSource({
        "1, 1, 1, 1", "3, 1, 5, 17", "1, 5, 17, 1", "3, 17, 33, 5", "3, 33, 1, 33", "1, 5, 5, 5", "3, 33, 17, 33",
        "3, 17, 1, 5", "3, 33, 33, 17", "3, 64, 64, 32", "1, 70, 65, 40"})
    void batchedGemmIsOneGemmPerProduct(int batch, int m, int n, int k) {
        float[] a = Values.uniform(31, batch * m * k, -1, 1);
        float[] b = Values.uniform(32, batch * k * n, -1, 1);
        float[] c0 = Values.uniform(33, batch * m * n, -1, 1);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f}) {
                    float alpha = beta == 0f ? 1f : -0.75f;
                    double[][] expected = batchedReference(transA, transB, batch, m, n, k, alpha, a, b, beta, c0);
                    float[] actual = scoped(() -> {
                        Tensor c = t(c0, batch, m, n);
                        be().batchedGemm(transA, transB, alpha, t(a, dims(batch, m, k, transA)),
                                t(b, dims(batch, k, n, transB)), beta, c);
                        return c.toArray();
                    });
                    Expect.close(be().name() + " batchedGemm transA=" + transA + " transB=" + transB + " alpha="
                            + alpha + " beta=" + beta, Shape.of(batch, m, n), expected[0], actual,
                            Tolerances.gemm(k, expected[1]));
                }
            }
        }
    }

    @Test
    void batchedGemmWithBetaZeroIgnoresNaNInTheOutput() {
        Tensor c = be().full(Float.NaN, 2, 2, 2);
        // Two products: [[1,2],[3,4]] x [[5,6],[7,8]] and the identity times [[1,-1],[2,0.5]].
        be().batchedGemm(false, false, 2f, t(new float[] {1, 2, 3, 4, 1, 0, 0, 1}, 2, 2, 2),
                t(new float[] {5, 6, 7, 8, 1, -1, 2, 0.5f}, 2, 2, 2), 0f, c);
        Expect.exact(be().name() + " batchedGemm alpha=2 beta=0 into NaN", c.shape(),
                new float[] {38, 44, 86, 100, 2, -2, 4, 1}, c.toArray());
    }

    @Test
    void batchedGemmWritesOnlyItsOwnRowsOfAView() {
        // The product of batch 1 lands in the second half of C's storage; the first half keeps its values.
        Tensor all = be().full(3f, 2 * 2 * 3);
        Tensor c = all.reshape(4, 3).rows(2, 4).reshape(1, 2, 3);
        be().batchedGemm(false, true, 1f, t(new float[] {1, 2, 3, 4}, 1, 2, 2),
                t(new float[] {1, 0, 0, 1, 1, 1}, 1, 3, 2), 0f, c);
        Expect.exact(be().name() + " batchedGemm into a view", all.shape(),
                new float[] {3, 3, 3, 3, 3, 3, 1, 2, 3, 3, 4, 7}, all.toArray());
    }
}
