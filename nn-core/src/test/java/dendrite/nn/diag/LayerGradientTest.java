package dendrite.nn.diag;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ConvTranspose2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Dropout;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.GlobalAvgPool2d;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LeakyReLU;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Reshape;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.Softmax;
import dendrite.nn.layers.Tanh;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.op.CounterRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in layer's backward agrees with finite differences of its forward, on every backend. */
class LayerGradientTest {
    private static final double TOLERANCE = 2e-3;
    private final GradientChecker checker = new GradientChecker();

    private void check(String backend, Layer layer, Shape in, boolean training) {
        Backend be = EveryBackend.get(backend);
        GradientChecker.Report r = checker.checkLayer(layer, be, in, 5, training);
        assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + ": " + r);
    }

    /** Inputs at least 0.1 away from 0, so no finite difference straddles a kink. */
    private void checkAwayFromKink(String backend, Layer layer, Shape in) {
        Backend be = EveryBackend.get(backend);
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            float u = CounterRandom.uniform(7, i);
            x[i] = (u < 0.5f ? -1 : 1) * (0.1f + 2 * Math.abs(u - 0.5f) * 2);
        }
        GradientChecker.Report r = checker.checkLayer(layer, be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + ": " + r);
    }

    @OnEveryBackend
    void dense(String backend) {
        check(backend, new Dense(4, 3), Shape.of(4), true);
    }

    @OnEveryBackend
    void denseWithoutBias(String backend) {
        check(backend, new Dense(4, 3, false, null), Shape.of(4), true);
    }

    @OnEveryBackend
    void denseWithFusedSigmoidAndTanh(String backend) {
        check(backend, new Dense(4, 3, true, null, dendrite.tensor.op.Activation.SIGMOID), Shape.of(4), true);
        check(backend, new Dense(4, 3, true, null, dendrite.tensor.op.Activation.TANH), Shape.of(4), true);
    }

    @OnEveryBackend
    void relu(String backend) {
        checkAwayFromKink(backend, new ReLU(), Shape.of(6));
    }

    @OnEveryBackend
    void leakyRelu(String backend) {
        checkAwayFromKink(backend, new LeakyReLU(0.1f), Shape.of(6));
    }

    @OnEveryBackend
    void sigmoid(String backend) {
        check(backend, new Sigmoid(), Shape.of(6), true);
    }

    @OnEveryBackend
    void tanh(String backend) {
        check(backend, new Tanh(), Shape.of(6), true);
    }

    /** Inputs uniform in [-6, 6]: the GELUs' tails as well as their bend near 0. */
    private void checkOverWideRange(String backend, Layer layer, Shape in) {
        Backend be = EveryBackend.get(backend);
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = -6 + 12 * CounterRandom.uniform(11, i);
        }
        GradientChecker.Report r = checker.checkLayer(layer, be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + " over [-6, 6]: " + r);
    }

    @OnEveryBackend
    void gelu(String backend) {
        check(backend, new GELU(), Shape.of(6), true);
        checkOverWideRange(backend, new GELU(), Shape.of(6));
    }

    @OnEveryBackend
    void geluTanh(String backend) {
        check(backend, new GELU(GELU.Approximate.TANH), Shape.of(6), true);
        checkOverWideRange(backend, new GELU(GELU.Approximate.TANH), Shape.of(6));
    }

    @OnEveryBackend
    void softmax(String backend) {
        check(backend, new Softmax(), Shape.of(5), true);
    }

    @OnEveryBackend
    void batchNormInTraining(String backend) {
        check(backend, new BatchNorm1d(), Shape.of(3), true);
    }

    @OnEveryBackend
    void batchNormInEvaluation(String backend) {
        check(backend, new BatchNorm1d(), Shape.of(3), false);
    }

    @OnEveryBackend
    void dropoutInEvaluation(String backend) {
        check(backend, new Dropout(0.5), Shape.of(4), false);
    }

    @OnEveryBackend
    void flattenAndReshape(String backend) {
        check(backend, new Flatten(), Shape.of(2, 3), true);
        check(backend, new Reshape(3, 2), Shape.of(6), true);
    }

    @OnEveryBackend
    void conv2d(String backend) {
        check(backend, new Conv2d(2, 3), Shape.of(1, 5, 4), true);
    }

    @OnEveryBackend
    void conv2dWithStridePaddingDilationAndNoBias(String backend) {
        check(backend, new Conv2d(3, 2, 3, 2, 2, 1, 1, 0, false, 2, 1, 1, false, null), Shape.of(3, 7, 5), true);
    }

    @OnEveryBackend
    void conv2dGroupedAndDepthwiseAndSame(String backend) {
        check(backend, new Conv2d(4, 6, 3, 3, 1, 1, 0, 0, true, 1, 1, 2, true, null), Shape.of(4, 3, 4), true);
        check(backend, new Conv2d(3, 3, 3, 3, 2, 2, 1, 1, false, 1, 1, 3, true, null), Shape.of(3, 6, 6), true);
    }

    /** Inputs spread apart, so no finite difference changes which input wins a window. */
    @OnEveryBackend
    void maxPool2d(String backend) {
        Backend be = EveryBackend.get(backend);
        Shape in = Shape.of(2, 5, 5);
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (((i * 37) % x.length) * 0.05 - 2);   // a permutation: all distinct, 0.05 apart
        }
        GradientChecker.Report r = checker.checkLayer(new MaxPool2d(2, 2, 2, 2, 1, 1), be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
        r = checker.checkLayer(new MaxPool2d(3, 2, 1, 2, 0, 1), be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }

    @OnEveryBackend
    void convTranspose2dWithStridePaddingAndGroups(String backend) {
        check(backend, new ConvTranspose2d(2, 3, 2), Shape.of(1, 3, 2), true);
        check(backend, new ConvTranspose2d(4, 2, 3, 2, 1, 1, 1, 2, true, null), Shape.of(4, 2, 3), true);
    }

    @OnEveryBackend
    void batchNorm2dInTrainingAndEvaluation(String backend) {
        check(backend, new BatchNorm2d(), Shape.of(3, 2, 3), true);
        check(backend, new BatchNorm2d(), Shape.of(3, 2, 3), false);
    }

    @OnEveryBackend
    void avgPool2dAndGlobalAvgPool2d(String backend) {
        check(backend, new AvgPool2d(3, 3, 2, 2, 1, 1), Shape.of(2, 5, 6), true);
        check(backend, new GlobalAvgPool2d(), Shape.of(3, 4, 5), true);
    }
}
