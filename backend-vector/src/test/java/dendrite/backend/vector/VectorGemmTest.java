package dendrite.backend.vector;

import static dendrite.backend.vector.TestArrays.abs;
import static dendrite.backend.vector.TestArrays.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.lang.ref.WeakReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GEMM against the scalar reference on shapes the shared conformance suite (sizes up to 300) does
 * not reach: inner dimensions spanning several KC blocks, row counts spanning several MC blocks,
 * the in-place path for small shapes and the packed one for large, every transpose, and the fused
 * epilogue of {@code linear} when the sum is split into blocks. Also: the result does not depend
 * on the thread count.
 */
class VectorGemmTest {
    /**
     * backend-scalar, found by name as users get it: its classes sit on the class path in this
     * module's tests, where the kernel SPI is not exported to them at compile time.
     */
    private static final Backend REF = Backends.get("scalar");
    private static final Backend ONE = Backend.of(new VectorKernels(1));
    private static final Backend TWO = Backend.of(new VectorKernels(2));
    private static final Backend THREE = Backend.of(new VectorKernels(3));

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    private static float[] gemm(Backend be, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a,
            float[] b, float beta, float[] c) {
        Tensor out = be.tensor(c, m, n);
        be.gemm(ta, tb, alpha, ta ? be.tensor(a, k, m) : be.tensor(a, m, k), tb ? be.tensor(b, n, k) : be.tensor(b, k, n),
                beta, out);
        return out.toArray();
    }

    /**
     * A GEMM engine that is dropped is collected, although the threads that ran its products (the
     * caller and the pool's workers) keep their per-thread workspaces: a workspace must not hold its
     * engine, or each thread's ThreadLocal map would keep every backend it ever used, with packing
     * buffers of megabytes.
     */
    @Test
    void aDroppedGemmIsNotKeptByTheThreadsThatRanItsProducts() throws InterruptedException {
        WeakReference<VectorGemm> dropped = runProductsAndDrop();
        for (int i = 0; i < 50 && dropped.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(dropped.get(), "the GEMM engine is still reachable after its last product");
    }

    private static WeakReference<VectorGemm> runProductsAndDrop() {
        Parallel pool = new Parallel(2);
        VectorGemm g = new VectorGemm(pool, CacheSizes.DEFAULT);
        int n = 300;
        float[] a = random(11, n * n);
        float[] c = new float[n * n];
        // Packed and split over both threads, then the dot-product path.
        g.gemm(false, false, n, n, n, 1f, a, 0, a, 0, 0f, c, 0, null, 0, Activation.IDENTITY, 0f);
        g.gemm(false, true, 3, n, n, 1f, a, 0, a, 0, 0f, c, 0, null, 0, Activation.IDENTITY, 0f);
        pool.close();
        return new WeakReference<>(g);
    }

    /**
     * Compares with the reference within 1e-6 * k * (|alpha| sum_p |a_ip b_pj| + |beta c_ij|): k
     * roundings, each relative to the size of the terms.
     */
    private static void assertMatches(String what, boolean ta, boolean tb, int m, int n, int k, float alpha,
            float[] a, float[] b, float beta, float[] c, float[] actual) {
        float[] expected = gemm(REF, ta, tb, m, n, k, alpha, a, b, beta, c);
        float[] scale = gemm(REF, ta, tb, m, n, k, Math.abs(alpha), abs(a), abs(b), Math.abs(beta), abs(c));
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-6 * k * scale[i] + 1e-30;
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + ": C[" + i / n + ", " + i % n + "] is " + actual[i] + ", expected "
                        + expected[i] + " within " + tol);
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
        "1, 1, 1", "3, 7, 5", "9, 33, 17", "17, 65, 15",      // in place (small)
        "8, 32, 600", "15, 31, 513", "7, 100, 257",            // small m, n; k over several KC blocks
        "129, 127, 63", "65, 257, 33", "300, 33, 129",         // packed, ragged tiles
        "1030, 17, 9", "31, 1100, 7",                           // beyond one MC block of rows; wide
        "20, 2050, 300",                                        // C so wide that row panels go outermost
        "1, 256, 784", "3, 301, 47", "7, 9, 1001",              // few rows: dot products when B is transposed
        "128, 10, 128", "129, 15, 33",                          // narrow C: dot products when B is transposed
        "10, 128, 128", "13, 70, 300", "5, 40, 9",              // in place with 4-row and 1-row edges
        "128, 128, 10", "77, 300, 32",                          // short inner dimension: in place
        "25, 97, 263", "36, 64, 258", "47, 40, 65",             // 12-row packed panels: one row over, exact, one short;
                                                                // k not a multiple of the gather step (4 columns)
        "64, 100, 300", "52, 70, 400", "28, 96, 50",            // a last 12-row panel of at most 4 rows (4-row kernel)
    })
    @MethodSource("sharedPassShapes")
    void matchesTheReferenceForEveryTransposeAlphaAndBeta(int m, int n, int k) {
        float[] a = random(1, m * k);
        float[] b = random(2, k * n);
        float[] c = random(3, m * n);
        float[][] alphaBeta = {{1f, 0f}, {-0.5f, 1f}, {2f, 0.5f}};
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 2) != 0;
            boolean tb = (t & 1) != 0;
            for (float[] ab : alphaBeta) {
                float[] actual = gemm(TWO, ta, tb, m, n, k, ab[0], a, b, ab[1], c);
                assertMatches("gemm transA=" + ta + " transB=" + tb + " alpha=" + ab[0] + " beta=" + ab[1],
                        ta, tb, m, n, k, ab[0], a, b, ab[1], c, actual);
            }
        }
    }

    /**
     * Covers the packed path (one share of C per thread, and shared passes: 50 x 2100 x 400), the dot
     * path split by rows and by columns, and the in-place path split by columns (B larger than L1) and
     * by rows.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"203, 301, 517", "2, 3001, 700", "999, 9, 300", "14, 2000, 100", "1000, 1000, 20", "2050, 250, 10"})
    @MethodSource("fewRowsInSharedPasses")
    void theResultIsTheSameBitForBitOnAnyThreadCount(int m, int n, int k) {
        float[] a = random(4, m * k);
        float[] b = random(5, k * n);
        float[] c = new float[m * n];
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 2) != 0;
            boolean tb = (t & 1) != 0;
            float[] one = gemm(ONE, ta, tb, m, n, k, 1f, a, b, 0f, c);
            assertArrayEquals(one, gemm(TWO, ta, tb, m, n, k, 1f, a, b, 0f, c), "2 threads, transA=" + ta + " transB=" + tb);
            assertArrayEquals(one, gemm(THREE, ta, tb, m, n, k, 1f, a, b, 0f, c), "3 threads, transA=" + ta + " transB=" + tb);
        }
    }

    /** Shared passes ({@link VectorGemm#SHARED_WORK}): rows outer; few rows, column chunks. */
    static Stream<Arguments> sharedPassShapes() {
        return Stream.of(GemmShapes.sharedArguments(260, 2100, 70), GemmShapes.sharedArguments(50, 700, 1000));
    }

    /** Shared passes with few rows, split in column chunks. */
    static Stream<Arguments> fewRowsInSharedPasses() {
        return Stream.of(GemmShapes.sharedArguments(50, 2100, 400));
    }

    @Test
    void betaZeroIgnoresNanInTheOutputOnThePackedPath() {
        int m = 70;
        int n = 90;
        int k = 300;
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        float[] actual = gemm(TWO, false, false, m, n, k, 1f, random(6, m * k), random(7, k * n), 0f, c);
        for (float v : actual) {
            assertTrue(Float.isFinite(v), "NaN from C leaked through beta = 0");
        }
    }

    /** The fused epilogue adds the bias once and applies the activation once, even over several K blocks. */
    @ParameterizedTest(name = "{0} batch={1} in={2} out={3}")
    @CsvSource({"RELU, 128, 784, 256", "GELU, 33, 600, 47", "GELU_TANH, 33, 600, 47", "SIGMOID, 5, 3, 9",
        "LEAKY_RELU, 70, 513, 10",
        "RELU, 1, 784, 256", "TANH, 6, 100, 1100", "SIGMOID, 128, 128, 10",
        "IDENTITY, 128, 256, 128", "TANH, 17, 300, 65", "SOFTPLUS, 9, 1000, 33"})
    void linearFusesBiasAndActivationLikeTheUnfusedReference(Activation act, int batch, int in, int out) {
        float[] x = random(8, batch * in);
        float[] w = random(9, out * in);
        float[] bias = random(10, out);
        for (Backend be : new Backend[] {ONE, TWO}) {
            Tensor y = be.zeros(batch, out);
            be.linear(be.tensor(x, batch, in), be.tensor(w, out, in), be.tensor(bias, out), act, 0.01f, y);
            float[] actual = y.toArray();
            Tensor ry = REF.zeros(batch, out);
            REF.linear(REF.tensor(x, batch, in), REF.tensor(w, out, in), REF.tensor(bias, out), act, 0.01f, ry);
            float[] expected = ry.toArray();
            float[] scale = gemm(REF, false, true, batch, out, in, 1f, abs(x), abs(w), 0f, new float[batch * out]);
            for (int i = 0; i < expected.length; i++) {
                // The activations have slopes up to about 1.13 (either GELU); 1e-5 relative for their own rounding.
                double tol = 1.2 * (1e-6 * in * (scale[i] + Math.abs(bias[i % out]))) + 1e-5 * Math.abs(expected[i]) + 1e-6;
                if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                    throw new AssertionError(act + " on " + be.description() + ": y[" + i / out + ", " + i % out + "] is "
                            + actual[i] + ", expected " + expected[i] + " within " + tol);
                }
            }
        }
    }
}
