package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NAdam, RAdam, Adamax and Adadelta outside PyTorch's trajectories ({@link MoreOptimizersPyTorchTest}):
 * their hyperparameters refused out of range with a message naming them, their names, configs and
 * state names, and a run resumed from a checkpoint file that ends bit for bit where an uninterrupted
 * run ends.
 */
class MoreOptimizersTest {
    private static final float[] X = {0.5f, -1f, 0.3f, 0.8f, -0.2f, 0.1f, 1.2f, -0.7f, 0.9f, 0.4f, -0.3f, 0.2f};
    private static final int STEPS = 10;
    private static final int SPLIT = 3;

    @TempDir
    Path dir;

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** Hyperparameters out of PyTorch's ranges (or Dendrite's: a positive rate and eps) are refused, naming them. */
    @Test
    void constructorsRefuseHyperparametersOutOfRange() {
        assertRefused("NAdam: learning rate must be positive, got 0.0", () -> new NAdam(0));
        assertRefused("NAdam: beta1 must be in [0, 1), got 1.0", () -> new NAdam(0.1, 1.0, 0.999, 1e-8));
        assertRefused("NAdam: beta2 must be in [0, 1), got -0.1", () -> new NAdam(0.1, 0.9, -0.1, 1e-8));
        assertRefused("NAdam: eps must be positive and finite (as a float), got 0.0",
                () -> new NAdam(0.1, 0.9, 0.999, 0));
        assertRefused("NAdam: momentum_decay must be at least 0 and finite, got -0.004",
                () -> new NAdam(0.1, 0.9, 0.999, 1e-8, -0.004));
        assertRefused("NAdam: momentum_decay must be at least 0 and finite, got NaN",
                () -> new NAdam(0.1, 0.9, 0.999, 1e-8, Double.NaN));
        assertRefused("NAdam: momentum_decay must be at least 0 and finite, got Infinity",
                () -> new NAdam(0.1, 0.9, 0.999, 1e-8, Double.POSITIVE_INFINITY));
        assertRefused("RAdam: learning rate must be positive, got NaN", () -> new RAdam(Double.NaN));
        assertRefused("RAdam: beta2 must be in [0, 1), got 1.0", () -> new RAdam(0.1, 0.9, 1.0, 1e-8));
        assertRefused("RAdam: eps must be positive and finite (as a float), got 1.0E-50",
                () -> new RAdam(0.1, 0.9, 0.999, 1e-50));
        assertRefused("Adamax: beta1 must be in [0, 1), got NaN", () -> new Adamax(0.1, Double.NaN, 0.999, 1e-8));
        assertRefused("Adamax: eps must be positive and finite (as a float), got -1.0E-8",
                () -> new Adamax(0.1, 0.9, 0.999, -1e-8));
        assertRefused("Adadelta: learning rate must be positive, got -1.0", () -> new Adadelta(-1));
        assertRefused("Adadelta: rho must be in [0, 1], got 1.5", () -> new Adadelta(1, 1.5, 1e-6));
        assertRefused("Adadelta: rho must be in [0, 1], got -0.1", () -> new Adadelta(1, -0.1, 1e-6));
        assertRefused("Adadelta: rho must be in [0, 1], got NaN", () -> new Adadelta(1, Double.NaN, 1e-6));
        assertRefused("Adadelta: eps must be positive and finite (as a float), got Infinity",
                () -> new Adadelta(1, 0.9, Double.POSITIVE_INFINITY));
        for (Optimizer o : List.of(new NAdam(0.1), new RAdam(0.1), new Adamax(0.1), new Adadelta(1))) {
            assertRefused(o.getClass().getSimpleName() + ": weight decay must be 0 (off) or a positive number,"
                    + " got -0.1", () -> o.weightDecay(-0.1));
        }
        new NAdam(0.1, 0, 0, 1e-8, 0);   // the ends that are in range, as in PyTorch
        new Adadelta(1, 0, 1e-6);
        new Adadelta(1, 1, 1e-6);
    }

    /** Names as {@code --optimizer} and checkpoints spell them; configs with PyTorch's defaults and names. */
    @Test
    void namesAndConfigsCarryPyTorchsDefaults() {
        Map<String, Object> nadam = new NAdam(2e-3).config();
        assertEquals("nadam", nadam.get("name"));
        assertEquals(2e-3, nadam.get("learning_rate"));
        assertEquals(List.of(0.9, 0.999, 1e-8, 4e-3),
                List.of(nadam.get("beta1"), nadam.get("beta2"), nadam.get("eps"), nadam.get("momentum_decay")));
        Map<String, Object> radam = new RAdam(1e-3).weightDecay(0.01).config();
        assertEquals("radam", radam.get("name"));
        assertEquals(List.of(0.9, 0.999, 1e-8, (double) 0.01f),
                List.of(radam.get("beta1"), radam.get("beta2"), radam.get("eps"), radam.get("weight_decay")));
        Map<String, Object> adamax = new Adamax(2e-3, 0.8, 0.95, 1e-6).config();
        assertEquals("adamax", adamax.get("name"));
        assertEquals(List.of(0.8, 0.95, 1e-6), List.of(adamax.get("beta1"), adamax.get("beta2"), adamax.get("eps")));
        Map<String, Object> adadelta = new Adadelta(1.0).config();
        assertEquals("adadelta", adadelta.get("name"));
        assertEquals(List.of(1.0, 0.9, 1e-6),
                List.of(adadelta.get("learning_rate"), adadelta.get("rho"), adadelta.get("eps")));
    }

    private static Sequential model(Backend be, long seed) {
        return Sequential.builder(4).dense(5).tanh().dense(3).build(be, seed);
    }

    private static void step(Sequential model, Optimizer opt, Backend be) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        try (Tensor x = be.tensor(X, 3, 4); Tensor y = be.tensor(new float[] {0, 1, 2}, 3)) {
            loss.forward(model.forward(x, true), y);
            model.backward(loss.backward());
        }
        opt.step(model.namedParameters());
    }

    /**
     * {@code STEPS} steps straight, and {@code SPLIT} steps, a checkpoint file, a new model (other weights) and
     * a new optimizer restored from it, and the rest: the same bits in every parameter and state tensor.
     * Ten steps with a split at 3 take RAdam over its switch (step 6) after the resume, and NAdam's
     * mu_product, not in the file, must be what the uninterrupted run has at step 4 on.
     */
    private void resumesBitForBit(String backend, Supplier<Optimizer> make) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential straight = model(be, 6);
        Optimizer whole = make.get();
        for (int i = 0; i < STEPS; i++) {
            step(straight, whole, be);
        }

        Sequential first = model(be, 6);
        Optimizer before = make.get();
        for (int i = 0; i < SPLIT; i++) {
            step(first, before, be);
        }
        Path file = dir.resolve(before.name() + ".safetensors");
        CheckpointFile.save(file, first, before, 1, Map.of());
        Sequential resumed = model(be, 99);
        Optimizer after = make.get();
        CheckpointFile.restore(file, resumed, after);
        assertEquals(SPLIT, after.stepCount());
        for (int i = SPLIT; i < STEPS; i++) {
            step(resumed, after, be);
        }

        String what = whole.name() + " on " + backend;
        assertEquals(whole.parameterSteps(), after.parameterSteps(), what);
        straight.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toArray(),
                resumed.namedParameters().get(name).value().toArray(), what + ": " + name));
        assertEquals(whole.state().keySet(), after.state().keySet(), what);
        whole.state().forEach((name, t) -> assertArrayEquals(t.toArray(), after.state().get(name).toArray(),
                what + ": " + name));
    }

    @OnEveryBackend
    void nadamResumesBitForBit(String backend) throws Exception {
        resumesBitForBit(backend, () -> new NAdam(0.05, 0.9, 0.999, 1e-8, 0.1).weightDecay(0.01));
    }

    @OnEveryBackend
    void radamResumesBitForBitOverItsSwitch(String backend) throws Exception {
        resumesBitForBit(backend, () -> new RAdam(0.05).weightDecay(0.01));
    }

    @OnEveryBackend
    void adamaxResumesBitForBit(String backend) throws Exception {
        resumesBitForBit(backend, () -> new Adamax(0.05).weightDecay(0.01));
    }

    @OnEveryBackend
    void adadeltaResumesBitForBit(String backend) throws Exception {
        resumesBitForBit(backend, () -> new Adadelta(1.0).weightDecay(0.01));
    }
}
