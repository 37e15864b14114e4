package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * {@link LayerNorm} computes what PyTorch's {@code nn.LayerNorm(7)} computes with the same weight and
 * bias, on every backend: the output, dL/dx and both parameters' gradients for a loss
 * {@code sum(out * g)} with a fixed g, within 1e-5 relative of PyTorch in float64. The batch is
 * {@code [4, 3, 7]}, so each sample holds three vectors normalized apart, and every third vector sits
 * near 10 with a spread of about 1 (where a one-pass variance would lose digits).
 */
class LayerNormPyTorchTest {
    private static final int BATCH = 4;
    private static final int STEPS = 3;
    private static final int FEATURES = 7;

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    private static float[] input() {
        float[] x = values(3, BATCH * STEPS * FEATURES, 2f);
        for (int v = 0; v < BATCH * STEPS; v += 3) {
            for (int j = 0; j < FEATURES; j++) {
                x[v * FEATURES + j] += 10;
            }
        }
        return x;
    }

    @OnEveryBackend
    void asPyTorchsLayerNormWithWeightAndBias(String backend) throws Exception {
        compare(backend, true);
    }

    @OnEveryBackend
    void asPyTorchsLayerNormWithoutElementwiseAffine(String backend) throws Exception {
        compare(backend, false);
    }

    private static void compare(String backend, boolean affine) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = input();
        float[] g = values(5, x.length, 1f);
        LayerNorm layer = new LayerNorm(FEATURES, 1e-5, affine);
        layer.build(be, Shape.of(STEPS, FEATURES), 1);
        Map<String, float[]> weights = new LinkedHashMap<>();
        if (affine) {
            weights.put("weight", values(7, FEATURES, 1.5f));
            weights.put("bias", values(8, FEATURES, 1f));
            layer.parameters().get(0).value().copyFrom(weights.get("weight"));
            layer.parameters().get(1).value().copyFrom(weights.get("bias"));
        }
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, BATCH, STEPS, FEATURES); Tensor dOut = be.tensor(g, BATCH, STEPS, FEATURES)) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }
        }
        Map<String, double[]> theirs = torch(affine, x, g, weights);
        assertEquals(theirs.keySet(), mine.keySet(), "the same results, parameters by PyTorch's names");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " "
                        + layer + " " + name + "[" + i + "]\n expected " + Arrays.toString(expected) + "\n actual   "
                        + Arrays.toString(actual));
            }
        }
    }

    private static Map<String, double[]> torch(boolean affine, float[] x, float[] g, Map<String, float[]> weights)
            throws Exception {
        String module = String.format(Locale.ROOT, "torch.nn.LayerNorm(%d, eps=1e-5, elementwise_affine=%s)", FEATURES,
                affine ? "True" : "False");
        return PyTorch.moduleGradients(module, BATCH + ", " + STEPS + ", " + FEATURES, x, g, weights);
    }

}
