package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Optimizer updates against steps worked out by hand (PyTorch's formulas). */
class ScalarOptimizersTest {
    private final Backend be = Backend.of(new ScalarKernels());

    private Tensor one(float v) {
        return be.tensor(new float[] {v}, 1);
    }

    @Test
    void plainSgdWithWeightDecay() {
        // g' = 0.5 + 0.1 * 1 = 0.6; p = 1 - 0.1 * 0.6 = 0.94
        Tensor p = one(1);
        be.sgdUpdate(p, one(0.5f), null, 0.1f, 0f, 0.1f, false);
        Expect.values(p, 1e-7f, 0.94f);
    }

    @Test
    void sgdWithMomentum() {
        // step 1: v = 0.5, p = 1 - 0.05 = 0.95; step 2: v = 0.9 * 0.5 + 0.5 = 0.95, p = 0.95 - 0.095 = 0.855
        Tensor p = one(1);
        Tensor v = one(0);
        be.sgdUpdate(p, one(0.5f), v, 0.1f, 0.9f, 0f, false);
        Expect.values(p, 1e-7f, 0.95f);
        be.sgdUpdate(p, one(0.5f), v, 0.1f, 0.9f, 0f, false);
        Expect.values(p, 1e-7f, 0.855f);
        Expect.values(v, 1e-7f, 0.95f);
    }

    @Test
    void sgdWithNesterovMomentum() {
        // v = 0.5, g' = 0.5 + 0.9 * 0.5 = 0.95, p = 1 - 0.095 = 0.905
        Tensor p = one(1);
        Tensor v = one(0);
        be.sgdUpdate(p, one(0.5f), v, 0.1f, 0.9f, 0f, true);
        Expect.values(p, 1e-7f, 0.905f);
    }

    @Test
    void sgdMomentumWithoutVelocityIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.sgdUpdate(one(1), one(1), null, 0.1f, 0.9f, 0f, false));
        assertTrue(e.getMessage().contains("sgd"), e.getMessage());
    }

    @Test
    void adamFirstTwoSteps() {
        // lr 0.1, b1 0.9, b2 0.999, eps 1e-8, p = 1
        // step 1, g = 0.5: m = 0.05, v = 0.00025, m^ = 0.05 / 0.1 = 0.5, v^ = 0.00025 / 0.001 = 0.25,
        //   p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9  (Adam's first step is lr times the gradient's sign)
        // step 2, g = -1: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975,
        //   m^ = -0.055 / 0.19 = -0.28947368, v^ = 0.00124975 / 0.001999 = 0.62518759, sqrt = 0.79068805,
        //   p = 0.9 + 0.1 * 0.28947368 / 0.79068805 = 0.93661035
        Tensor p = one(1);
        Tensor m = one(0);
        Tensor v = one(0);
        be.adamUpdate(p, one(0.5f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1);
        Expect.values(p, 1e-6f, 0.9f);
        Expect.values(m, 1e-7f, 0.05f);
        // 1 - 0.999f is 0.00099998713 in float, so v is off by about 1e-5 relative
        Expect.values(v, 1e-8f, 0.00025f);
        be.adamUpdate(p, one(-1f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 2);
        Expect.values(p, 1e-5f, 0.93661035f);
    }

    @Test
    void adamWDecaysTheWeightBeforeTheStep() {
        // wd 0.1: p = 1 - 0.1 * 0.1 * 1 = 0.99, then the first step subtracts lr = 0.1: 0.89
        Tensor p = one(1);
        be.adamUpdate(p, one(0.5f), one(0), one(0), 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, true, 1);
        Expect.values(p, 1e-6f, 0.89f);
    }

    @Test
    void adamWithL2AddsTheDecayToTheGradient() {
        // wd 0.1 (L2): step 1 g = 0.5 + 0.1 = 0.6, p = 1 - 0.1 = 0.9, m = 0.06, v = 0.00036
        // step 2 g = -1 + 0.09 = -0.91: m = 0.054 - 0.091 = -0.037, v = 0.00035964 + 0.0008281 = 0.00118774,
        //   m^ = -0.037 / 0.19 = -0.19473684, v^ = 0.00118774 / 0.001999 = 0.59416708, sqrt = 0.77082234,
        //   p = 0.9 + 0.1 * 0.19473684 / 0.77082234 = 0.92526352
        Tensor p = one(1);
        Tensor m = one(0);
        Tensor v = one(0);
        be.adamUpdate(p, one(0.5f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, false, 1);
        be.adamUpdate(p, one(-1f), m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, false, 2);
        Expect.values(m, 1e-7f, -0.037f);
        Expect.values(p, 1e-5f, 0.92526352f);
    }

    @Test
    void adamRejectsStepZero() {
        assertThrows(IllegalArgumentException.class,
                () -> be.adamUpdate(one(1), one(1), one(0), one(0), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 0));
    }

    @Test
    void rmsprop() {
        // s = 0.99 * 0 + 0.01 * 0.25 = 0.0025, sqrt = 0.05, p = 1 - 0.01 * 0.5 / 0.05 = 0.9
        Tensor p = one(1);
        Tensor s = one(0);
        be.rmspropUpdate(p, one(0.5f), s, 0.01f, 0.99f, 1e-8f, 0f);
        Expect.values(s, 1e-8f, 0.0025f);      // 1 - 0.99f is not exactly 0.01
        Expect.values(p, 1e-6f, 0.9f);
    }

    @Test
    void adagrad() {
        // step 1: s = 0.25, p = 1 - 0.1 * 0.5 / 0.5 = 0.9; step 2, g = 1.2: s = 0.25 + 1.44 = 1.69,
        //   p = 0.9 - 0.1 * 1.2 / 1.3 = 0.80769231
        Tensor p = one(1);
        Tensor s = one(0);
        be.adagradUpdate(p, one(0.5f), s, 0.1f, 1e-10f, 0f);
        Expect.values(p, 1e-6f, 0.9f);
        be.adagradUpdate(p, one(1.2f), s, 0.1f, 1e-10f, 0f);
        Expect.values(s, 1e-6f, 1.69f);
        Expect.values(p, 1e-6f, 0.80769231f);
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.adagradUpdate(be.zeros(2, 3), be.zeros(2, 3), be.zeros(3, 2), 0.1f, 1e-8f, 0f));
        assertTrue(e.getMessage().contains("adagrad") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[3, 2]"), e.getMessage());
    }
}
