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
 * the same cases as the fast backends. Then layer normalization on rows of 1, 7, 33, 100 and 257
 * values, some of them far from 0 with a small spread (where a one-pass variance cancels), its
 * forward pass against {@link NormReference}'s double loops and its backward pass against finite
 * differences of them.
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

    // ------------------------------------------------------------------ layer normalization

    private static final float EPS = 1e-5f;

    /** Rows of values in [-3, 3]; every third row shifted by 10, far from 0 with a small spread. */
    static float[] normInput(long seed, int rows, int cols) {
        float[] x = Values.uniform(seed, rows * cols, -3, 3);
        for (int r = 2; r < rows; r += 3) {
            for (int j = 0; j < cols; j++) {
                x[r * cols + j] += 10;
            }
        }
        return x;
    }

    /** {@code {out, mean, rstd}} from the backend under test. */
    private float[][] layerNorm(int rows, int cols, float[] x, float[] gamma, float[] beta, boolean inPlace) {
        return scoped(() -> {
            Tensor in = t(x, rows, cols);
            Tensor out = inPlace ? in : be().full(7f, rows, cols);
            Tensor mean = be().full(7f, rows);
            Tensor rstd = be().full(7f, rows, 1);
            be().layerNorm(in, gamma == null ? null : t(gamma, cols), beta == null ? null : t(beta, 1, cols), EPS, out,
                    mean, rstd);
            return new float[][] {out.toArray(), mean.toArray(), rstd.toArray()};
        });
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1, 1", "3, 1", "1, 7", "17, 7", "3, 33", "5, 100", "17, 100", "4, 257"})
    void layerNormMatchesItsDefinition(int rows, int cols) {
        float[] x = normInput(41, rows, cols);
        float[] gamma = Values.uniform(42, cols, -2, 2);
        float[] beta = Values.uniform(43, cols, -1, 1);
        for (boolean affine : new boolean[] {false, true}) {
            for (boolean inPlace : new boolean[] {false, true}) {
                float[] g = affine ? gamma : null;
                float[] b = affine ? beta : null;
                double[][] expected = NormReference.forward(rows, cols, x, g, b, EPS);
                float[][] actual = layerNorm(rows, cols, x, g, b, inPlace);
                String what = be().name() + " layerNorm [" + rows + ", " + cols + "]" + (affine ? " with gamma, beta" : "")
                        + (inPlace ? " in place" : "");
                double[] scale = NormReference.forwardScale(rows, cols, x, g, b, expected[1], expected[2]);
                Expect.close(what, Shape.of(rows, cols), expected[0], actual[0], Tolerances.sum(cols, scale));
                Expect.close(what + ": mean", Shape.of(rows), expected[1], actual[1],
                        Tolerances.sum(cols, NormReference.meanAbs(rows, cols, x)));
                Expect.close(what + ": rstd", Shape.of(rows), expected[2], actual[2],
                        Tolerance.relative(Tolerances.SUM_PER_LOG_N * Math.max(1, Math.log(cols)), 0));
            }
        }
    }

    @Test
    void layerNormOfEqualValuesIsBetaAndRstdIsOneOverRootEps() {
        float[] x = {2.5f, 2.5f, 2.5f, 2.5f, -1, -1, -1, -1};
        float[][] actual = layerNorm(2, 4, x, new float[] {3, 3, 3, 3}, new float[] {1, 2, 3, 4}, false);
        Expect.exact(be().name() + " layerNorm of constant rows", Shape.of(2, 4), new float[] {1, 2, 3, 4, 1, 2, 3, 4},
                actual[0]);
        Expect.exact(be().name() + " their means", Shape.of(2), new float[] {2.5f, -1}, actual[1]);
        Expect.close(be().name() + " their rstd", Shape.of(2), new double[] {1 / Math.sqrt(EPS), 1 / Math.sqrt(EPS)},
                actual[2], Tolerances.ELEMENTWISE);
    }

    /** {@code sum out * w} in double for the finite differences. */
    private static double loss(int rows, int cols, double[] x, double[] gamma, double[] beta, float[] w) {
        double[] out = NormReference.forward(rows, cols, x, gamma, beta, EPS)[0];
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            l += out[i] * w[i];
        }
        return l;
    }

    /** Central differences of {@link #loss} with respect to each of {@code v}'s values (changed and restored). */
    private static double[] numericGradient(double[] v, java.util.function.DoubleSupplier loss) {
        double[] grad = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            double h = 1e-4 * Math.max(1, Math.abs(keep));
            v[i] = keep + h;
            double up = loss.getAsDouble();
            v[i] = keep - h;
            double down = loss.getAsDouble();
            v[i] = keep;
            grad[i] = (up - down) / (2 * h);
        }
        return grad;
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1, 1", "3, 7", "4, 33", "3, 100"})
    void layerNormBackwardIsTheDerivativeOfItsDefinition(int rows, int cols) {
        float[] x = normInput(51, rows, cols);
        float[] gamma = Values.uniform(52, cols, -2, 2);
        float[] beta = Values.uniform(53, cols, -1, 1);
        float[] dy = Values.uniform(54, rows * cols, -1, 1);
        double[] xd = Expect.toDouble(x);
        double[] gd = Expect.toDouble(gamma);
        double[] bd = Expect.toDouble(beta);
        double[] dx = numericGradient(xd, () -> loss(rows, cols, xd, gd, bd, dy));
        double[] dxWithoutGamma = numericGradient(xd, () -> loss(rows, cols, xd, null, bd, dy));
        double[] dgamma = numericGradient(gd, () -> loss(rows, cols, xd, gd, bd, dy));
        double[] dbeta = numericGradient(bd, () -> loss(rows, cols, xd, gd, bd, dy));
        for (boolean affine : new boolean[] {false, true}) {
            float[][] stats = layerNorm(rows, cols, x, affine ? gamma : null, beta, false);
            float[][] actual = scoped(() -> {
                Tensor dxT = be().full(7f, rows, cols);
                Tensor dgT = be().full(7f, cols);
                Tensor dbT = be().full(7f, cols);
                be().layerNormBackward(t(x, rows, cols), t(stats[1], rows), t(stats[2], rows),
                        affine ? t(gamma, cols) : null, t(dy, rows, cols), dxT, dgT, dbT);
                return new float[][] {dxT.toArray(), dgT.toArray(), dbT.toArray()};
            });
            double[] expectedDx = affine ? dx : dxWithoutGamma;
            double[][] scale = NormReference.backwardScale(rows, cols, x, stats[1], stats[2], affine ? gamma : null, dy);
            String what = be().name() + " layerNorm backward [" + rows + ", " + cols + "]"
                    + (affine ? " with gamma" : "");
            Tolerance numeric = Tolerance.relative(1e-6, 1e-6);
            Expect.close(what + ": dx", Shape.of(rows, cols), expectedDx, actual[0],
                    Tolerances.sum(cols, scale[0]).plus(numeric));
            if (affine) {
                Expect.close(what + ": dgamma", Shape.of(cols), dgamma, actual[1],
                        Tolerances.sum(rows, scale[1]).plus(numeric));
            }
            Expect.close(what + ": dbeta", Shape.of(cols), dbeta, actual[2], Tolerances.sum(rows, scale[2]).plus(numeric));
        }
    }
}
