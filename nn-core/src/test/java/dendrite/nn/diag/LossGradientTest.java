package dendrite.nn.diag;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.losses.BinaryCrossEntropy;
import dendrite.nn.losses.BinaryCrossEntropyWithLogits;
import dendrite.nn.losses.Huber;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.MeanAbsoluteError;
import dendrite.nn.losses.MeanSquaredError;
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
}
