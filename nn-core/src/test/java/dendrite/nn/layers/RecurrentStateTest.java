package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.CounterRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Initial and final states and stateful layers, without PyTorch (RecurrentStatePyTorchTest compares
 * them with it): the initial state's gradient agrees with finite differences, two consecutive
 * stateful batches compute what one run over their concatenation computes, and the misuse of both is
 * refused with a message naming the layer and the sizes.
 */
class RecurrentStateTest {
    private static final int BATCH = 3;
    private static final int STEPS = 4;
    private static final int FEATURES = 2;
    private static final int HIDDEN = 5;

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /**
     * {@code L = sum(out * r)} with h0 (and c0) given: dL/dh0 and dL/dc0 from backward agree with central
     * differences of the forward, for an LSTM returning every step, a GRU returning the last and a tanh
     * RNN, on padded and full batches.
     */
    @OnEveryBackend
    void theInitialStateGradientAgreesWithFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        Recurrent[] layers = {new LSTM(FEATURES, HIDDEN, true), new GRU(FEATURES, HIDDEN, false).maskZeroSteps(),
                new SimpleRNN(FEATURES, HIDDEN, true, Activation.TANH)};
        for (Recurrent layer : layers) {
            layer.build(be, Shape.of(STEPS, FEATURES), 7);
            float[] xv = values(1, BATCH * STEPS * FEATURES, 1f);
            java.util.Arrays.fill(xv, (2 * STEPS + 2) * FEATURES, 3 * STEPS * FEATURES, 0f);   // sample 2: 2 real steps
            Tensor x = be.tensor(xv, BATCH, STEPS, FEATURES);
            int states = layer.stateNames().size();
            float[][] s0 = new float[states][];
            for (int k = 0; k < states; k++) {
                s0[k] = values(10 + k, BATCH * HIDDEN, 0.8f);
            }
            int outSize = layer.outputShape(Shape.of(STEPS, FEATURES)).size() * BATCH;
            float[] r = values(20, outSize, 1f);
            java.util.function.Supplier<Double> loss = () -> {
                Tensor[] given = new Tensor[states];
                for (int k = 0; k < states; k++) {
                    given[k] = be.tensor(s0[k], 1, BATCH, HIDDEN);
                }
                layer.setInitialState(given);
                return dot(layer.forward(x, true).toArray(), r);
            };
            loss.get();
            int[] outDims = layer.returnSequences() ? new int[] {BATCH, STEPS, HIDDEN} : new int[] {BATCH, HIDDEN};
            layer.backward(be.tensor(r, outDims));
            List<Tensor> grads = layer.initialStateGradient();
            for (int k = 0; k < states; k++) {
                assertEquals(List.of(1, BATCH, HIDDEN), java.util.Arrays.stream(grads.get(k).shape().dims()).boxed().toList());
                float[] analytic = grads.get(k).toArray();
                for (int i = 0; i < s0[k].length; i++) {
                    float keep = s0[k][i];
                    float eps = 1e-2f;
                    s0[k][i] = keep + eps;
                    double up = loss.get();
                    s0[k][i] = keep - eps;
                    double down = loss.get();
                    s0[k][i] = keep;
                    double numeric = (up - down) / (2 * eps);
                    double err = Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric) + Math.abs(analytic[i]), 1e-2);
                    assertTrue(err < 2e-3, backend + " " + layer + " d" + layer.stateNames().get(k) + "0[" + i + "]: analytic "
                            + analytic[i] + ", numeric " + numeric);
                }
            }
        }
    }

    /**
     * A stateful LSTM given a sequence of 8 steps as two batches of 4 outputs what an LSTM with the same
     * weights outputs for all 8 at once, and ends in the same state; after {@code resetState()} it starts
     * from zero again. GRU and stacked layers too.
     */
    @OnEveryBackend
    void twoStatefulBatchesComputeWhatOneRunOverBothComputes(String backend) {
        Backend be = EveryBackend.get(backend);
        List<java.util.function.Supplier<RecurrentLayer>> makers = List.of(
                () -> new LSTM(FEATURES, HIDDEN, true), () -> new GRU(FEATURES, HIDDEN, true),
                () -> new RecurrentStack("lstm", FEATURES, HIDDEN, 2, false, true, false));
        for (java.util.function.Supplier<RecurrentLayer> make : makers) {
            RecurrentLayer whole = make.get();
            whole.build(be, Shape.of(2 * STEPS, FEATURES), 3);
            RecurrentLayer halves = make.get();
            if (halves instanceof Recurrent r) {
                r.stateful();
            } else {
                ((RecurrentStack) halves).stateful();
            }
            halves.build(be, Shape.of(STEPS, FEATURES), 99);
            for (int i = 0; i < whole.parameters().size(); i++) {
                halves.parameters().get(i).value().copyFrom(whole.parameters().get(i).value().toArray());
            }
            float[] xv = values(4, BATCH * 2 * STEPS * FEATURES, 1.5f);
            float[] all = whole.forward(be.tensor(xv, BATCH, 2 * STEPS, FEATURES), true).toArray();
            float[] first = halves.forward(be.tensor(half(xv, 0), BATCH, STEPS, FEATURES), true).toArray();
            float[] second = halves.forward(be.tensor(half(xv, 1), BATCH, STEPS, FEATURES), true).toArray();
            close(backend + " " + whole + " first half", half(all, 0, HIDDEN), first);
            close(backend + " " + whole + " second half", half(all, 1, HIDDEN), second);
            for (int k = 0; k < whole.stateNames().size(); k++) {
                close(backend + " " + whole + " final " + whole.stateNames().get(k), whole.finalState().get(k).toArray(),
                        halves.finalState().get(k).toArray());
            }

            halves.resetState();
            float[] fresh = halves.forward(be.tensor(half(xv, 1), BATCH, STEPS, FEATURES), true).toArray();
            assertFalse(maxDifference(fresh, second) < 1e-3, whole + ": after resetState the second half starts from zero");
            halves.resetState();
            close(backend + " " + whole + " from zero", half(all, 0, HIDDEN),
                    halves.forward(be.tensor(half(xv, 0), BATCH, STEPS, FEATURES), true).toArray());
        }
    }

    /** The steps of each sample's first or second half, of a [BATCH, 2 * STEPS, width] array. */
    private static float[] half(float[] v, int which, int width) {
        float[] out = new float[BATCH * STEPS * width];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(v, (b * 2 * STEPS + which * STEPS) * width, out, b * STEPS * width, STEPS * width);
        }
        return out;
    }

    private static float[] half(float[] x, int which) {
        return half(x, which, FEATURES);
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": sizes");
        assertTrue(maxDifference(expected, actual) < 1e-5, what + ": largest difference " + maxDifference(expected, actual));
    }

    /** A stateful layer's rows continue each other, so another batch size is refused until resetState(). */
    @Test
    void aStatefulLayerRefusesAnotherBatchSizeUntilReset() {
        Backend be = TestBackend.get();
        LSTM lstm = (LSTM) new LSTM(FEATURES, HIDDEN, false).stateful();
        lstm.build(be, Shape.of(STEPS, FEATURES), 1);
        lstm.forward(be.full(0.5f, 3, STEPS, FEATURES), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(be.full(0.5f, 5, STEPS, FEATURES), false));
        assertTrue(e.getMessage().startsWith("lstm: a batch of 5 samples, but its initial state is for 3 (carried from the"
                + " previous batch"), e.getMessage());
        assertTrue(e.getMessage().contains("resetState()"), e.getMessage());
        lstm.resetState();
        assertEquals(5, lstm.forward(be.full(0.5f, 5, STEPS, FEATURES), false).dim(0));

        RecurrentStack stack = new RecurrentStack("gru", FEATURES, HIDDEN, 2, false, false, false).stateful();
        stack.build(be, Shape.of(STEPS, FEATURES), 1);
        stack.forward(be.full(0.5f, 3, STEPS, FEATURES), true);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> stack.forward(be.full(0.5f, 2, STEPS, FEATURES), true));
        assertTrue(s.getMessage().startsWith("gru: a batch of 2 samples, but its initial state is for 3"), s.getMessage());
    }

    /** A given state holds until replaced or cleared, and its batch size with it. */
    @Test
    void aGivenStateHoldsForEveryForwardUntilCleared() {
        Backend be = TestBackend.get();
        GRU gru = new GRU(FEATURES, HIDDEN, false);
        gru.build(be, Shape.of(STEPS, FEATURES), 1);
        Tensor x = be.tensor(values(2, 2 * STEPS * FEATURES, 1f), 2, STEPS, FEATURES);
        float[] fromZero = gru.forward(x, false).toArray();
        gru.setInitialState(be.full(0.7f, 2, HIDDEN));
        float[] given = gru.forward(x, false).toArray();
        assertFalse(maxDifference(fromZero, given) < 1e-3, "the given state changes the output");
        assertEquals(0.0, maxDifference(given, gru.forward(x, false).toArray()), "and holds for the next forward");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gru.forward(be.full(0.5f, 4, STEPS, FEATURES), false));
        assertTrue(e.getMessage().contains("(given by setInitialState)"), e.getMessage());
        gru.setInitialState();
        assertEquals(0.0, maxDifference(fromZero, gru.forward(x, false).toArray()), "cleared: from zero again");
    }

    /** Wrong shapes, counts and times are refused naming the layer and both shapes. */
    @Test
    void badInitialStatesAreRefusedWithBothShapes() {
        Backend be = TestBackend.get();
        LSTM lstm = new LSTM(FEATURES, HIDDEN, false);
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> lstm.setInitialState(be.zeros(2, HIDDEN)));
        assertTrue(early.getMessage().startsWith("lstm: build the layer"), early.getMessage());
        assertThrows(IllegalStateException.class, lstm::finalState);
        lstm.build(be, Shape.of(STEPS, FEATURES), 1);
        assertThrows(IllegalStateException.class, lstm::initialStateGradient);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInitialState(be.zeros(2, HIDDEN)));
        assertEquals("lstm: an initial state is 2 tensor(s) [h, c], got 1", count.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInitialState(be.zeros(1, 2, HIDDEN), be.zeros(1, 2, HIDDEN + 1)));
        assertEquals("lstm: initial state c0 must be [1, batch, 5] or [batch, 5] (layers * directions, batch, hidden size),"
                + " got [1, 2, 6]", shape.getMessage());
        IllegalArgumentException batches = assertThrows(IllegalArgumentException.class,
                () -> lstm.setInitialState(be.zeros(2, HIDDEN), be.zeros(3, HIDDEN)));
        assertEquals("lstm: initial states h0 [2, 5] and c0 [3, 5] differ in batch size", batches.getMessage());

        Bidirectional bi = new Bidirectional(new GRU(FEATURES, HIDDEN, false));
        bi.build(be, Shape.of(STEPS, FEATURES), 1);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> bi.setInitialState(be.zeros(2, HIDDEN)));
        assertEquals("bidirectional gru: initial state h0 must be [2, batch, 5] (layers * directions, batch, hidden size),"
                + " got [2, 5]", two.getMessage());
        RecurrentStack stack = new RecurrentStack("lstm", FEATURES, HIDDEN, 2, true, false, false);
        stack.build(be, Shape.of(STEPS, FEATURES), 1);
        IllegalArgumentException four = assertThrows(IllegalArgumentException.class,
                () -> stack.setInitialState(be.zeros(2, 3, HIDDEN), be.zeros(2, 3, HIDDEN)));
        assertTrue(four.getMessage().startsWith("lstm stack: initial state h0 must be [4, batch, 5]"), four.getMessage());
    }

    /** {@code stateful} is in the config, so a model file's architecture rebuilds it; both ways it cannot be. */
    @Test
    void statefulIsPartOfTheConfigAndRefusedBothWays() {
        for (Recurrent r : new Recurrent[] {new LSTM(-1, 4, true).stateful(), new GRU(3, 4, false).stateful(),
                new SimpleRNN(-1, 4, false, Activation.RELU).stateful().maskZeroSteps()}) {
            assertEquals(true, r.config().get("stateful"));
            Recurrent back = (Recurrent) LayerRegistry.create(r.type(), r.config());
            assertTrue(back.isStateful(), r + " rebuilt from its config");
            assertEquals(r.config(), back.config());
        }
        assertFalse(new LSTM(4).config().containsKey("stateful"), "absent unless set: old files stay as they were");
        RecurrentStack stack = new RecurrentStack("gru", -1, 4, 3, false, false, false).stateful();
        RecurrentStack stackBack = (RecurrentStack) LayerRegistry.create(stack.type(), stack.config());
        assertTrue(stackBack.isStateful());
        assertEquals(stack.toString(), stackBack.toString());

        IllegalArgumentException bi = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional(new LSTM(4).stateful()));
        assertTrue(bi.getMessage().startsWith("bidirectional: lstm cannot be stateful and run both ways"), bi.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerRegistry.create("bidirectional",
                Map.of("cell", "gru", "hidden_size", 4, "stateful", true)));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentStack("lstm", -1, 4, 2, true, false, false).stateful());
    }
}
