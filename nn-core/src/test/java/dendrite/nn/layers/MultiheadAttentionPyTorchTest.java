package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link MultiheadAttention} computes what PyTorch's {@code nn.MultiheadAttention(8, 2, batch_first=True)}
 * computes for self-attention with the same weights, on every backend: the output, dL/dx and every
 * parameter's gradient (by PyTorch's names) for a loss {@code sum(out * g)} with a fixed g, within 1e-5
 * relative of PyTorch in float64. With biases and without, with a causal {@code attn_mask}, and with a
 * {@code key_padding_mask} for the all-zero steps of a padded batch (sequences of 5, 3 and 2 steps),
 * alone and under the causal mask. Then what PyTorch leaves undefined (NaN): a query that sees no key.
 */
class MultiheadAttentionPyTorchTest {
    private static final int BATCH = 3;
    private static final int STEPS = 5;
    private static final int EMBED = 8;
    private static final int HEADS = 2;
    private static final int[] LENGTHS = {5, 3, 2};
    /** PyTorch's results by case and weights. */
    private static final Map<String, Map<String, double[]>> TORCH = new java.util.concurrent.ConcurrentHashMap<>();

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    /** Random steps; with {@code padded}, each sample's steps past its length are zeros. */
    private static float[] input(boolean padded) {
        float[] x = values(3, BATCH * STEPS * EMBED, 1.5f);
        if (padded) {
            for (int b = 0; b < BATCH; b++) {
                Arrays.fill(x, (b * STEPS + LENGTHS[b]) * EMBED, (b + 1) * STEPS * EMBED, 0f);
            }
        }
        return x;
    }

    @OnEveryBackend
    void asPyTorchsSelfAttention(String backend) throws Exception {
        compare(backend, true, false, false);
    }

    @OnEveryBackend
    void asPyTorchsSelfAttentionWithoutBiases(String backend) throws Exception {
        compare(backend, false, false, false);
    }

    @OnEveryBackend
    void asPyTorchsSelfAttentionWithACausalMask(String backend) throws Exception {
        compare(backend, true, true, false);
    }

    @OnEveryBackend
    void asPyTorchsSelfAttentionWithAKeyPaddingMask(String backend) throws Exception {
        compare(backend, true, false, true);
        compare(backend, true, true, true);
    }

    private static void compare(String backend, boolean bias, boolean causal, boolean padded) throws Exception {
        Backend be = EveryBackend.get(backend);
        MultiheadAttention layer = new MultiheadAttention(EMBED, HEADS, bias, causal, padded);
        layer.build(be, Shape.of(STEPS, EMBED), 11);
        Map<String, float[]> weights = new LinkedHashMap<>();
        int k = 0;
        for (Parameter p : layer.parameters()) {
            // The biases start at zero: give them values, so their place in the sums shows.
            if (p.name().endsWith("bias")) {
                p.value().copyFrom(values(20 + k, p.shape().size(), 0.5f));
            }
            weights.put(p.name(), p.value().toArray());
            k++;
        }
        float[] x = input(padded);
        float[] g = values(5, x.length, 1f);
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, BATCH, STEPS, EMBED); Tensor dOut = be.tensor(g, BATCH, STEPS, EMBED)) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }
        }
        // The weights are the same on every backend (seeded counter-based draws): PyTorch runs once per case.
        StringBuilder key = new StringBuilder(bias + " " + causal + " " + padded);
        weights.values().forEach(w -> key.append(Arrays.toString(w)));
        Map<String, double[]> theirs = TORCH.get(key.toString());
        if (theirs == null) {
            theirs = torch(bias, causal, padded, x, g, weights);
            TORCH.put(key.toString(), theirs);
        }
        assertEquals(theirs.keySet(), mine.keySet(), "the same results, parameters by PyTorch's names, in its order");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            assertEquals(expected.length, actual.length, name + ": sizes");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " " + layer
                        + " " + name + "[" + i + "]\n expected " + Arrays.toString(expected) + "\n actual   "
                        + Arrays.toString(actual));
            }
        }
    }

    private static Map<String, double[]> torch(boolean bias, boolean causal, boolean padded, float[] x, float[] g,
            Map<String, float[]> weights) throws Exception {
        StringBuilder assign = new StringBuilder();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(Locale.ROOT, "    params['%s'].copy_(torch.tensor([%s]).reshape(params['%s'].shape))%n",
                    w.getKey(), PyTorch.list(w.getValue()), w.getKey()));
        }
        String code = String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = torch.nn.MultiheadAttention(%d, %d, dropout=0.0, bias=%s, batch_first=True)
                params = dict(m.named_parameters())
                with torch.no_grad():
                %s
                x = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                padding = (x == 0).all(dim=-1) if %s else None
                causal = torch.triu(torch.ones(%d, %d, dtype=torch.bool), diagonal=1) if %s else None
                y, _ = m(x, x, x, key_padding_mask=padding, need_weights=False, attn_mask=causal)
                (y * torch.tensor([%s]).reshape(y.shape)).sum().backward()
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                show('out', y)
                show('dx', x.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                """, EMBED, HEADS, py(bias), assign, PyTorch.list(x), BATCH, STEPS, EMBED, py(padded), STEPS, STEPS, py(causal),
                PyTorch.list(g));
        return PyTorch.namedValues(code);
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }


    /**
     * A query that sees no key, which PyTorch's {@code -inf} mask turns into NaN: here its attention
     * weights are zeros, so its output is {@code out_proj.bias} exactly and no gradient flows through it.
     * Sample 1 is all padding (every query sees nothing); in sample 0, padded at its start under the
     * causal mask, the first two queries see nothing and the later ones only the real steps.
     */
    @OnEveryBackend
    void aQueryThatSeesNoKeyGetsZeroWeightsNotNaN(String backend) {
        Backend be = EveryBackend.get(backend);
        MultiheadAttention layer = new MultiheadAttention(EMBED, HEADS, true, true, true);
        layer.build(be, Shape.of(STEPS, EMBED), 11);
        float[] outBias = values(30, EMBED, 0.5f);
        layer.parameters().get(3).value().copyFrom(outBias);
        layer.parameters().get(1).value().copyFrom(values(31, 3 * EMBED, 0.5f));
        float[] x = values(3, 2 * STEPS * EMBED, 1.5f);
        Arrays.fill(x, 0, 2 * EMBED, 0f);                              // sample 0: steps 0 and 1 are padding
        Arrays.fill(x, STEPS * EMBED, 2 * STEPS * EMBED, 0f);          // sample 1: all padding
        try (Tensor xs = be.tensor(x, 2, STEPS, EMBED); Tensor dOut = be.tensor(values(5, x.length, 1f), 2, STEPS,
                EMBED)) {
            float[] y = layer.forward(xs, true).toArray();
            float[] dx = layer.backward(dOut).toArray();
            for (int step = 0; step < 2 * STEPS; step++) {
                float[] row = Arrays.copyOfRange(y, step * EMBED, (step + 1) * EMBED);
                boolean seesNothing = step < 2 || step >= STEPS;
                if (seesNothing) {
                    assertArrayEquals(outBias, row, backend + ": step " + step + " sees no key: its output is out_proj.bias");
                } else {
                    assertTrue(!Arrays.equals(outBias, row), backend + ": step " + step + " sees real keys");
                }
            }
            for (float v : dx) {
                assertTrue(Float.isFinite(v), backend + ": dx is finite");
            }
            for (int i = STEPS * EMBED; i < 2 * STEPS * EMBED; i++) {
                assertEquals(0.0, dx[i], 0.0, backend + ": no gradient reaches a sample that is all padding");
            }
            for (Parameter p : layer.parameters()) {
                for (float v : p.grad().toArray()) {
                    assertTrue(Float.isFinite(v), backend + ": " + p.name() + "'s gradient is finite");
                }
            }
        }
    }
}
