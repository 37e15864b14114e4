package dendrite.nn.diag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.layers.GRU;
import dendrite.nn.layers.LSTM;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.SimpleRNN;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.op.Activation;

/**
 * Backpropagation through time agrees with finite differences of the forward pass for every
 * recurrent layer, returning all steps or the last, on every backend (4 steps of 3 features, 5
 * hidden units: every gate and both weight matrices get checked).
 */
class RecurrentGradientTest {
    private static final double TOLERANCE = 2e-3;
    private static final Shape IN = Shape.of(4, 3);
    private final GradientChecker checker = new GradientChecker();

    private void check(String backend, Layer layer) {
        Backend be = EveryBackend.get(backend);
        GradientChecker.Report r = checker.checkLayer(layer, be, IN, 2, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + ": " + r);
    }

    @OnEveryBackend
    void lstm(String backend) {
        check(backend, new LSTM(3, 5, true));
        check(backend, new LSTM(3, 5, false));
    }

    @OnEveryBackend
    void gru(String backend) {
        check(backend, new GRU(3, 5, true));
        check(backend, new GRU(3, 5, false));
    }

    /**
     * A padded batch (the second sample's last two steps are zeros) through layers that skip padding:
     * every weight's gradient agrees with finite differences. The input's is left out here, since
     * nudging a padded zero makes that step real (RecurrentPyTorchTest compares it with PyTorch).
     */
    @OnEveryBackend
    void paddedBatchesThroughLayersThatSkipPadding(String backend) {
        Backend be = EveryBackend.get(backend);
        float[] x = new float[2 * IN.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.9 * i + 0.3);
        }
        java.util.Arrays.fill(x, IN.size() + 2 * 3, 2 * IN.size(), 0f);
        for (Layer layer : new Layer[] {new LSTM(3, 5, true).maskZeroSteps(), new GRU(3, 5, false).maskZeroSteps(),
                new SimpleRNN(3, 5, true, Activation.TANH).maskZeroSteps()}) {
            GradientChecker.Report r = checker.checkLayer(layer, be, IN, x, true);
            for (java.util.Map.Entry<String, Double> e : r.maxRelativeError().entrySet()) {
                if (!e.getKey().equals("input")) {      // looser: the tanh RNN's biases add curvature from every step
                    assertTrue(e.getValue() < 5e-3, be.name() + ", " + layer + ": " + r);
                }
            }
        }
    }

    @OnEveryBackend
    void bidirectional(String backend) {
        check(backend, new dendrite.nn.layers.Bidirectional(new LSTM(3, 5, true)));
        check(backend, new dendrite.nn.layers.Bidirectional(new GRU(3, 4, false)));
    }

    @OnEveryBackend
    void tanhRnn(String backend) {
        check(backend, new SimpleRNN(3, 5, true, Activation.TANH));
        check(backend, new SimpleRNN(-1, 5, false, Activation.TANH));
    }
}
