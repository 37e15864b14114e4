package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Reductions along an axis, softmax, log-softmax and argmax. */
class ScalarReductionsTest {
    private final Backend be = Backend.of(new ScalarKernels());

    private Tensor m() {   // [[1, 2, 3], [4, 5, 6]]
        return be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void alongTheFirstAxis() {
        Tensor out = be.zeros(3);
        be.reduce(ReduceOp.SUM, m(), 0, out);
        Expect.values(out, 0f, 5, 7, 9);
        be.reduce(ReduceOp.MAX, m(), 0, out);
        Expect.values(out, 0f, 4, 5, 6);
    }

    @Test
    void alongTheLastAxis() {
        Tensor out = be.zeros(2, 1);             // keeping the axis as 1 is accepted too
        be.reduce(ReduceOp.SUM, m(), 1, out);
        Expect.values(out, 0f, 6, 15);
        be.reduce(ReduceOp.MEAN, m(), -1, out);
        Expect.values(out, 0f, 2, 5);
        be.reduce(ReduceOp.SUM_SQUARES, m(), -1, out);
        Expect.values(out, 0f, 1 + 4 + 9, 16 + 25 + 36);
    }

    @Test
    void alongTheMiddleAxisOfARank3Tensor() {
        // x[o][l][i] = 6 o + 2 l + i for a [2, 3, 2] tensor; summing l gives
        // (o, i) = (0, 0): 0 + 2 + 4, (0, 1): 1 + 3 + 5, (1, 0): 6 + 8 + 10, (1, 1): 7 + 9 + 11.
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i;
        }
        Tensor x = be.tensor(v, 2, 3, 2);
        Tensor out = be.zeros(2, 2);
        be.reduce(ReduceOp.SUM, x, 1, out);
        Expect.values(out, 0f, 6, 9, 24, 27);
        be.reduce(ReduceOp.MAX, x, -2, out);
        Expect.values(out, 0f, 4, 5, 10, 11);
    }

    @Test
    void maxIsNaNWhenAnyValueIsNaNAndHandlesAllNegativeInfinity() {
        Tensor x = be.tensor(new float[] {1, Float.NaN, 3, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -7}, 2, 3);
        Tensor out = be.zeros(2);
        be.reduce(ReduceOp.MAX, x, 1, out);
        Expect.values(out, 0f, Float.NaN, -7);
        be.reduce(ReduceOp.MAX, be.full(Float.NEGATIVE_INFINITY, 2, 2), 1, out);
        Expect.values(out, 0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    void reduceAllAndReduceToFloat() {
        Tensor out = be.zeros(1);
        be.reduceAll(ReduceOp.SUM, m(), out);
        Expect.values(out, 0f, 21);
        assertEquals(3.5f, be.reduceToFloat(ReduceOp.MEAN, m()));
        assertEquals(6f, be.reduceToFloat(ReduceOp.MAX, m()));
        assertEquals(91f, be.reduceToFloat(ReduceOp.SUM_SQUARES, m()));
    }

    @Test
    void wrongOutputSizeNamesTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> be.reduce(ReduceOp.SUM, m(), 0, be.zeros(2)));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[2]"), e.getMessage());
    }

    // softmax([0, 1, 2]) = [e^-2, e^-1, 1] / (1 + e^-1 + e^-2) with 1 + e^-1 + e^-2 = 1.5032147
    private static final float[] SOFTMAX_012 = {0.09003057f, 0.24472847f, 0.66524096f};
    // log-softmax([0, 1, 2]) = [0, 1, 2] - 2 - ln(1.5032147) = [0, 1, 2] - 2.40760596
    private static final float[] LOG_SOFTMAX_012 = {-2.407606f, -1.407606f, -0.407606f};

    @Test
    void softmaxOfLargeValuesStaysFinite() {
        // e^1000 overflows a float; subtracting the row max makes this the softmax of [0, 1, 2].
        Tensor x = be.tensor(new float[] {1000, 1001, 1002, -1002, -1001, -1000}, 2, 3);
        Tensor out = be.zeros(2, 3);
        be.softmax(x, out);
        float[] e = SOFTMAX_012;
        Expect.values(out, 1e-6f, e[0], e[1], e[2], e[0], e[1], e[2]);
    }

    @Test
    void logSoftmaxOfLargeValuesStaysFinite() {
        Tensor x = be.tensor(new float[] {1000, 1001, 1002, -1002, -1001, -1000}, 2, 3);
        Tensor out = be.zeros(2, 3);
        be.logSoftmax(x, out);
        float[] e = LOG_SOFTMAX_012;
        Expect.values(out, 1e-4f, e[0], e[1], e[2], e[0], e[1], e[2]);
    }

    @Test
    void softmaxInPlace() {
        Tensor x = be.tensor(new float[] {0, 1, 2}, 1, 3);
        be.softmax(x, x);
        Expect.values(x, 1e-6f, SOFTMAX_012);
        Tensor y = be.tensor(new float[] {0, 1, 2}, 3);
        be.logSoftmax(y, y);
        Expect.values(y, 1e-6f, LOG_SOFTMAX_012);
    }

    @Test
    void argmaxTakesTheFirstOnTiesAndNaNAsLargest() {
        Tensor x = be.tensor(new float[] {
            1, 3, 3, 2,
            5, Float.NaN, 7, Float.NaN,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
            2, 2, 2, 9}, 4, 4);
        Tensor out = be.zeros(4);
        be.argmax(x, out);
        Expect.values(out, 0f, 1, 1, 0, 3);
    }
}
