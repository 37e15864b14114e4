package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dropout on the attention weights (PyTorch's {@code nn.MultiheadAttention(..., dropout=p)}): the
 * identity in evaluation, unbiased in training, and a backward pass through the same mask. PyTorch's
 * own masks come from another generator, so the comparison with PyTorch is with dropout 0
 * ({@link MultiheadAttentionPyTorchTest}); here the dropout path is checked on its own terms.
 */
class AttentionDropoutTest {
    private static final int BATCH = 2;
    private static final int STEPS = 3;
    private static final int EMBED = 4;

    private static MultiheadAttention built(Backend be, double dropout) {
        MultiheadAttention layer = new MultiheadAttention(EMBED, 2, true, false, false, dropout);
        layer.build(be, Shape.of(STEPS, EMBED), 17);
        return layer;
    }

    private static float[] input() {
        float[] x = new float[BATCH * STEPS * EMBED];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i + 0.3) * 1.5f;
        }
        return x;
    }

    @Test
    void inEvaluationItIsTheLayerWithoutDropout() {
        Backend be = TestBackend.get();
        MultiheadAttention plain = built(be, 0);
        MultiheadAttention dropped = built(be, 0.4);
        Tensor x = be.tensor(input(), BATCH, STEPS, EMBED);
        assertArrayEquals(plain.forward(x, false).toArray(), dropped.forward(x, false).toArray());
        assertFalse(java.util.Arrays.equals(plain.forward(x, true).toArray(), dropped.forward(x, true).toArray()),
                "training with dropout 0.4 changed nothing");
    }

    /** Inverted dropout leaves each weight's expectation alone, and the output is linear in the weights. */
    @Test
    void inTrainingTheOutputsAverageToTheLayerWithoutDropout() {
        Backend be = TestBackend.get();
        MultiheadAttention plain = built(be, 0);
        MultiheadAttention dropped = built(be, 0.3);
        Tensor x = be.tensor(input(), BATCH, STEPS, EMBED);
        float[] expected = plain.forward(x, true).toArray();
        int passes = 4000;
        double[] mean = new double[expected.length];
        for (int p = 0; p < passes; p++) {
            float[] y = dropped.forward(x, true).toArray();
            for (int i = 0; i < y.length; i++) {
                mean[i] += y[i] / (double) passes;
            }
        }
        double worst = 0;
        for (int i = 0; i < mean.length; i++) {
            worst = Math.max(worst, Math.abs(mean[i] - expected[i]));
        }
        // The spread of one pass is about 0.3 here; over 4000 passes the mean's is under 0.01.
        assertTrue(worst < 0.03, "the mean over " + passes + " passes is " + worst + " from the output without dropout");
    }

    /**
     * Backward goes through the mask the forward pass drew: with the random state put back before
     * every forward pass, the same mask is drawn, and central differences of {@code sum(r * y)} match
     * the input gradient.
     */
    @OnEveryBackend
    void backwardGoesThroughTheSameMask(String backend) {
        Backend be = EveryBackend.get(backend);
        MultiheadAttention layer = built(be, 0.5);
        Map<String, Long> state = layer.randomState();
        assertEquals(2, state.size());
        float[] xs = input();
        float[] r = new float[xs.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) Math.cos(1.3 * i);
        }
        layer.restoreRandomState(state);
        layer.forward(be.tensor(xs, BATCH, STEPS, EMBED), true);
        float[] dx = layer.backward(be.tensor(r, BATCH, STEPS, EMBED)).toArray();
        float eps = 1e-2f;
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            float keep = xs[i];
            xs[i] = keep + eps;
            double up = objective(layer, be, state, xs, r);
            xs[i] = keep - eps;
            double down = objective(layer, be, state, xs, r);
            xs[i] = keep;
            double numeric = (up - down) / (2 * eps);
            worst = Math.max(worst, Math.abs(numeric - dx[i]) / Math.max(1, Math.abs(numeric)));
        }
        assertTrue(worst < 5e-3, be.name() + ": the input gradient is " + worst + " from central differences");
    }

    private static double objective(MultiheadAttention layer, Backend be, Map<String, Long> state, float[] xs,
            float[] r) {
        layer.restoreRandomState(state);
        float[] y = layer.forward(be.tensor(xs, BATCH, STEPS, EMBED), true).toArray();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) r[i] * y[i];
        }
        return sum;
    }

    @Test
    void theConfigKeepsTheDropoutAndBadValuesAreRefused() {
        MultiheadAttention layer = new MultiheadAttention(8, 2, true, true, false, 0.1);
        MultiheadAttention back = (MultiheadAttention) LayerRegistry.create(layer.type(), layer.config());
        assertEquals(layer.config(), back.config());
        assertTrue(back.toString().contains("dropout 0.1"), back.toString());
        assertFalse(new MultiheadAttention(8, 2).config().containsKey("dropout"), "dropout 0 is left out of files");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiheadAttention(8, 2, true, false, false, 1.0));
        assertEquals("multihead_attention: dropout must be in [0, 1), got 1.0", e.getMessage());
    }
}
