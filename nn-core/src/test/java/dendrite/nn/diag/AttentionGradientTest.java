package dendrite.nn.diag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.MultiheadAttention;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.op.CounterRandom;
import java.util.Map;

/**
 * Multi-head self-attention's backward pass (two batched products, the softmax's Jacobian, two
 * projections and the head gathers) agrees with finite differences of its forward pass, on every
 * backend: with and without biases, causal, one head and several, and on a padded batch.
 */
class AttentionGradientTest {
    /**
     * Looser than a single elementwise layer's 2e-3: each output goes through two projections, two
     * products and a softmax in float32. Measured over three seeds at eps 1e-2, the worst error is
     * 1.9e-3 (OpenCL's input gradient; scalar's 1.8e-3); a wrong or missing term (the softmax's row
     * sum, the 1/sqrt(d) on dQ) gives errors of order 1e-1 and more.
     */
    private static final double TOLERANCE = 5e-3;
    private final GradientChecker checker = new GradientChecker();

    private void check(String backend, Layer layer, Shape in) {
        Backend be = EveryBackend.get(backend);
        for (long seed : new long[] {1234, 1}) {
            GradientChecker.Report r = checker.seed(seed).checkLayer(layer, be, in, 2, true);
            assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + ", seed " + seed + ": " + r);
        }
    }

    @OnEveryBackend
    void twoHeadsWithBiases(String backend) {
        check(backend, new MultiheadAttention(8, 2), Shape.of(5, 8));
    }

    @OnEveryBackend
    void causal(String backend) {
        check(backend, new MultiheadAttention(8, 2, true, true, false), Shape.of(5, 8));
    }

    @OnEveryBackend
    void threeHeadsWithoutBiasesAndOneHead(String backend) {
        check(backend, new MultiheadAttention(6, 3, false, false, false), Shape.of(4, 6));
        check(backend, new MultiheadAttention(4, 1), Shape.of(3, 4));
    }

    /**
     * The second sample's last two steps are padding (all zeros), hidden as keys, under a causal mask
     * too: every parameter's gradient agrees with finite differences. The input's is left out, since
     * nudging a padded zero makes that step real (MultiheadAttentionPyTorchTest compares it with PyTorch).
     */
    @OnEveryBackend
    void paddedBatchParameters(String backend) {
        Backend be = EveryBackend.get(backend);
        Shape in = Shape.of(5, 8);
        float[] x = new float[2 * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(3, i);
        }
        java.util.Arrays.fill(x, in.size() + 3 * 8, 2 * in.size(), 0f);
        for (boolean causal : new boolean[] {false, true}) {
            Layer layer = new MultiheadAttention(8, 2, true, causal, true);
            GradientChecker.Report r = checker.seed(1234).checkLayer(layer, be, in, x, true);
            for (Map.Entry<String, Double> e : r.maxRelativeError().entrySet()) {
                if (!e.getKey().equals("input")) {
                    assertTrue(e.getValue() < TOLERANCE, be.name() + ", " + layer + ": " + r);
                }
            }
        }
    }
}
