package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;
import org.junit.jupiter.api.Test;

/** Elementwise kernels and binary broadcasting. */
class ScalarElementwiseTest {
    private final Backend be = Backend.of(new ScalarKernels());

    private Tensor a() {   // [[1, 2, 3], [4, 5, 6]]
        return be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void sameShape() {
        Tensor out = be.zeros(2, 3);
        be.binary(BinaryOp.SUB, a(), be.tensor(new float[] {1, 1, 1, 2, 2, 2}, 2, 3), out);
        Expect.values(out, 0f, 0, 1, 2, 2, 3, 4);
    }

    @Test
    void rowVectorRepeatsDownTheRows() {
        Tensor out = be.zeros(2, 3);
        be.binary(BinaryOp.ADD, a(), be.tensor(new float[] {10, 20, 30}, 3), out);
        Expect.values(out, 0f, 11, 22, 33, 14, 25, 36);
        be.binary(BinaryOp.ADD, a(), be.tensor(new float[] {10, 20, 30}, 1, 3), out);
        Expect.values(out, 0f, 11, 22, 33, 14, 25, 36);
    }

    @Test
    void columnVectorRepeatsAlongEachRow() {
        Tensor out = be.zeros(2, 3);
        be.binary(BinaryOp.MUL, a(), be.tensor(new float[] {10, -1}, 2, 1), out);
        Expect.values(out, 0f, 10, 20, 30, -4, -5, -6);
    }

    @Test
    void singleValueRepeatsEverywhere() {
        Tensor out = be.zeros(2, 3);
        be.binary(BinaryOp.DIV, a(), be.tensor(new float[] {2}), out);
        Expect.values(out, 0f, 0.5f, 1, 1.5f, 2, 2.5f, 3);
    }

    @Test
    void rowBroadcastOverARank3TensorUsesTheLastDimension() {
        Tensor x = be.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor out = be.zeros(2, 2, 2);
        be.binary(BinaryOp.SUB, x, be.tensor(new float[] {1, 2}, 2), out);
        Expect.values(out, 0f, 0, 0, 2, 2, 4, 4, 6, 6);
    }

    @Test
    void inPlaceOutputMayBeTheFirstOperand() {
        Tensor x = a();
        be.binary(BinaryOp.MAX, x, be.tensor(new float[] {3.5f}), x);
        Expect.values(x, 0f, 3.5f, 3.5f, 3.5f, 4, 5, 6);
    }

    @Test
    void maxAndMinPropagateNaN() {
        Tensor x = be.tensor(new float[] {Float.NaN, 1}, 2);
        Tensor out = be.zeros(2);
        be.binary(BinaryOp.MAX, x, be.tensor(new float[] {0, Float.NaN}, 2), out);
        Expect.values(out, 0f, Float.NaN, Float.NaN);
        be.binary(BinaryOp.MIN, x, be.tensor(new float[] {0, 0}, 2), out);
        Expect.values(out, 0f, Float.NaN, 0);
    }

    @Test
    void shapesThatCannotBroadcastNameTheOpAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.binary(BinaryOp.ADD, a(), be.zeros(2), be.zeros(2, 3)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void unaryOps() {
        Tensor x = be.tensor(new float[] {-2, 0, 4}, 3);
        Tensor out = be.zeros(3);
        be.unary(UnaryOp.NEG, x, out);
        Expect.values(out, 0f, 2, -0f, -4);
        be.unary(UnaryOp.ABS, x, out);
        Expect.values(out, 0f, 2, 0, 4);
        be.unary(UnaryOp.SQUARE, x, out);
        Expect.values(out, 0f, 4, 0, 16);
        be.unary(UnaryOp.SQRT, x, out);
        Expect.values(out, 0f, Float.NaN, 0, 2);
        be.unary(UnaryOp.LOG, x, out);
        Expect.values(out, 0f, Float.NaN, Float.NEGATIVE_INFINITY, (float) Math.log(4));
        be.unary(UnaryOp.EXP, x, out);
        Expect.values(out, 1e-7f, 0.13533528f, 1, 54.59815f);
        be.unary(UnaryOp.RECIPROCAL, x, out);
        Expect.values(out, 0f, -0.5f, Float.POSITIVE_INFINITY, 0.25f);
        be.unary(UnaryOp.SIGN, be.tensor(new float[] {-3, 0, Float.NaN}, 3), out);
        Expect.values(out, 0f, -1, 0, Float.NaN);
    }

    @Test
    void affinePowAndClamp() {
        Tensor x = be.tensor(new float[] {-2, 0.5f, 3, Float.NaN}, 4);
        Tensor out = be.zeros(4);
        be.affine(x, 2f, 1f, out);                 // 2x + 1
        Expect.values(out, 0f, -3, 2, 7, Float.NaN);
        be.powScalar(x, 2f, out);
        Expect.values(out, 0f, 4, 0.25f, 9, Float.NaN);
        be.clamp(x, -1f, 1f, out);
        Expect.values(out, 0f, -1, 0.5f, 1, Float.NaN);
    }

    @Test
    void elementwiseShapeMismatchNamesTheOpAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.EXP, a(), be.zeros(3, 2)));
        assertTrue(e.getMessage().contains("exp") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[3, 2]"), e.getMessage());
    }
}
