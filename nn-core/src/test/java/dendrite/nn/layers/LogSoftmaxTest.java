package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.op.CounterRandom;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogSoftmax} gives PyTorch's {@code nn.LogSoftmax(dim=-1)}, forward and backward, within 1e-5 of
 * max(1, |PyTorch's float64|) on every backend, on rows where a naive {@code ln softmax} fails (logits
 * 1000 apart, where the softmax underflows to 0; ±40; 1e4 everywhere, where {@code e^x} overflows without
 * the shift by the row's maximum); and it is a layer like the others (registry, model file, predictProba).
 */
class LogSoftmaxTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    /** Random logits in [-4, 4] with the hard rows first: a spread of 1000, ±40, all 1e4, all equal. */
    private static float[] logits(long seed, int rows, int classes) {
        float[] x = new float[rows * classes];
        for (int i = 0; i < x.length; i++) {
            x[i] = -4 + 8 * CounterRandom.uniform(seed, i);
        }
        for (int j = 0; j < classes; j++) {
            x[j] = j == 1 ? 1000f : -j;                              // e^(x - 1000) underflows: ln softmax = -inf
            x[classes + j] = j % 2 == 0 ? 40f : -40f;
            x[2 * classes + j] = 1e4f + j;                           // e^x overflows unless shifted
            x[3 * classes + j] = -7.5f;
        }
        return x;
    }

    private static String dims(int... shape) {
        StringBuilder sb = new StringBuilder();
        for (int d : shape) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d);
        }
        return sb.toString();
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(actual[i] - expected[i]) <= TOLERANCE * scale, String.format(Locale.ROOT,
                    "%s[%d]: PyTorch %.10g, Dendrite %.10g", what, i, expected[i], actual[i]));
        }
    }

    private static void compare(String backend, int... shape) throws Exception {
        Backend be = EveryBackend.get(backend);
        int classes = shape[shape.length - 1];
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] x = logits(3, size / classes, classes);
        float[] dy = new float[size];
        for (int i = 0; i < size; i++) {
            dy[i] = -2 + 4 * CounterRandom.uniform(4, i);
        }
        Map<String, double[]> torch = PyTorch.moduleGradients("torch.nn.LogSoftmax(dim=-1)", dims(shape), x, dy,
                Map.of());
        int[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        LogSoftmax layer = new LogSoftmax();
        layer.build(be, Shape.of(sample), 0);
        float[] y = layer.forward(be.tensor(x, shape), true).toArray();
        float[] dx = layer.backward(be.tensor(dy, shape)).toArray();
        String what = be.name() + " " + java.util.Arrays.toString(shape);
        assertClose(torch.get("out"), y, what + " y");
        assertClose(torch.get("dx"), dx, what + " dx");
        for (float v : y) {
            assertTrue(Float.isFinite(v), what + ": a log-probability is not finite");
        }
    }

    @OnEveryBackend
    void rowsAsPyTorch(String backend) throws Exception {
        compare(backend, 7, 5);
    }

    @OnEveryBackend
    void aSequenceAlongItsLastAxisAsPyTorch(String backend) throws Exception {
        compare(backend, 3, 4, 5);
    }

    @OnEveryBackend
    void rowsWiderThanAVectorAsPyTorch(String backend) throws Exception {
        compare(backend, 37, 11);
    }

    /** Registered under log_softmax, built by logSoftmax(), saved and loaded; predictProba gives the softmax. */
    @Test
    void isALayerLikeTheOthers() throws Exception {
        Backend be = EveryBackend.get("scalar");
        assertTrue(LayerRegistry.create("log_softmax", Map.of()) instanceof LogSoftmax);
        Sequential m = Sequential.builder(3).dense(4).logSoftmax().build(be, 7);
        assertEquals("log_softmax", m.layer(1).type());
        assertEquals("LogSoftmax()", m.layer(1).toString());
        Path f = dir.resolve("log_softmax.safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals("log_softmax", loaded.layer(1).type());
        float[] x = {0.1f, -0.4f, 2f, -3f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));

        float[] logProbabilities = m.predict(x, 2);
        float[] p = m.predictProba(x, 2);
        for (int i = 0; i < p.length; i++) {
            assertEquals(Math.exp(logProbabilities[i]), p[i], 1e-6, "probability " + i);
        }
    }
}
