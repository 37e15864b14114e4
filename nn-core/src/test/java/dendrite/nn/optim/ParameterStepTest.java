package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.layers.Parameter;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each parameter counts its own steps (PyTorch's {@code state['step']}): a layer unfrozen after
 * training began gets Adam's first, fully bias-corrected step, not a step corrected as if it had
 * months of moments behind it, and checkpoints keep the counts.
 */
class ParameterStepTest {
    private static final float[] X = {0.5f, -1f, 0.3f, 0.8f, -0.2f, 0.1f, 1.2f, -0.7f, 0.9f, 0.4f, -0.3f, 0.2f};

    private static void step(Sequential model, Optimizer opt, Backend be) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(model.forward(be.tensor(X, 3, 4), true), be.tensor(new float[] {0, 1, 2}, 3));
        model.backward(loss.backward());
        opt.step(model.namedParameters());
    }

    @Test
    void aParameterUnfrozenLaterTakesAdamsFirstStep(@TempDir Path dir) throws Exception {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(4).dense(5).tanh().dense(3).build(be, 6);
        Adam adam = new Adam(0.01);
        model.freeze("2");
        for (int i = 0; i < 5; i++) {
            step(model, adam, be);
        }
        model.unfreeze("2");
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(model.forward(be.tensor(X, 3, 4), true), be.tensor(new float[] {0, 1, 2}, 3));
        model.backward(loss.backward());
        Parameter w = model.namedParameters().get("2.weight");
        float[] before = w.value().toArray();
        float[] g = w.grad().toArray();
        adam.step(model.namedParameters());
        float[] after = w.value().toArray();
        for (int i = 0; i < g.length; i++) {
            // Adam's first step: m^ = g, v^ = g^2, so the update is lr * g / (|g| + eps).
            double expected = before[i] - 0.01 * g[i] / (Math.abs(g[i]) + 1e-8);
            assertEquals(expected, after[i], 1e-6, "2.weight[" + i + "]");
        }
        assertEquals(Map.of("0.weight", 6L, "0.bias", 6L, "2.weight", 1L, "2.bias", 1L), adam.parameterSteps());
        assertEquals(6, adam.stepCount());

        Path file = dir.resolve("ckpt.safetensors");
        CheckpointFile.save(file, model, adam, 1, Map.of());
        Sequential restored = Sequential.builder(4).dense(5).tanh().dense(3).build(be, 6);
        Adam again = new Adam(0.01);
        CheckpointFile.restore(file, restored, again);
        assertEquals(adam.parameterSteps(), again.parameterSteps());
        Tensor probe = be.tensor(X, 3, 4);
        step(model, adam, be);
        step(restored, again, be);
        assertTrue(java.util.Arrays.equals(model.forward(probe, false).toArray(), restored.forward(probe, false).toArray()),
                "a resumed run continues each parameter's own count");
    }
}
