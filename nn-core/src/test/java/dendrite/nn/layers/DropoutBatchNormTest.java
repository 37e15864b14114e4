package dendrite.nn.layers;

import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout and BatchNorm behave differently in training and evaluation, as PyTorch's do. */
class DropoutBatchNormTest {
    private final Backend be = TestBackend.get();

    @Test
    void dropoutZeroesAboutPAndScalesSurvivorsInTrainingOnly() {
        Dropout d = new Dropout(0.25);
        d.build(be, Shape.of(100), 5);
        Tensor x = be.full(2f, 40, 100);
        float[] y = d.forward(x, true).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(2f / 0.75f, v, 1e-6);
            }
        }
        assertEquals(0.25, zeros / 4000.0, 0.03);
        float[] dx = d.backward(be.full(1f, 40, 100)).toArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i] == 0f ? 0f : 1f / 0.75f, dx[i], 1e-6, "gradient flows only through kept values");
        }
        assertSame(x, d.forward(x, false), "evaluation is the identity");
    }

    @Test
    void dropoutMasksDifferFromStepToStep() {
        Dropout d = new Dropout(0.5);
        d.build(be, Shape.of(50), 5);
        Tensor x = be.full(1f, 2, 50);
        float[] first = d.forward(x, true).toArray();
        float[] second = d.forward(x, true).toArray();
        assertTrue(!java.util.Arrays.equals(first, second));
    }

    @Test
    void batchNormNormalizesWithBatchStatsAndTracksRunningStats() {
        BatchNorm1d bn = new BatchNorm1d();
        bn.build(be, Shape.of(2), 0);
        // feature 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); feature 1: all 5 (var 0)
        Tensor x = be.tensor(new float[] {1, 5, 2, 5, 3, 5, 6, 5}, 4, 2);
        float[] y = bn.forward(x, true).toArray();
        double inv = 1 / Math.sqrt(3.5 + 1e-5);
        assertArrayEquals(new float[] {(float) (-2 * inv), 0, (float) (-1 * inv), 0, 0, 0, (float) (3 * inv), 0}, y,
                1e-5f);
        assertArrayEquals(new float[] {0.3f, 0.5f}, bn.buffers().get("running_mean").toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 14f / 3f, 0.9f}, bn.buffers().get("running_var").toArray(), 1e-6f);

        float[] eval = bn.forward(x, false).toArray();
        assertEquals((1 - 0.3) / Math.sqrt(0.9 + 0.1 * 14.0 / 3 + 1e-5), eval[0], 1e-5, "evaluation uses running stats");
        assertEquals((5 - 0.5) / Math.sqrt(0.9 + 1e-5), eval[1], 1e-4);
    }

    @Test
    void batchNormStateIsNamedAsInPyTorch() {
        BatchNorm1d bn = new BatchNorm1d();
        bn.build(be, Shape.of(3), 0);
        assertEquals(java.util.List.of("weight", "bias"), bn.parameters().stream().map(Parameter::name).toList());
        assertEquals(java.util.List.of("running_mean", "running_var"), java.util.List.copyOf(bn.buffers().keySet()));
    }
}
