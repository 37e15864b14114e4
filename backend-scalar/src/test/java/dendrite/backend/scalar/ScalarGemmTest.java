package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GEMM and transpose against products worked out by hand. */
class ScalarGemmTest {
    private final Backend be = Backend.of(new ScalarKernels());

    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]
    // A B = [[1*7 + 2*9 + 3*11, 1*8 + 2*10 + 3*12], [4*7 + 5*9 + 6*11, 4*8 + 5*10 + 6*12]]
    //     = [[58, 64], [139, 154]]
    private Tensor a() {
        return be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    private Tensor aT() {   // A stored transposed: [3, 2]
        return be.tensor(new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
    }

    private Tensor b() {
        return be.tensor(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
    }

    private Tensor bT() {   // B stored transposed: [2, 3]
        return be.tensor(new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
    }

    private Tensor c0() {
        return be.tensor(new float[] {1, 2, 3, 4}, 2, 2);
    }

    // C = 2 A B + 0.5 C0 = [[116 + 0.5, 128 + 1], [278 + 1.5, 308 + 2]]
    private static final float[] ALPHA2_BETA_HALF = {116.5f, 129f, 279.5f, 310f};

    @Test
    void plainProductWithAlphaAndBeta() {
        Tensor c = c0();
        be.gemm(false, false, 2f, a(), b(), 0.5f, c);
        Expect.values(c, 0f, ALPHA2_BETA_HALF);
    }

    @Test
    void transposedA() {
        Tensor c = c0();
        be.gemm(true, false, 2f, aT(), b(), 0.5f, c);
        Expect.values(c, 0f, ALPHA2_BETA_HALF);
    }

    @Test
    void transposedB() {
        Tensor c = c0();
        be.gemm(false, true, 2f, a(), bT(), 0.5f, c);
        Expect.values(c, 0f, ALPHA2_BETA_HALF);
    }

    @Test
    void bothTransposed() {
        Tensor c = c0();
        be.gemm(true, true, 2f, aT(), bT(), 0.5f, c);
        Expect.values(c, 0f, ALPHA2_BETA_HALF);
    }

    @Test
    void betaZeroIgnoresNaNInTheOutput() {
        Tensor c = be.full(Float.NaN, 2, 2);
        be.gemm(false, false, 1f, a(), b(), 0f, c);
        Expect.values(c, 0f, 58, 64, 139, 154);
    }

    @Test
    void nonZeroBetaPropagatesNaNFromTheOutput() {
        Tensor c = be.tensor(new float[] {Float.NaN, 0, 0, 0}, 2, 2);
        be.gemm(false, false, 1f, a(), b(), 1f, c);
        Expect.values(c, 0f, Float.NaN, 64, 139, 154);
    }

    @Test
    void everyTransposeCombinationWithThreeDifferentDimensions() {
        // m = 2, k = 3, n = 4, so an index that mixes up m, n and k cannot pass.
        // A = [[1, 2, 3], [4, 5, 6]], B = [[1, 0, 2, 1], [0, 1, 1, 2], [1, 1, 0, 1]]
        // A B = [[1 + 3, 2 + 3, 2 + 2, 1 + 4 + 3], [4 + 6, 5 + 6, 8 + 5, 4 + 10 + 6]]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {1, 0, 2, 1, 0, 1, 1, 2, 1, 1, 0, 1};
        float[] ab = {4, 5, 4, 8, 10, 11, 13, 20};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor ta2 = ta ? be.tensor(transposed(a, 2, 3), 3, 2) : be.tensor(a, 2, 3);
                Tensor tb2 = tb ? be.tensor(transposed(b, 3, 4), 4, 3) : be.tensor(b, 3, 4);
                Tensor c = be.zeros(2, 4);
                be.gemm(ta, tb, 1f, ta2, tb2, 0f, c);
                Expect.values(c, 0f, ab);
            }
        }
    }

    /** The [cols, rows] transpose of a row-major [rows, cols] array, written out on the host. */
    private static float[] transposed(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }

    @Test
    void operandsMayBeRowViews() {
        // Rows 1..2 of a [3, 3] tensor start at offset 3: [[1, 2, 3], [4, 5, 6]] again.
        Tensor big = be.tensor(new float[] {-9, -9, -9, 1, 2, 3, 4, 5, 6}, 3, 3);
        Tensor out = be.zeros(4, 2);
        Tensor c = out.rows(2, 4);
        be.gemm(false, false, 1f, big.rows(1, 3), b(), 0f, c);
        Expect.values(out, 0f, 0, 0, 0, 0, 58, 64, 139, 154);
    }

    @Test
    void linearAddsBiasAndAppliesActivation() {
        // x = A [2, 3], w = B^T [2, 3]: x w^T = A B; + bias [-60, -60]; relu
        Tensor out = be.zeros(2, 2);
        be.linear(a(), bT(), be.tensor(new float[] {-60, -60}, 2), Activation.RELU, 0f, out);
        Expect.values(out, 0f, 0, 4, 79, 94);
    }

    @Test
    void linearWithABiasOfTheWrongSizeIsALinearError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.linear(a(), bT(), be.zeros(3), Activation.IDENTITY, 0f, be.zeros(2, 2)));
        assertTrue(e.getMessage().startsWith("linear: bias [3]"), e.getMessage());
    }

    @Test
    void mismatchedInnerDimensionsNameTheOpAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.gemm(false, false, 1f, a(), be.zeros(2, 2), 0f, be.zeros(2, 2)));
        assertTrue(e.getMessage().contains("matmul: [2, 3] x [2, 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("3 and 2"), e.getMessage());
    }

    @Test
    void wrongOutputShapeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.gemm(false, false, 1f, a(), b(), 0f, be.zeros(2, 3)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        Tensor out = be.zeros(3, 2);
        be.transpose(a(), out);
        Expect.values(out, 0f, 1, 4, 2, 5, 3, 6);
    }
}
