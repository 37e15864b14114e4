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
 * {@link PReLU} computes what PyTorch's {@code nn.PReLU} computes with the same slopes, on every backend:
 * the output, dL/dx and dL/dweight for a loss {@code sum(out * g)} with a fixed g, within 1e-5 relative
 * of PyTorch in float64. A slope per channel on images {@code [4, 5, 3]} and on {@code [5, 7]} sequences
 * (channels first), one slope on flat samples of 13; the slopes differ in sign and size, and some
 * inputs are exactly 0, where PyTorch passes the slope's share of the gradient.
 */
class PReLUPyTorchTest {
    private static final int BATCH = 3;

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    @OnEveryBackend
    void aSlopePerChannelOfImages(String backend) throws Exception {
        compare(backend, 4, Shape.of(4, 5, 3));
    }

    @OnEveryBackend
    void aSlopePerChannelOfSequences(String backend) throws Exception {
        compare(backend, 5, Shape.of(5, 7));
    }

    @OnEveryBackend
    void oneSlopeForEveryInput(String backend) throws Exception {
        compare(backend, 1, Shape.of(13));
    }

    private static void compare(String backend, int slopes, Shape sample) throws Exception {
        Backend be = EveryBackend.get(backend);
        PReLU layer = new PReLU(slopes, 0.25);
        float[] x = values(3, BATCH * sample.size(), 2f);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = 0f;
        }
        float[] g = values(5, x.length, 1f);
        float[] w = values(7, slopes, 1.5f);
        layer.build(be, sample, 1);
        layer.parameters().get(0).value().copyFrom(w);
        int[] dims = new int[sample.rank() + 1];
        dims[0] = BATCH;
        System.arraycopy(sample.dims(), 0, dims, 1, sample.rank());
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, dims); Tensor dOut = be.tensor(g, dims)) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            mine.put("weight", layer.parameters().get(0).grad().toArray());
        }
        String shape = Arrays.toString(dims).replace("[", "").replace("]", "");
        Map<String, double[]> theirs = PyTorch.moduleGradients(String.format(Locale.ROOT, "torch.nn.PReLU(%d)", slopes),
                shape, x, g, Map.of("weight", w));
        assertEquals(theirs.keySet(), mine.keySet(), "the same results, the parameter by PyTorch's name");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            assertEquals(expected.length, actual.length, name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " "
                        + layer + " on " + sample + ": " + name + "[" + i + "]");
            }
        }
    }
}
