package dendrite.nn.layers;

import static dendrite.nn.layers.RecurrentPyTorchTest.list;
import static dendrite.nn.layers.RecurrentPyTorchTest.same;
import static dendrite.nn.layers.RecurrentPyTorchTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Initial and final states as PyTorch's {@code out, (h_n, c_n) = m(x, (h_0, c_0))}: with the same
 * weights and a given h_0 (c_0), the output, h_n (c_n), dL/dx, dL/dh_0 (dL/dc_0) and every parameter's
 * gradient for {@code L = sum(out * g)}, on every backend; for one layer, both directions and a stack,
 * on full and padded batches. And a stateful layer's second batch as PyTorch's word-language-model
 * computes it after {@code repackage_hidden}: the state carried over, detached.
 */
class RecurrentStatePyTorchTest {
    private static final int BATCH = 3;
    private static final int STEPS = 7;
    private static final int FEATURES = 5;
    private static final int HIDDEN = 6;
    private static final int[] LENGTHS = {7, 4, 2};

    /** Python building the module {@code m} with {@code weights} and the input {@code x} of {@code steps}. */
    private static String setUp(String module, Map<String, float[]> weights, float[] x, int steps) {
        StringBuilder assign = new StringBuilder();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(Locale.ROOT, "    m.%s.copy_(torch.tensor([%s]).reshape(m.%s.shape))%n", w.getKey(),
                    list(w.getValue()), w.getKey()));
        }
        return String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = %s
                with torch.no_grad():
                %s
                x = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                lstm = isinstance(m, torch.nn.LSTM)
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                """, module, assign, list(x), BATCH, steps, FEATURES);
    }

    private static Map<String, float[]> run(String code) throws Exception {
        Map<String, float[]> lines = new LinkedHashMap<>();
        for (String line : PyTorch.runCode(code).strip().split("\\n")) {
            String[] parts = line.trim().split(" ");
            float[] v = new float[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                v[i - 1] = (float) Double.parseDouble(parts[i]);
            }
            lines.put(parts[0], v);
        }
        return lines;
    }

    private static Map<String, float[]> torchWithInitialState(String module, boolean sequences, float[] x, float[] g,
            Map<String, float[]> weights, Map<String, float[]> s0, int slices, boolean padded) throws Exception {
        String code = setUp(module, weights, x, STEPS) + String.format(Locale.ROOT, """
                h0 = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                c0 = torch.tensor([%s]).reshape(h0.shape).requires_grad_(True) if lstm else None
                s0 = (h0, c0) if lstm else h0
                if %s:
                    packed = torch.nn.utils.rnn.pack_padded_sequence(x, %s, batch_first=True, enforce_sorted=False)
                    p, state = m(packed, s0)
                    y, _ = torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True, total_length=%d)
                else:
                    y, state = m(x, s0)
                h = state[0] if lstm else state
                if not %s:
                    y = torch.cat([h[-2], h[-1]], dim=1) if m.bidirectional else h[-1]
                g = torch.tensor([%s]).reshape(y.shape)
                (y * g).sum().backward()
                show('out', y)
                show('dx', x.grad)
                show('h_n', h)
                show('dh0', h0.grad)
                if lstm:
                    show('c_n', state[1])
                    show('dc0', c0.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                """, list(s0.get("h")), slices, BATCH, HIDDEN, list(s0.getOrDefault("c", s0.get("h"))),
                padded ? "True" : "False", Arrays.toString(LENGTHS), STEPS, sequences ? "True" : "False", list(g));
        return run(code);
    }

    /** Dendrite's side of the same: output, dx, final states, initial-state gradients and parameter gradients. */
    private static Map<String, float[]> dendrite(Backend be, RecurrentLayer layer, float[] x, float[] g,
            Map<String, float[]> weights, Map<String, float[]> s0, int slices) {
        layer.build(be, Shape.of(STEPS, FEATURES), 11);
        for (Parameter p : layer.parameters()) {
            weights.put(p.name(), p.value().toArray());
        }
        List<String> names = layer.stateNames();
        Tensor[] given = new Tensor[names.size()];
        for (int k = 0; k < given.length; k++) {
            float[] v = values(30 + k, slices * BATCH * HIDDEN, 0.9f);
            s0.put(names.get(k), v);
            given[k] = slices == 1 && k == 0 ? be.tensor(v, BATCH, HIDDEN) : be.tensor(v, slices, BATCH, HIDDEN);
        }
        layer.setInitialState(given);
        Map<String, float[]> mine = new LinkedHashMap<>();
        Tensor out = layer.forward(be.tensor(x, BATCH, STEPS, FEATURES), true);
        mine.put("out", out.toArray());
        for (int k = 0; k < names.size(); k++) {
            Tensor fin = layer.finalState().get(k);
            assertEquals(List.of(slices, BATCH, HIDDEN), Arrays.stream(fin.shape().dims()).boxed().toList());
            mine.put(names.get(k) + "_n", fin.toArray());
        }
        mine.put("dx", layer.backward(be.tensor(g, out.shape().dims())).toArray());
        for (int k = 0; k < names.size(); k++) {
            mine.put("d" + names.get(k) + "0", layer.initialStateGradient().get(k).toArray());
        }
        for (Parameter p : layer.parameters()) {
            mine.put(p.name(), p.grad().toArray());
        }
        return mine;
    }

    private record Case(String module, boolean sequences, boolean padded, int slices, java.util.function.Supplier<RecurrentLayer> make) {
    }

    /**
     * One layer (LSTM, GRU given h_0 as {@code [batch, hidden]}, tanh RNN), both directions and two-layer stacks,
     * returning every step or the last, on full and padded (packed) batches.
     */
    @OnEveryBackend
    void givenInitialStatesAsPyTorchs(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        String dims = FEATURES + ", " + HIDDEN + ", batch_first=True";
        List<Case> cases = List.of(
                new Case("torch.nn.LSTM(" + dims + ")", true, false, 1, () -> new LSTM(FEATURES, HIDDEN, true)),
                new Case("torch.nn.GRU(" + dims + ")", false, true, 1, () -> new GRU(FEATURES, HIDDEN, false).maskZeroSteps()),
                new Case("torch.nn.RNN(" + dims + ")", false, false, 1,
                        () -> new SimpleRNN(FEATURES, HIDDEN, false, Activation.TANH)),
                new Case("torch.nn.LSTM(" + dims + ", bidirectional=True)", true, true, 2,
                        () -> new Bidirectional(new LSTM(FEATURES, HIDDEN, true).maskZeroSteps())),
                new Case("torch.nn.LSTM(" + dims + ", num_layers=2, bidirectional=True)", false, true, 4,
                        () -> new RecurrentStack("lstm", FEATURES, HIDDEN, 2, true, false, true)),
                new Case("torch.nn.GRU(" + dims + ", num_layers=2)", true, false, 2,
                        () -> new RecurrentStack("gru", FEATURES, HIDDEN, 2, false, true, false)));
        for (Case c : cases) {
            float[] x = values(3, BATCH * STEPS * FEATURES, 1.5f);
            if (c.padded()) {
                for (int b = 0; b < BATCH; b++) {
                    Arrays.fill(x, (b * STEPS + LENGTHS[b]) * FEATURES, (b + 1) * STEPS * FEATURES, 0f);
                }
            }
            int directions = c.module().contains("bidirectional") ? 2 : 1;
            float[] g = values(5, BATCH * (c.sequences() ? STEPS : 1) * directions * HIDDEN, 1f);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Map<String, float[]> s0 = new LinkedHashMap<>();
            RecurrentLayer layer = c.make().get();
            Map<String, float[]> mine = dendrite(be, layer, x, g, weights, s0, c.slices());
            Map<String, float[]> theirs = torchWithInitialState(c.module(), c.sequences(), x, g, weights, s0, c.slices(),
                    c.padded());
            assertEquals(theirs.keySet(), mine.keySet(), layer + ": what both computed");
            for (String name : theirs.keySet()) {
                same(backend + " " + layer + (c.padded() ? " padded " : " ") + name, theirs.get(name), mine.get(name));
            }
        }
    }

    /**
     * A stateful LSTM and GRU given 2 x 7 steps as two batches: the second batch's output is PyTorch's for
     * the whole sequence at those steps, and its gradients (parameters, dx, the carried state's) are
     * PyTorch's after {@code repackage_hidden} (the state detached), which differ from full
     * backpropagation through both batches: backward does not reach the first batch.
     */
    @OnEveryBackend
    void statefulBatchesAsPyTorchsRepackagedHidden(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        for (String cell : new String[] {"LSTM", "GRU"}) {
            Recurrent layer = cell.equals("LSTM") ? new LSTM(FEATURES, HIDDEN, true) : new GRU(FEATURES, HIDDEN, true);
            layer.stateful().build(be, Shape.of(STEPS, FEATURES), 13);
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (Parameter p : layer.parameters()) {
                weights.put(p.name(), p.value().toArray());
            }
            float[] x = values(6, BATCH * 2 * STEPS * FEATURES, 1.5f);
            float[] g1 = values(7, BATCH * STEPS * HIDDEN, 1f);
            float[] g2 = values(8, BATCH * STEPS * HIDDEN, 1f);
            int[] outDims = {BATCH, STEPS, HIDDEN};
            layer.forward(be.tensor(half(x, 0), BATCH, STEPS, FEATURES), true);
            layer.backward(be.tensor(g1, outDims));
            Map<String, float[]> mine = new LinkedHashMap<>();
            mine.put("out", layer.forward(be.tensor(half(x, 1), BATCH, STEPS, FEATURES), true).toArray());
            mine.put("dx", layer.backward(be.tensor(g2, outDims)).toArray());
            List<String> names = layer.stateNames();
            for (int k = 0; k < names.size(); k++) {
                mine.put("d" + names.get(k) + "0", layer.initialStateGradient().get(k).toArray());
            }
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }

            String code = setUp("torch.nn." + cell + "(" + FEATURES + ", " + HIDDEN + ", batch_first=True)", weights, x, 2 * STEPS)
                    + String.format(Locale.ROOT, """
                    T = %d
                    g = torch.tensor([%s]).reshape(%d, T, %d)
                    whole, _ = m(x)
                    (whole[:, T:] * g).sum().backward()
                    show('through_both_weight_hh_l0', m.weight_hh_l0.grad)
                    m.zero_grad()
                    _, s = m(x[:, :T])
                    s = tuple(v.detach().requires_grad_(True) for v in s) if lstm else s.detach().requires_grad_(True)
                    x2 = x[:, T:].detach().clone().requires_grad_(True)
                    y2, _ = m(x2, s)
                    (y2 * g).sum().backward()
                    show('whole', whole[:, T:])
                    show('out', y2)
                    show('dx', x2.grad)
                    show('dh0', s[0].grad if lstm else s.grad)
                    if lstm:
                        show('dc0', s[1].grad)
                    for name, p in m.named_parameters():
                        show(name, p.grad)
                    """, STEPS, list(g2), BATCH, HIDDEN);
            Map<String, float[]> theirs = run(code);
            String what = backend + " stateful " + layer;
            same(what + ": the second batch's output, against one run over both", theirs.get("whole"), mine.get("out"));
            float[] throughBoth = theirs.remove("through_both_weight_hh_l0");
            theirs.remove("whole");
            assertEquals(theirs.keySet(), mine.keySet(), what + ": what both computed");
            for (String name : theirs.keySet()) {
                same(what + " " + name, theirs.get(name), mine.get(name));
            }
            double apart = 0;
            for (int i = 0; i < throughBoth.length; i++) {
                apart = Math.max(apart, Math.abs(throughBoth[i] - mine.get("weight_hh_l0")[i]));
            }
            assertTrue(apart > 1e-2, what + ": full backpropagation through both batches gives another dW_hh (by " + apart
                    + "), so matching the detached one shows backward stopped at the batch's start");
        }
    }

    /** The steps of each sample's first or second half of a [BATCH, 2 * STEPS, FEATURES] input. */
    private static float[] half(float[] x, int which) {
        float[] out = new float[BATCH * STEPS * FEATURES];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(x, (b * 2 * STEPS + which * STEPS) * FEATURES, out, b * STEPS * FEATURES, STEPS * FEATURES);
        }
        return out;
    }
}
