package dendrite.nn.graph;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Blocks#transformerEncoder} computes what PyTorch's {@code nn.TransformerEncoderLayer(8, 2,
 * dim_feedforward=12, dropout=0, batch_first=True)} computes with the same weights, on every backend:
 * the output, dL/dx and every parameter's gradient by PyTorch's names, for a loss {@code sum(out * g)},
 * within 1e-5 relative of PyTorch in float64. Post-norm with ReLU (PyTorch's defaults), pre-norm with
 * GELU, and post-norm under a causal mask. Every weight, the layer norms' included, is random, so two
 * parameters swapped by name would show.
 */
class TransformerEncoderPyTorchTest {
    private static final int BATCH = 3;
    private static final int STEPS = 5;
    private static final int EMBED = 8;
    private static final int HEADS = 2;
    private static final int FF = 12;

    private static float[] values(long seed, int n, float scale, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    @OnEveryBackend
    void postNormWithReluAsPyTorchsDefault(String backend) throws Exception {
        compare(backend, false, false, false);
    }

    @OnEveryBackend
    void preNormWithGelu(String backend) throws Exception {
        compare(backend, true, true, false);
    }

    @OnEveryBackend
    void postNormUnderACausalMask(String backend) throws Exception {
        compare(backend, false, false, true);
    }

    private static void compare(String backend, boolean normFirst, boolean gelu, boolean causal) throws Exception {
        Backend be = EveryBackend.get(backend);
        Graph layer = Blocks.transformerEncoder(EMBED, HEADS, FF, 0.0, gelu, normFirst, causal);
        layer.build(be, Shape.of(STEPS, EMBED), 5);
        Map<String, float[]> weights = new LinkedHashMap<>();
        int k = 0;
        for (Parameter p : layer.parameters()) {
            boolean normWeight = p.name().startsWith("norm") && p.name().endsWith("weight");
            p.value().copyFrom(values(40 + k++, p.shape().size(), normWeight ? 0.3f : 0.4f, normWeight ? 1f : 0f));
            weights.put(p.name(), p.value().toArray());
        }
        float[] x = values(3, BATCH * STEPS * EMBED, 1.5f, 0f);
        float[] g = values(5, x.length, 1f, 0f);
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, BATCH, STEPS, EMBED); Tensor dOut = be.tensor(g, BATCH, STEPS, EMBED)) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }
        }
        Map<String, double[]> theirs = torch(normFirst, gelu, causal, x, g, weights);
        assertEquals(new TreeSet<>(theirs.keySet()), new TreeSet<>(mine.keySet()), "parameters by PyTorch's names");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            assertEquals(expected.length, actual.length, name + ": sizes");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " " + name
                        + "[" + i + "] (normFirst " + normFirst + ", gelu " + gelu + ", causal " + causal + ")");
            }
        }
    }

    private static Map<String, double[]> torch(boolean normFirst, boolean gelu, boolean causal, float[] x, float[] g,
            Map<String, float[]> weights) throws Exception {
        StringBuilder assign = new StringBuilder();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(Locale.ROOT, "    params['%s'].copy_(torch.tensor([%s]).reshape(params['%s'].shape))%n",
                    w.getKey(), PyTorch.list(w.getValue()), w.getKey()));
        }
        String code = String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = torch.nn.TransformerEncoderLayer(%d, %d, dim_feedforward=%d, dropout=0.0, activation='%s',
                                                     batch_first=True, norm_first=%s)
                m.train()
                params = dict(m.named_parameters())
                with torch.no_grad():
                %s
                x = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                mask = torch.triu(torch.ones(%d, %d, dtype=torch.bool), diagonal=1) if %s else None
                y = m(x, src_mask=mask)
                (y * torch.tensor([%s]).reshape(y.shape)).sum().backward()
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                show('out', y)
                show('dx', x.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                """, EMBED, HEADS, FF, gelu ? "gelu" : "relu", normFirst ? "True" : "False", assign, PyTorch.list(x), BATCH,
                STEPS, EMBED, STEPS, STEPS, causal ? "True" : "False", PyTorch.list(g));
        return PyTorch.namedValues(code);
    }

}
