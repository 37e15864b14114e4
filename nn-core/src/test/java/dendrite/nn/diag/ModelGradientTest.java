package dendrite.nn.diag;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole model's analytic gradients agree with finite differences of its loss, on every backend. */
class ModelGradientTest {
    /**
     * Looser than a single layer's 2e-3: the loss of a whole model is a long float32 computation
     * (batch statistics over three rows, then tanh, a gemm and a log-softmax) whose rounding each
     * backend does in its own order (FMA, tree reductions). Measured on this model at eps 1e-2, the
     * input's worst error is 1.7e-3 on scalar and 2.2e-3 on vector and OpenCL; a wrong gradient
     * term gives errors of order 1e-1 and more.
     */
    private static final double TOLERANCE = 5e-3;

    @OnEveryBackend
    void wholeModelWithBatchNormTanhAndCrossEntropy(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = Sequential.builder(4).dense(5).batchNorm().tanh().dense(3).build(be, 3);
        Tensor x = be.tensor(new float[] {0.5f, -1f, 0.3f, 0.8f, -0.2f, 0.1f, 1.2f, -0.7f, 0.9f, 0.4f, -0.3f, 0.2f},
                3, 4);
        Tensor labels = be.tensor(new float[] {0, 2, 1}, 3);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x,
                labels, true);
        assertEquals(java.util.List.of("input", "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                java.util.List.copyOf(r.maxRelativeError().keySet()));
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }
}
