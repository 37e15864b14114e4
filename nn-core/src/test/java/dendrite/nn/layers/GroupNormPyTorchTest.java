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
 * {@link GroupNorm} computes what PyTorch's {@code nn.GroupNorm} computes with the same weight and bias,
 * on every backend: the output, dL/dx and both parameters' gradients for a loss {@code sum(out * g)}
 * with a fixed g, within 1e-5 relative of PyTorch in float64. Images {@code [6, 3, 5]} in 3 groups
 * (each group two channels of 15 values, one group of each sample near 10 with a spread of about 1,
 * where a one-pass variance would lose digits), with and without the affine; sequences {@code [4, 7]}
 * in one group (a layer normalization of the whole sample) and in four (an instance normalization).
 */
class GroupNormPyTorchTest {
    private static final int BATCH = 3;

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    @OnEveryBackend
    void imagesInThreeGroupsWithWeightAndBias(String backend) throws Exception {
        compare(backend, new GroupNorm(3, 6, 1e-5, true), Shape.of(6, 3, 5));
    }

    @OnEveryBackend
    void imagesInThreeGroupsWithoutAffine(String backend) throws Exception {
        compare(backend, new GroupNorm(3, -1, 1e-5, false), Shape.of(6, 3, 5));
    }

    @OnEveryBackend
    void sequencesInOneGroupAndInOnePerChannel(String backend) throws Exception {
        compare(backend, new GroupNorm(1), Shape.of(4, 7));
        compare(backend, new GroupNorm(4), Shape.of(4, 7));
    }

    private static void compare(String backend, GroupNorm layer, Shape sample) throws Exception {
        Backend be = EveryBackend.get(backend);
        int channels = sample.dim(0);
        int perSample = sample.size();
        float[] x = values(3, BATCH * perSample, 2f);
        int perGroup = perSample / layer.groups();
        for (int s = 0; s < BATCH; s++) {
            for (int j = 0; j < perGroup; j++) {
                x[s * perSample + (s % layer.groups()) * perGroup + j] += 10;
            }
        }
        float[] g = values(5, x.length, 1f);
        layer.build(be, sample, 1);
        Map<String, float[]> weights = new LinkedHashMap<>();
        if (!layer.parameters().isEmpty()) {
            weights.put("weight", values(7, channels, 1.5f));
            weights.put("bias", values(8, channels, 1f));
            layer.parameters().get(0).value().copyFrom(weights.get("weight"));
            layer.parameters().get(1).value().copyFrom(weights.get("bias"));
        }
        int[] dims = new int[sample.rank() + 1];
        dims[0] = BATCH;
        System.arraycopy(sample.dims(), 0, dims, 1, sample.rank());
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, dims); Tensor dOut = be.tensor(g, dims)) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }
        }
        String shape = Arrays.toString(dims).replace("[", "").replace("]", "");
        String module = String.format(Locale.ROOT, "torch.nn.GroupNorm(%d, %d, eps=1e-5, affine=%s)", layer.groups(),
                channels, layer.parameters().isEmpty() ? "False" : "True");
        Map<String, double[]> theirs = PyTorch.moduleGradients(module, shape, x, g, weights);
        assertEquals(theirs.keySet(), mine.keySet(), "the same results, parameters by PyTorch's names");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " "
                        + layer + " on " + sample + ": " + name + "[" + i + "]");
            }
        }
    }
}
