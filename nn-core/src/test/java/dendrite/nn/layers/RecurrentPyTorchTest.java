package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.CounterRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The recurrent layers compute what PyTorch's {@code nn.RNN}, {@code nn.GRU} and {@code nn.LSTM}
 * ({@code batch_first=True}) compute with the same weights: the output, dL/dx and every parameter's
 * gradient for a loss {@code sum(out * g)} with a fixed g, on every backend. Sizes are small and
 * awkward (batch 3, 7 steps, 5 features, 6 hidden units) so a mixed-up gate order, a transposed
 * weight or a missed time step shows.
 */
class RecurrentPyTorchTest {
    private static final int BATCH = 3;
    private static final int STEPS = 7;
    private static final int FEATURES = 5;
    private static final int HIDDEN = 6;

    private record Result(float[] out, float[] dx, Map<String, float[]> grads) {
    }

    static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    private static Result dendrite(Backend be, Layer layer, float[] x, float[] g, Map<String, float[]> weights) {
        Shape in = Shape.of(STEPS, FEATURES);
        layer.build(be, in, 11);
        for (Parameter p : layer.parameters()) {
            weights.put(p.name(), p.value().toArray());
        }
        Tensor xs = be.tensor(x, BATCH, STEPS, FEATURES);
        Tensor out = layer.forward(xs, true);
        float[] outValues = out.toArray();
        int[] dims = out.shape().dims();
        Tensor dOut = be.tensor(g, dims);
        float[] dx = layer.backward(dOut).toArray();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            grads.put(p.name(), p.grad().toArray());
        }
        return new Result(outValues, dx, grads);
    }

    private static Result torch(String module, boolean sequences, float[] x, float[] g, Map<String, float[]> weights)
            throws Exception {
        return torch(module, sequences, x, g, weights, null);
    }

    /** With {@code lengths}, the batch goes through PyTorch as a packed sequence of those lengths. */
    private static Result torch(String module, boolean sequences, float[] x, float[] g, Map<String, float[]> weights,
            int[] lengths) throws Exception {
        StringBuilder assign = new StringBuilder();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(Locale.ROOT, "    m.%s.copy_(torch.tensor([%s]).reshape(m.%s.shape))%n", w.getKey(),
                    list(w.getValue()), w.getKey()));
        }
        String code = String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = %s
                with torch.no_grad():
                %s
                x = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                lengths = %s
                if lengths is None:
                    y, state = m(x)
                else:
                    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
                    p, state = m(packed)
                    y, _ = torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True, total_length=%d)
                h = state[0] if isinstance(state, tuple) else state
                last = torch.cat([h[-2], h[-1]], dim=1) if m.bidirectional else h[-1]
                if not %s:
                    y = last
                g = torch.tensor([%s]).reshape(y.shape)
                (y * g).sum().backward()
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                show('out', y)
                show('dx', x.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                """, module, assign, list(x), BATCH, STEPS, FEATURES,
                lengths == null ? "None" : Arrays.toString(lengths), STEPS, sequences ? "True" : "False", list(g));
        Map<String, float[]> lines = new LinkedHashMap<>();
        for (String line : PyTorch.runCode(code).strip().split("\\n")) {
            String[] parts = line.trim().split(" ");
            float[] v = new float[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                v[i - 1] = (float) Double.parseDouble(parts[i]);
            }
            lines.put(parts[0], v);
        }
        Map<String, float[]> grads = new LinkedHashMap<>(lines);
        grads.remove("out");
        grads.remove("dx");
        return new Result(lines.get("out"), lines.get("dx"), grads);
    }

    static String list(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f);
        }
        return sb.toString();
    }

    /** Output, dx and every parameter's gradient as PyTorch's (and, when asked, the same parameter names). */
    private static void sameAsPyTorch(String what, Result theirs, Result mine, boolean sameNames) {
        same(what + " output", theirs.out(), mine.out());
        same(what + " dx", theirs.dx(), mine.dx());
        if (sameNames) {
            assertEquals(theirs.grads().keySet(), mine.grads().keySet(), what + ": parameter names");
        }
        for (String name : theirs.grads().keySet()) {
            same(what + " d" + name, theirs.grads().get(name), mine.grads().get(name));
        }
    }

    static void same(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": sizes");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5 * Math.max(1, Math.abs(expected[i])), what + ", value " + i
                    + "\n expected " + Arrays.toString(expected) + "\n actual   " + Arrays.toString(actual));
        }
    }

    private static void compare(String backend, Supplier<Recurrent> make, String module) throws Exception {
        Backend be = EveryBackend.get(backend);
        for (boolean sequences : new boolean[] {true, false}) {
            Recurrent layer = make.get();
            if (layer.returnSequences() != sequences) {
                layer = sequences ? withSequences(layer) : layer;
            }
            float[] x = values(3, BATCH * STEPS * FEATURES, 1.5f);
            float[] g = values(5, BATCH * (sequences ? STEPS : 1) * HIDDEN, 1f);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Result mine = dendrite(be, layer, x, g, weights);
            Result theirs = torch(module, sequences, x, g, weights);
            String what = backend + " " + layer;
            sameAsPyTorch(what, theirs, mine, true);
        }
    }

    private static Recurrent withSequences(Recurrent layer) {
        return switch (layer) {
            case LSTM l -> new LSTM(FEATURES, HIDDEN, true);
            case GRU gr -> new GRU(FEATURES, HIDDEN, true);
            case SimpleRNN r -> new SimpleRNN(FEATURES, HIDDEN, true,
                    "relu".equals(r.config().get("nonlinearity")) ? Activation.RELU : Activation.TANH);
            default -> throw new AssertionError(layer);
        };
    }

    /**
     * Sequences of 7, 4 and 2 steps padded with zeros to 7: with {@code maskZeroSteps()} each layer
     * gives what PyTorch gives the packed sequence (zero outputs at padding, the last real step's
     * state as the last output, no gradient from padding), returning every step or the last.
     */
    @OnEveryBackend
    void paddedBatchesAsPyTorchsPackedSequences(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        int[] lengths = {7, 4, 2};
        float[] x = values(3, BATCH * STEPS * FEATURES, 1.5f);
        for (int b = 0; b < BATCH; b++) {
            for (int t = lengths[b]; t < STEPS; t++) {
                java.util.Arrays.fill(x, (b * STEPS + t) * FEATURES, (b * STEPS + t + 1) * FEATURES, 0f);
            }
        }
        Map<String, Supplier<Recurrent>> layers = new LinkedHashMap<>();
        for (boolean sequences : new boolean[] {true, false}) {
            layers.put("torch.nn.LSTM(" + FEATURES + ", " + HIDDEN + ", batch_first=True)/" + sequences,
                    () -> new LSTM(FEATURES, HIDDEN, sequences).maskZeroSteps());
            layers.put("torch.nn.GRU(" + FEATURES + ", " + HIDDEN + ", batch_first=True)/" + sequences,
                    () -> new GRU(FEATURES, HIDDEN, sequences).maskZeroSteps());
            layers.put("torch.nn.RNN(" + FEATURES + ", " + HIDDEN + ", batch_first=True)/" + sequences,
                    () -> new SimpleRNN(FEATURES, HIDDEN, sequences, Activation.TANH).maskZeroSteps());
        }
        for (Map.Entry<String, Supplier<Recurrent>> e : layers.entrySet()) {
            String[] parts = e.getKey().split("/");
            boolean sequences = Boolean.parseBoolean(parts[1]);
            Recurrent layer = e.getValue().get();
            float[] g = values(5, BATCH * (sequences ? STEPS : 1) * HIDDEN, 1f);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Result mine = dendrite(be, layer, x, g, weights);
            Result theirs = torch(parts[0], sequences, x, g, weights, lengths);
            String what = backend + " padded " + layer;
            sameAsPyTorch(what, theirs, mine, false);
        }
    }

    /**
     * Both directions, PyTorch's {@code bidirectional=True}: every step's two states side by side, or
     * h_n's two; on a full batch and on a padded one (where the reverse direction starts at each
     * sample's last real step).
     */
    @OnEveryBackend
    void bidirectionalLayersAsPyTorchsBidirectional(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] full = values(3, BATCH * STEPS * FEATURES, 1.5f);
        float[] padded = full.clone();
        int[] lengths = {7, 4, 2};
        for (int b = 0; b < BATCH; b++) {
            java.util.Arrays.fill(padded, (b * STEPS + lengths[b]) * FEATURES, (b + 1) * STEPS * FEATURES, 0f);
        }
        for (boolean pad : new boolean[] {false, true}) {
            for (boolean sequences : new boolean[] {true, false}) {
                for (String cell : new String[] {"LSTM", "GRU"}) {
                    Recurrent inner = cell.equals("LSTM") ? new LSTM(FEATURES, HIDDEN, sequences)
                            : new GRU(FEATURES, HIDDEN, sequences);
                    Bidirectional layer = new Bidirectional(pad ? inner.maskZeroSteps() : inner);
                    float[] g = values(5, BATCH * (sequences ? STEPS : 1) * 2 * HIDDEN, 1f);
                    float[] x = pad ? padded : full;
                    Map<String, float[]> weights = new LinkedHashMap<>();
                    Result mine = dendrite(be, layer, x, g, weights);
                    Result theirs = torch("torch.nn." + cell + "(" + FEATURES + ", " + HIDDEN
                            + ", batch_first=True, bidirectional=True)", sequences, x, g, weights, pad ? lengths : null);
                    String what = backend + (pad ? " padded " : " ") + layer + (sequences ? " sequences" : " last");
                    sameAsPyTorch(what, theirs, mine, true);
                }
            }
        }
    }

    /**
     * PyTorch's {@code num_layers=2} (also bidirectional, also padded) as one layer: its state dict's
     * names (weight_ih_l1, ..._reverse), outputs and gradients.
     */
    @OnEveryBackend
    void twoLayerStacksAsPyTorchsNumLayers(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = values(3, BATCH * STEPS * FEATURES, 1.5f);
        int[] lengths = {7, 4, 2};
        for (int b = 0; b < BATCH; b++) {
            java.util.Arrays.fill(x, (b * STEPS + lengths[b]) * FEATURES, (b + 1) * STEPS * FEATURES, 0f);
        }
        String[][] cases = {{"lstm", "LSTM", "false", "true"}, {"gru", "GRU", "true", "false"}, {"lstm", "LSTM", "true", "true"}};
        for (String[] c : cases) {
            boolean bi = Boolean.parseBoolean(c[2]);
            boolean sequences = Boolean.parseBoolean(c[3]);
            RecurrentStack layer = new RecurrentStack(c[0], FEATURES, HIDDEN, 2, bi, sequences, true);
            float[] g = values(5, BATCH * (sequences ? STEPS : 1) * (bi ? 2 : 1) * HIDDEN, 1f);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Result mine = dendrite(be, layer, x, g, weights);
            Result theirs = torch("torch.nn." + c[1] + "(" + FEATURES + ", " + HIDDEN + ", num_layers=2, batch_first=True"
                    + (bi ? ", bidirectional=True" : "") + ")", sequences, x, g, weights, lengths);
            String what = backend + " " + layer;
            sameAsPyTorch(what, theirs, mine, true);
        }
    }

    @OnEveryBackend
    void lstm(String backend) throws Exception {
        compare(backend, () -> new LSTM(FEATURES, HIDDEN, false),
                "torch.nn.LSTM(" + FEATURES + ", " + HIDDEN + ", batch_first=True)");
    }

    @OnEveryBackend
    void gru(String backend) throws Exception {
        compare(backend, () -> new GRU(FEATURES, HIDDEN, false),
                "torch.nn.GRU(" + FEATURES + ", " + HIDDEN + ", batch_first=True)");
    }

    @OnEveryBackend
    void tanhRnn(String backend) throws Exception {
        compare(backend, () -> new SimpleRNN(FEATURES, HIDDEN, false, Activation.TANH),
                "torch.nn.RNN(" + FEATURES + ", " + HIDDEN + ", batch_first=True)");
    }

    @OnEveryBackend
    void reluRnn(String backend) throws Exception {
        compare(backend, () -> new SimpleRNN(FEATURES, HIDDEN, false, Activation.RELU),
                "torch.nn.RNN(" + FEATURES + ", " + HIDDEN + ", nonlinearity='relu', batch_first=True)");
    }
}
