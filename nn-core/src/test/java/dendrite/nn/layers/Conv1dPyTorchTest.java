package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * {@link Conv1d}, {@link MaxPool1d} and {@link AvgPool1d} compute what PyTorch's {@code nn.Conv1d},
 * {@code nn.MaxPool1d} and {@code nn.AvgPool1d} compute with the same arguments and weights, on every
 * backend: the output, dL/dx and the parameters' gradients (by PyTorch's names and shapes) for a loss
 * {@code sum(out * g)} with a fixed g, within 1e-5 relative of PyTorch in float64. The sequences have an
 * odd length, 13, so strided windows leave a remainder at the end as PyTorch's do.
 */
class Conv1dPyTorchTest {
    private static final int BATCH = 3;
    private static final int LENGTH = 13;

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    @OnEveryBackend
    void conv1dWithStridePaddingDilationAndGroups(String backend) throws Exception {
        compare(backend, new Conv1d(4, 6, 3, 2, 1, false, 2, 2, true, null), 4,
                "torch.nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2, bias=True)");
        compare(backend, new Conv1d(4, 6, 4, 3, 2, false, 2, 2, true, null), 4,
                "torch.nn.Conv1d(4, 6, 4, stride=3, padding=2, dilation=2, groups=2)");
    }

    @OnEveryBackend
    void conv1dWithSamePaddingAndNoBias(String backend) throws Exception {
        compare(backend, new Conv1d(3, 5, 5, 1, 0, true, 1, 1, false, null), 3,
                "torch.nn.Conv1d(3, 5, 5, padding='same', bias=False)");
    }

    @OnEveryBackend
    void maxPool1dWithStrideAndPadding(String backend) throws Exception {
        compare(backend, new MaxPool1d(3, 2, 1), 4, "torch.nn.MaxPool1d(3, stride=2, padding=1)");
        compare(backend, new MaxPool1d(2), 4, "torch.nn.MaxPool1d(2)");
    }

    @OnEveryBackend
    void avgPool1dWithStrideAndPadding(String backend) throws Exception {
        compare(backend, new AvgPool1d(3, 2, 1), 4, "torch.nn.AvgPool1d(3, stride=2, padding=1)");
        compare(backend, new AvgPool1d(4), 4, "torch.nn.AvgPool1d(4)");
    }

    /** Runs {@code layer} and {@code module} on the same {@code [BATCH, channels, LENGTH]} input and weights. */
    private static void compare(String backend, Layer layer, int channels, String module) throws Exception {
        Backend be = EveryBackend.get(backend);
        Shape in = Shape.of(channels, LENGTH);
        layer.build(be, in, 1);
        Shape out = layer.outputShape(in);
        float[] x = values(3, BATCH * in.size(), 2f);
        float[] g = values(5, BATCH * out.size(), 1f);
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, float[]> mine = new LinkedHashMap<>();
        long seed = 7;
        for (Parameter p : layer.parameters()) {
            float[] w = values(seed++, p.shape().size(), 0.5f);
            p.value().copyFrom(w);
            weights.put(p.name(), w);
            mine.put("shape." + p.name(), toFloats(p.shape().dims()));
        }
        try (Tensor xs = be.tensor(x, BATCH, channels, LENGTH); Tensor dOut = be.tensor(g, BATCH, out.dim(0), out.dim(1))) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
            for (Parameter p : layer.parameters()) {
                mine.put(p.name(), p.grad().toArray());
            }
        }
        Map<String, double[]> theirs = torch(module, x, channels, g, weights);
        double[] torchOutShape = theirs.remove("shape.out");
        assertEquals(theirs.keySet(), mine.keySet(), "the same results, parameters by PyTorch's names");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            String at = backend + " " + layer + " vs " + module + ": " + name;
            assertEquals(expected.length, actual.length, at + ": sizes");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), at + "[" + i
                        + "]\n expected " + Arrays.toString(expected) + "\n actual   " + Arrays.toString(actual));
            }
        }
        assertArrayEquals(toFloats(new int[] {BATCH, out.dim(0), out.dim(1)}), toFloats(torchOutShape),
                "PyTorch's output shape");
    }

    private static float[] toFloats(int[] dims) {
        float[] f = new float[dims.length];
        for (int i = 0; i < dims.length; i++) {
            f[i] = dims[i];
        }
        return f;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static Map<String, double[]> torch(String module, float[] x, int channels, float[] g,
            Map<String, float[]> weights) throws Exception {
        StringBuilder assign = new StringBuilder();
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(Locale.ROOT, "    m.%s.copy_(torch.tensor([%s]).reshape(m.%1$s.shape))%n",
                    w.getKey(), PyTorch.list(w.getValue())));
        }
        String code = String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = %s
                with torch.no_grad():
                    pass
                %s
                x = torch.tensor([%s]).reshape(%d, %d, %d).requires_grad_(True)
                y = m(x)
                (y * torch.tensor([%s]).reshape(y.shape)).sum().backward()
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                for name, p in m.named_parameters():
                    print('shape.' + name, ' '.join(str(d) for d in p.shape))
                show('out', y)
                show('dx', x.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                print('shape.out', ' '.join(str(d) for d in y.shape))
                """, module, assign, PyTorch.list(x), BATCH, channels, LENGTH, PyTorch.list(g));
        return PyTorch.namedValues(code);
    }
}
