package dendrite.nn.diag;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelGradientTest {
    private final Backend be = TestBackend.get();

    @Test
    void wholeModelWithBatchNormTanhAndCrossEntropy() {
        Sequential model = Sequential.builder(4).dense(5).batchNorm().tanh().dense(3).build(be, 3);
        Tensor x = be.tensor(new float[] {0.5f, -1f, 0.3f, 0.8f, -0.2f, 0.1f, 1.2f, -0.7f, 0.9f, 0.4f, -0.3f, 0.2f},
                3, 4);
        Tensor labels = be.tensor(new float[] {0, 2, 1}, 3);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x,
                labels, true);
        assertEquals(java.util.List.of("input", "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                java.util.List.copyOf(r.maxRelativeError().keySet()));
        assertTrue(r.passed(2e-3), r.toString());
    }
}
