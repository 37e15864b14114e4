package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.Map;

/**
 * {@link Hardtanh} and {@link ReLU6} compute what PyTorch's {@code nn.Hardtanh} and {@code nn.ReLU6}
 * compute, on every backend: the output and dL/dx for a loss {@code sum(out * g)} with a fixed g, within
 * 1e-5 relative of PyTorch in float64. Inputs span both bounds and include each bound exactly, where
 * PyTorch's gradient is 0.
 */
class HardtanhPyTorchTest {
    private static final int BATCH = 3;

    @OnEveryBackend
    void hardtanhWithItsDefaults(String backend) throws Exception {
        compare(backend, new Hardtanh(), "torch.nn.Hardtanh()", -1f, 1f);
    }

    @OnEveryBackend
    void hardtanhWithOtherBounds(String backend) throws Exception {
        compare(backend, new Hardtanh(-0.5, 2.25), "torch.nn.Hardtanh(-0.5, 2.25)", -0.5f, 2.25f);
    }

    @OnEveryBackend
    void relu6(String backend) throws Exception {
        compare(backend, new ReLU6(), "torch.nn.ReLU6()", 0f, 6f);
    }

    private static void compare(String backend, Layer layer, String module, float lo, float hi) throws Exception {
        Backend be = EveryBackend.get(backend);
        Shape sample = Shape.of(4, 7);
        float[] x = new float[BATCH * sample.size()];
        float span = hi - lo;
        for (int i = 0; i < x.length; i++) {
            x[i] = lo - span / 2 + 2 * span * CounterRandom.uniform(3, i);    // below, between and above the bounds
        }
        for (int i = 0; i + 4 < x.length; i += 9) {
            x[i] = lo;
            x[i + 4] = hi;
        }
        float[] g = new float[x.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = 2 * CounterRandom.uniform(5, i) - 1;
        }
        layer.build(be, sample, 1);
        float[] out;
        float[] dx;
        try (Tensor xs = be.tensor(x, BATCH, 4, 7); Tensor dOut = be.tensor(g, BATCH, 4, 7)) {
            out = layer.forward(xs, true).toArray();
            dx = layer.backward(dOut).toArray();
        }
        Map<String, double[]> theirs = PyTorch.moduleGradients(module, BATCH + ", 4, 7", x, g, Map.of());
        double[] expectedOut = theirs.get("out");
        double[] expectedDx = theirs.get("dx");
        int passed = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(expectedOut[i], out[i], 1e-5 * Math.max(1, Math.abs(expectedOut[i])),
                    backend + " " + layer + ": out[" + i + "] of " + x[i]);
            assertEquals(expectedDx[i], dx[i], 1e-5 * Math.max(1, Math.abs(expectedDx[i])),
                    backend + " " + layer + ": dx[" + i + "] of " + x[i]);
            passed += x[i] > lo && x[i] < hi ? 1 : 0;
        }
        assertEquals(true, passed > x.length / 4 && passed < x.length * 3 / 4, "inputs on both sides of the bounds");
    }
}
