package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.io.ModelFile;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's {@code dropout} between stacked recurrent layers: off (p = 0) it is the stack as before,
 * evaluation never drops, training drops deterministically for a seed and resumably, backward goes
 * through the same masks, and the option is part of the architecture.
 */
class RecurrentStackDropoutTest {
    private static final Shape IN = Shape.of(4, 3);

    @TempDir
    Path dir;

    private static Tensor input(Backend be, int batch) {
        float[] x = new float[batch * IN.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(5, i);
        }
        return be.tensor(x, batch, 4, 3);
    }

    private static RecurrentStack stack(double p) {
        return new RecurrentStack("lstm", -1, 5, 3, false, true, false).dropout(p);
    }

    /** p = 0 draws nothing, saves nothing and computes what the stack without the option computes. */
    @OnEveryBackend
    void zeroDropoutIsTheStackAsBefore(String backend) {
        Backend be = EveryBackend.get(backend);
        RecurrentStack plain = new RecurrentStack("lstm", -1, 5, 3, false, true, false);
        RecurrentStack zero = stack(0);
        plain.build(be, IN, 8);
        zero.build(be, IN, 8);
        Tensor x = input(be, 2);
        assertArrayEquals(plain.forward(x, true).toArray(), zero.forward(x, true).toArray());
        Tensor g = be.full(0.5f, 2, 4, 5);
        assertArrayEquals(plain.backward(g).toArray(), zero.backward(g).toArray());
        assertEquals(Map.of(), zero.randomState());
        assertEquals(plain.config(), zero.config());
    }

    /** Evaluation is the same with or without dropout; training with it differs, the same for the same seed. */
    @OnEveryBackend
    void evaluationIsUnaffectedAndTrainingRepeatsForASeed(String backend) {
        Backend be = EveryBackend.get(backend);
        RecurrentStack none = stack(0);
        RecurrentStack a = stack(0.5);
        RecurrentStack b = stack(0.5);
        none.build(be, IN, 8);
        a.build(be, IN, 8);
        b.build(be, IN, 8);
        Tensor x = input(be, 3);
        float[] eval = none.forward(x, false).toArray();
        assertArrayEquals(eval, a.forward(x, false).toArray(), "evaluation does not drop");
        assertEquals(0L, a.randomState().get("passes"), "and draws nothing");
        float[] trainA = a.forward(x, true).toArray();
        assertFalse(java.util.Arrays.equals(eval, trainA), "training drops");
        assertArrayEquals(trainA, b.forward(x, true).toArray(), "the same masks for the same seed");
        float[] second = a.forward(x, true).toArray();
        assertFalse(java.util.Arrays.equals(trainA, second), "a new mask each pass");
        b.restoreRandomState(Map.of("seed", a.randomState().get("seed"), "passes", 1L));
        assertArrayEquals(second, b.forward(x, true).toArray(), "a restored stream continues the masks");
    }

    /**
     * Backward goes through the masks forward drew: with the random stream rewound before every forward (so
     * each finite difference sees the same masks), the gradients of the input and of every layer's weights
     * agree with finite differences; without rewinding, they do not, since the masks then change.
     */
    @OnEveryBackend
    void gradientsAgreeWithFiniteDifferencesForAFixedMask(String backend) {
        Backend be = EveryBackend.get(backend);
        java.util.function.Supplier<RecurrentStack> small = () -> new RecurrentStack("lstm", -1, 4, 2, false, true, false)
                .dropout(0.4);
        GradientChecker.Report fixed = new GradientChecker().maxPerTensor(12).checkLayer(new FixedMasks(small.get()), be, IN, 2,
                true);
        assertTrue(fixed.passed(2e-3), backend + ": " + fixed);
        GradientChecker.Report moving = new GradientChecker().maxPerTensor(3).checkLayer(small.get(), be, IN, 2, true);
        assertFalse(moving.passed(2e-3), backend + ": masks redrawn each forward cannot agree: " + moving);
    }

    /** Rewinds the stack's random stream before every training forward: every pass draws the same masks. */
    private static final class FixedMasks implements Layer {
        private final RecurrentStack stack;
        private Map<String, Long> start;

        FixedMasks(RecurrentStack stack) {
            this.stack = stack;
        }

        @Override
        public String type() {
            return "fixed_masks";
        }

        @Override
        public Shape outputShape(Shape in) {
            return stack.outputShape(in);
        }

        @Override
        public void build(Backend backend, Shape in, long seed) {
            stack.build(backend, in, seed);
            start = stack.randomState();
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            stack.restoreRandomState(start);
            return stack.forward(x, training);
        }

        @Override
        public Tensor backward(Tensor d) {
            return stack.backward(d);
        }

        @Override
        public List<Parameter> parameters() {
            return stack.parameters();
        }

        @Override
        public void setInputGradientNeeded(boolean needed) {
            stack.setInputGradientNeeded(needed);
        }

        @Override
        public Optional<Map<String, int[]>> stateShapes(Shape in) {
            return stack.stateShapes(in);
        }
    }

    /**
     * With padding skipped, a real step whose every unit dropout dropped is still a real step for the layer
     * above (it takes the first layer's padding), so only padded steps output zero.
     */
    @Test
    void aFullyDroppedRealStepIsNotTakenForPadding() {
        Backend be = TestBackend.get();
        RecurrentStack s = new RecurrentStack("gru", 3, 2, 2, false, true, true).dropout(0.75);
        s.build(be, IN, 3);
        float[] x = input(be, 2).toArray();
        java.util.Arrays.fill(x, 12 + 2 * 3, 24, 0f);            // sample 1: 2 real steps, 2 of padding
        Tensor xs = be.tensor(x, 2, 4, 3);
        int fullyDropped = 0;
        for (int pass = 0; pass < 20; pass++) {
            float[] y = s.forward(xs, true).toArray();
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    boolean real = b == 0 || t < 2;
                    boolean zero = y[(b * 4 + t) * 2] == 0f && y[(b * 4 + t) * 2 + 1] == 0f;
                    assertEquals(!real, zero, "pass " + pass + ", sample " + b + ", step " + t);
                }
            }
            fullyDropped += countZeroRows(s, be);
        }
        assertTrue(fullyDropped > 0, "some real step's input to the second layer was all zeros, so this tested something");
    }

    /** How many real steps' rows of the first layer's output the last pass's mask dropped whole, redrawn as StackDropout draws it. */
    private static int countZeroRows(RecurrentStack s, Backend be) {
        Map<String, Long> now = s.randomState();
        long passSeed = CounterRandom.bits(now.get("seed"), now.get("passes") - 1);
        Tensor mask = be.zeros(2, 4, 2);
        be.bernoulliMask(CounterRandom.bits(passSeed, 0), 0.25f, 4f, mask);
        float[] m = mask.toArray();
        int n = 0;
        for (int r = 0; r < 8; r++) {
            boolean real = r < 4 || r % 4 < 2;
            if (real && m[2 * r] == 0f && m[2 * r + 1] == 0f) {
                n++;
            }
        }
        return n;
    }

    /** {@code dropout} is in the config and the model file; the random stream is saved by the layer's index. */
    @Test
    void dropoutIsPartOfTheArchitecture() throws Exception {
        Backend be = TestBackend.get();
        RecurrentStack s = new RecurrentStack("gru", -1, 4, 2, false, false, true).dropout(0.25);
        assertEquals(0.25, (double) s.config().get("dropout"), 1e-7);
        RecurrentStack back = (RecurrentStack) LayerRegistry.create(s.type(), s.config());
        assertEquals(s.config(), back.config());
        assertEquals("GRU(4, layers 2, dropout 0.25)", back.toString());

        Sequential m = Sequential.builder(4, 3).add(stack(0.3)).add(new Flatten()).dense(2).build(be, 4);
        Path file = dir.resolve("dropout.safetensors");
        ModelFile.save(m, file);
        Sequential loaded = ModelFile.load(file, be);
        assertEquals(0.3, ((RecurrentStack) loaded.layer(0)).dropoutProbability(), 1e-7);
        assertEquals(m.summary(), loaded.summary());
        assertEquals(List.of("0.seed", "0.passes"), List.copyOf(loaded.randomState().keySet()));
        float[] x = input(be, 2).toArray();
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2), "evaluation: the same model");
    }

    @Test
    void badDropoutIsRefused() {
        assertEquals("lstm stack: dropout must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> stack(1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> stack(-0.1));
        assertThrows(IllegalArgumentException.class, () -> stack(Double.NaN));
        assertEquals("gru stack: dropout 0.3 acts between stacked layers, so it needs at least 2 layers, got 1",
                assertThrows(IllegalArgumentException.class,
                        () -> new RecurrentStack("gru", -1, 4, 1, false, false, false).dropout(0.3)).getMessage());
    }
}
