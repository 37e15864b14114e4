package dendrite.nn.diag;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.losses.BinaryCrossEntropy;
import dendrite.nn.losses.BinaryCrossEntropyWithLogits;
import dendrite.nn.losses.Huber;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.losses.MeanAbsoluteError;
import dendrite.nn.losses.MeanSquaredError;
import dendrite.nn.losses.Reduction;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every loss's gradient agrees with finite differences of its value, on every backend. */
class LossGradientTest {
    private final GradientChecker checker = new GradientChecker();

    private void check(Loss loss, Tensor pred, Tensor target) {
        GradientChecker.Report r = checker.checkLoss(loss, pred, target);
        assertTrue(r.passed(2e-3), pred.backend().name() + ", " + loss.name() + ": " + r);
    }

    @OnEveryBackend
    void regressionLosses(String backend) {
        Backend be = EveryBackend.get(backend);
        // Predictions and targets differ by at least 0.2 everywhere, away from MAE's and Huber's kinks.
        Tensor p = be.tensor(new float[] {0.9f, -1.2f, 0.3f, 2.0f, -0.4f, 0.7f}, 3, 2);
        Tensor y = be.tensor(new float[] {0.2f, 0.5f, -0.6f, 0.1f, 0.4f, -0.3f}, 3, 2);
        check(new MeanSquaredError(), p, y);
        check(new MeanAbsoluteError(), p, y);
        check(new Huber(1.2), p, y);   // |d| = 0.7, 0.8, 0.9, 1.0 (quadratic) and 1.7, 1.9 (linear)
    }

    @OnEveryBackend
    void binaryCrossEntropyOnProbabilities(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor prob = be.tensor(new float[] {0.2f, 0.7f, 0.55f, 0.9f}, 4, 1);
        Tensor t = be.tensor(new float[] {0, 1, 1, 0}, 4);
        check(new BinaryCrossEntropy(), prob, t);
    }

    @OnEveryBackend
    void binaryCrossEntropyWithLogits(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor z = be.tensor(new float[] {-2f, 0.5f, 3f, -0.3f}, 4, 1);
        Tensor t = be.tensor(new float[] {0, 1, 1, 1}, 4, 1);
        check(new BinaryCrossEntropyWithLogits(), z, t);
    }

    @OnEveryBackend
    void softmaxCrossEntropyWithLabelsOneHotAndSmoothing(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor z = be.tensor(new float[] {1f, -0.5f, 0.2f, 0.3f, 2f, -1f}, 2, 3);
        Tensor labels = be.tensor(new float[] {2, 1}, 2);
        Tensor oneHot = be.tensor(new float[] {0, 0, 1, 0, 1, 0}, 2, 3);
        check(new SoftmaxCrossEntropy(), z, labels);
        check(new SoftmaxCrossEntropy(), z, oneHot);
        check(new SoftmaxCrossEntropy(0.1), z, labels);
    }

    @OnEveryBackend
    void nllWithWeightsAndAnIgnoredRow(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor x = be.tensor(new float[] {-1.2f, -0.4f, -2.3f, -0.9f, -1.7f, -0.8f, -3f, -0.1f, -2.2f}, 3, 3);
        Tensor labels = be.tensor(new float[] {2, -100, 1}, 3);
        check(Losses.nll(), x, be.tensor(new float[] {2, 0, 1}, 3));
        check(Losses.nll(new float[] {0.5f, 2f, 3f}, -100), x, labels);
    }

    @OnEveryBackend
    void klDivergenceOfProbabilitiesAndOfLogTargets(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor x = be.tensor(new float[] {-1.2f, -0.4f, -2.3f, -0.9f, -1.7f, -0.8f}, 2, 3);
        check(Losses.klDiv(), x, be.tensor(new float[] {0.2f, 0.8f, 0f, 0.5f, 0.25f, 0.25f}, 2, 3));
        check(Losses.klDiv(Reduction.MEAN, true), x, be.tensor(new float[] {-1f, -0.5f, -3f, -2f, -0.2f, -1.1f}, 2, 3));
    }

    @OnEveryBackend
    void poissonOfLogRatesAndOfRates(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor y = be.tensor(new float[] {0f, 1f, 3f, 2f, 7f, 0.5f}, 2, 3);
        check(Losses.poissonNll(true, true, 1e-8), be.tensor(new float[] {-0.5f, 0.2f, 1.1f, 0.8f, 1.9f, -1f}, 2, 3), y);
        check(Losses.poissonNll(false, false, 1e-8), be.tensor(new float[] {0.6f, 1.2f, 2.5f, 1.8f, 6f, 0.9f}, 2, 3), y);
    }

    @OnEveryBackend
    void sigmoidFocal(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor z = be.tensor(new float[] {-2f, 0.5f, 3f, -0.3f, 1.4f, -1.1f}, 2, 3);
        Tensor y = be.tensor(new float[] {0, 1, 1, 1, 0, 0.3f}, 2, 3);
        check(Losses.sigmoidFocal(), z, y);
        check(Losses.sigmoidFocal(-1, 1.5), z, y);
        check(Losses.sigmoidFocal(0.25, 2), z, be.tensor(new float[] {2, 0}, 2));     // class indices
    }

    @OnEveryBackend
    void smoothL1AwayFromItsKinks(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor p = be.tensor(new float[] {0.9f, -1.2f, 0.3f, 2.0f, -0.4f, 0.7f}, 3, 2);
        Tensor y = be.tensor(new float[] {0.2f, 0.5f, -0.6f, 0.1f, 0.4f, -0.3f}, 3, 2);
        check(Losses.smoothL1(1.2), p, y);
        check(Losses.smoothL1(0.5), p, y);
    }
}
