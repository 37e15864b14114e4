package dendrite.nn.losses;

import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Loss values against hand-computed ones. */
class LossValueTest {
    private final Backend be = TestBackend.get();

    private float value(Loss loss, float[] p, int[] pShape, float[] y, int... yShape) {
        return loss.forward(be.tensor(p, pShape), be.tensor(y, yShape)).item();
    }

    @Test
    void meanSquaredAndAbsoluteErrorAreMeansOverAllValues() {
        float[] p = {1, 2, 3, 4};
        float[] y = {0, 2, 5, 4};
        assertEquals((1 + 0 + 4 + 0) / 4f, value(new MeanSquaredError(), p, new int[] {2, 2}, y, 2, 2), 1e-6);
        assertEquals((1 + 0 + 2 + 0) / 4f, value(new MeanAbsoluteError(), p, new int[] {4, 1}, y, 4), 1e-6);
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        // d = 0.5 -> 0.5 * 0.25 = 0.125; d = -3 -> 1 * (3 - 0.5) = 2.5
        assertEquals((0.125f + 2.5f) / 2, value(new Huber(1.0), new float[] {0.5f, -3f}, new int[] {2, 1},
                new float[] {0, 0}, 2, 1), 1e-6);
    }

    @Test
    void binaryCrossEntropyFormsAgree() {
        float[] z = {-2f, 0.5f, 3f};
        float[] y = {0, 1, 1};
        double expected = 0;
        float[] prob = new float[3];
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-z[i]));
            prob[i] = (float) s;
            expected -= y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s);
        }
        expected /= 3;
        assertEquals(expected, value(new BinaryCrossEntropyWithLogits(), z, new int[] {3, 1}, y, 3), 1e-6);
        assertEquals(expected, value(new BinaryCrossEntropy(), prob, new int[] {3, 1}, y, 3), 1e-5);
    }

    @Test
    void bceWithLogitsStaysFiniteForHugeLogits() {
        float v = value(new BinaryCrossEntropyWithLogits(), new float[] {200f, -200f}, new int[] {2, 1},
                new float[] {0, 1}, 2, 1);
        assertEquals(200f, v, 1e-3);
    }

    @Test
    void crossEntropyOfEqualLogitsIsLnC() {
        float[] z = new float[2 * 3];
        assertEquals(Math.log(3), value(new SoftmaxCrossEntropy(), z, new int[] {2, 3}, new float[] {0, 2}, 2), 1e-6);
        assertEquals(Math.log(3), value(new SoftmaxCrossEntropy(), z, new int[] {2, 3},
                new float[] {1, 0, 0, 0, 0, 1}, 2, 3), 1e-6);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverM() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(be.tensor(new float[] {0, 0, 0, 0}, 2, 2), be.tensor(new float[] {1, 0}, 2));
        assertArrayEquals(new float[] {0.25f, -0.25f, -0.25f, 0.25f}, loss.backward().toArray(), 1e-7f);
    }

    @Test
    void labelSmoothingSpreadsTheTarget() {
        // s = 0.3, C = 2: target row (0.85, 0.15); logits (0, 0) give ln 2 whatever the target.
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(0.3);
        assertEquals(Math.log(2), loss.forward(be.tensor(new float[] {0, 0}, 1, 2), be.tensor(new float[] {0}, 1))
                .item(), 1e-6);
        assertArrayEquals(new float[] {0.5f - 0.85f, 0.5f - 0.15f}, loss.backward().toArray(), 1e-6f);
    }

    @Test
    void aMismatchedTargetNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().forward(be.zeros(4, 2), be.zeros(4, 3)));
        assertEquals("mse: target [4, 3] does not match prediction [4, 2] (12 vs 8 values)", e.getMessage());
    }
}
