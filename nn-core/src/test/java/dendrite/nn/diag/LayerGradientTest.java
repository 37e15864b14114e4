package dendrite.nn.diag;

import dendrite.nn.TestBackend;
import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Dropout;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LeakyReLU;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Reshape;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.Softmax;
import dendrite.nn.layers.Tanh;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.spi.CounterRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in layer's backward agrees with finite differences of its forward. */
class LayerGradientTest {
    private static final double TOLERANCE = 2e-3;
    private final Backend be = TestBackend.get();
    private final GradientChecker checker = new GradientChecker();

    private void check(Layer layer, Shape in, boolean training) {
        GradientChecker.Report r = checker.checkLayer(layer, be, in, 5, training);
        assertTrue(r.passed(TOLERANCE), layer + ": " + r);
    }

    /** Inputs at least 0.1 away from 0, so no finite difference straddles a kink. */
    private void checkAwayFromKink(Layer layer, Shape in) {
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            float u = CounterRandom.uniform(7, i);
            x[i] = (u < 0.5f ? -1 : 1) * (0.1f + 2 * Math.abs(u - 0.5f) * 2);
        }
        GradientChecker.Report r = checker.checkLayer(layer, be, in, x, true);
        assertTrue(r.passed(TOLERANCE), layer + ": " + r);
    }

    @Test
    void dense() {
        check(new Dense(4, 3), Shape.of(4), true);
    }

    @Test
    void denseWithoutBias() {
        check(new Dense(4, 3, false, null), Shape.of(4), true);
    }

    @Test
    void denseWithFusedSigmoidAndTanh() {
        check(new Dense(4, 3, true, null, dendrite.tensor.Activation.SIGMOID), Shape.of(4), true);
        check(new Dense(4, 3, true, null, dendrite.tensor.Activation.TANH), Shape.of(4), true);
    }

    @Test
    void relu() {
        checkAwayFromKink(new ReLU(), Shape.of(6));
    }

    @Test
    void leakyRelu() {
        checkAwayFromKink(new LeakyReLU(0.1f), Shape.of(6));
    }

    @Test
    void sigmoid() {
        check(new Sigmoid(), Shape.of(6), true);
    }

    @Test
    void tanh() {
        check(new Tanh(), Shape.of(6), true);
    }

    @Test
    void gelu() {
        check(new GELU(), Shape.of(6), true);
    }

    @Test
    void softmax() {
        check(new Softmax(), Shape.of(5), true);
    }

    @Test
    void batchNormInTraining() {
        check(new BatchNorm1d(), Shape.of(3), true);
    }

    @Test
    void batchNormInEvaluation() {
        check(new BatchNorm1d(), Shape.of(3), false);
    }

    @Test
    void dropoutInEvaluation() {
        check(new Dropout(0.5), Shape.of(4), false);
    }

    @Test
    void flattenAndReshape() {
        check(new Flatten(), Shape.of(2, 3), true);
        check(new Reshape(3, 2), Shape.of(6), true);
    }
}
