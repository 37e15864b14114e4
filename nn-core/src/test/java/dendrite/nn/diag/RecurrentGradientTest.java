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

    @OnEveryBackend
    void tanhRnn(String backend) {
        check(backend, new SimpleRNN(3, 5, true, Activation.TANH));
        check(backend, new SimpleRNN(-1, 5, false, Activation.TANH));
    }
}
