package dendrite.nn.diag;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.layers.AvgPool1d;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv1d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ConvTranspose2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Dropout;
import dendrite.nn.layers.ELU;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.GlobalAvgPool2d;
import dendrite.nn.layers.GroupNorm;
import dendrite.nn.layers.Hardswish;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.LeakyReLU;
import dendrite.nn.layers.MaxPool1d;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.Mish;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Reshape;
import dendrite.nn.layers.SELU;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.SiLU;
import dendrite.nn.layers.Softmax;
import dendrite.nn.layers.Softplus;
import dendrite.nn.layers.Tanh;
import dendrite.nn.layers.Transpose;
import dendrite.nn.Sequential;
import dendrite.nn.losses.MeanSquaredError;
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

    /** Inputs uniform in [-6, 6], those within 0.1 of a kink moved 0.1 away: no difference straddles one. */
    private void checkOverWideRangeAwayFrom(String backend, Layer layer, Shape in, float... kinks) {
        Backend be = EveryBackend.get(backend);
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = -6 + 12 * CounterRandom.uniform(11, i);
            for (float k : kinks) {
                if (Math.abs(x[i] - k) < 0.1f) {
                    x[i] = k + (x[i] < k ? -0.1f : 0.1f);
                }
            }
        }
        GradientChecker.Report r = checker.checkLayer(layer, be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ", " + layer + " over [-6, 6] away from its kinks: " + r);
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
    void groupNorm(String backend) {
        check(backend, new GroupNorm(2), Shape.of(4, 3, 5), true);
        check(backend, new GroupNorm(3, 6, 1e-5, false), Shape.of(6, 7), true);
    }

    @OnEveryBackend
    void transpose(String backend) {
        check(backend, new Transpose(), Shape.of(3, 5), true);
    }

    @OnEveryBackend
    void softplus(String backend) {
        check(backend, new Softplus(), Shape.of(6), true);
        checkOverWideRange(backend, new Softplus(), Shape.of(6));
    }

    @OnEveryBackend
    void silu(String backend) {
        check(backend, new SiLU(), Shape.of(6), true);
        checkOverWideRange(backend, new SiLU(), Shape.of(6));
    }

    /** ELU with alpha 1 is smooth enough at 0 for any input; with another alpha its slope jumps there. */
    @OnEveryBackend
    void elu(String backend) {
        check(backend, new ELU(), Shape.of(6), true);
        checkOverWideRange(backend, new ELU(), Shape.of(6));
        checkAwayFromKink(backend, new ELU(0.5f), Shape.of(6));
    }

    /** SELU's slope jumps at 0, from scale alpha to scale. */
    @OnEveryBackend
    void selu(String backend) {
        checkAwayFromKink(backend, new SELU(), Shape.of(6));
        checkOverWideRangeAwayFrom(backend, new SELU(), Shape.of(6), 0f);
    }

    @OnEveryBackend
    void mish(String backend) {
        check(backend, new Mish(), Shape.of(6), true);
        checkOverWideRange(backend, new Mish(), Shape.of(6));
    }

    /** Hard swish's slope jumps at -3 and at 3. */
    @OnEveryBackend
    void hardswish(String backend) {
        checkAwayFromKink(backend, new Hardswish(), Shape.of(6));
        checkOverWideRangeAwayFrom(backend, new Hardswish(), Shape.of(6), -3f, 3f);
    }

    @OnEveryBackend
    void softmax(String backend) {
        check(backend, new Softmax(), Shape.of(5), true);
    }

    @OnEveryBackend
    void logSoftmax(String backend) {
        check(backend, new dendrite.nn.layers.LogSoftmax(), Shape.of(5), true);
        check(backend, new dendrite.nn.layers.LogSoftmax(), Shape.of(3, 7), true);
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

    /** Stride 2, padding 1, dilation 2 and groups 2 on an odd length; then 'same' padding without a bias. */
    @OnEveryBackend
    void conv1dWithStridePaddingDilationAndGroups(String backend) {
        check(backend, new Conv1d(4, 6, 3, 2, 1, false, 2, 2, true, null), Shape.of(4, 13), true);
        check(backend, new Conv1d(3, 4, 5, 1, 0, true, 1, 1, false, null), Shape.of(3, 9), true);
    }

    /** Max pooling on inputs spread apart (no finite difference changes a window's winner), and average pooling. */
    @OnEveryBackend
    void maxPool1dAndAvgPool1d(String backend) {
        Backend be = EveryBackend.get(backend);
        Shape in = Shape.of(2, 13);
        float[] x = new float[5 * in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (((i * 37) % x.length) * 0.05 - 3);   // a permutation: all distinct, 0.05 apart
        }
        GradientChecker.Report r = checker.checkLayer(new MaxPool1d(3, 2, 1), be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
        r = checker.checkLayer(new MaxPool1d(2), be, in, x, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
        check(backend, new AvgPool1d(3, 2, 1), in, true);
        check(backend, new AvgPool1d(4), in, true);
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

    /**
     * Inputs whose every normalized vector is spread (about 1), on three ranks. The normal draws of
     * {@link #check} give some four-value vectors a tiny variance, where rstd is large and the
     * function bends so sharply that eps 1e-2 differences wander to 5e-3 on every backend alike
     * (measured); here the worst is 6e-4, and a wrong term of the input gradient gives 1e-1.
     */
    @OnEveryBackend
    void layerNormOverTheLastDimensionOfAnyRank(String backend) {
        Backend be = EveryBackend.get(backend);
        Layer[] layers = {new LayerNorm(), new LayerNorm(5, 1e-5, false), new LayerNorm()};
        Shape[] shapes = {Shape.of(6), Shape.of(3, 5), Shape.of(2, 3, 4)};
        for (int c = 0; c < layers.length; c++) {
            float[] x = new float[3 * shapes[c].size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (1.5 * Math.sin(0.9 * i + 0.3)) + 0.3f * CounterRandom.normal(c, i);
            }
            GradientChecker.Report r = checker.checkLayer(layers[c], be, shapes[c], x, c != 2);
            assertTrue(r.passed(TOLERANCE), be.name() + ", " + layers[c] + " on " + shapes[c] + ": " + r);
        }
    }

    /**
     * Weight and bias moved away from where they start (1 and 0), so their part of every gradient
     * counts: a model of one LayerNorm, checked with a mean squared error.
     */
    @OnEveryBackend
    void layerNormWithTrainedWeightAndBias(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = Sequential.builder(3, 5).add(new LayerNorm()).build(be, 3);
        float[] weight = new float[5];
        float[] bias = new float[5];
        for (int i = 0; i < 5; i++) {
            weight[i] = -1.5f + 0.8f * i;
            bias[i] = 0.3f * i - 0.5f;
        }
        model.namedParameters().get("0.weight").value().copyFrom(weight);
        model.namedParameters().get("0.bias").value().copyFrom(bias);
        float[] x = new float[2 * 15];
        float[] y = new float[2 * 15];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 * CounterRandom.normal(21, i) + (i % 15 < 5 ? 4 : 0);
            y[i] = CounterRandom.normal(22, i);
        }
        GradientChecker.Report r = checker.checkModel(model, new MeanSquaredError(), be.tensor(x, 2, 3, 5),
                be.tensor(y, 2, 3, 5), true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }
}
