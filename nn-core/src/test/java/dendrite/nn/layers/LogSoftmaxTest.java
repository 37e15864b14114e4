package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
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
 * the shift by the row's maximum); it is a layer like the others (registry, model file, predictProba); and
 * with {@code Losses.nll()} it trains as softmax cross-entropy does on the logits.
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

    /**
     * Two copies of one model trained 60 Adam steps on the same batches: one ending in LogSoftmax with
     * NLLLoss, the other in its logits with softmax cross-entropy (class weights on both). The losses and
     * weights are not the same bits (e^(ln softmax) is not the softmax kernel's value, and the mean is a
     * division here, a multiplication there), but stay within 1e-5 relative each step and at the end.
     */
    @OnEveryBackend
    void withNllTrainsAsSoftmaxCrossEntropyOnLogits(String backend) {
        Backend be = EveryBackend.get(backend);
        float[] weights = {1f, 2f, 0.5f, 1.5f, 1f};
        Sequential withLogSoftmax = Sequential.builder(6).dense(16).tanh().dense(5).logSoftmax().build(be, 11);
        Sequential withLogits = Sequential.builder(6).dense(16).tanh().dense(5).build(be, 11);
        Trainer nll = Trainer.builder(withLogSoftmax).loss(Losses.nll(weights, -100)).optimizer(new Adam(0.02))
                .batchSize(13).build();
        Loss crossEntropy = Losses.softmaxCrossEntropy(weights, 0);
        Trainer ce = Trainer.builder(withLogits).loss(crossEntropy).optimizer(new Adam(0.02)).batchSize(13).build();
        int n = 13;
        float worst = 0;
        for (int step = 0; step < 60; step++) {
            float[] xs = new float[n * 6];
            float[] ys = new float[n];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = -1 + 2 * CounterRandom.uniform(100 + step, i);
            }
            for (int i = 0; i < n; i++) {
                ys[i] = (xs[i * 6] > 0 ? 2 : 0) + (xs[i * 6 + 1] > 0.3f ? 1 : 0) + (i % 7 == 0 ? 1 : 0);
            }
            try (Tensor x = be.tensor(xs, n, 6); Tensor y = be.tensor(ys, n)) {
                float a = nll.step(x, y);
                float b = ce.step(x, y);
                assertEquals(b, a, 1e-5 * Math.max(1, Math.abs(b)), be.name() + ": step " + step);
                worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
            }
        }
        float[] x = {0.3f, -0.2f, 0.8f, 0.1f, -0.9f, 0.5f};
        float[] last = withLogits.predict(x, 1);
        float[] logProbabilities = withLogSoftmax.predict(x, 1);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : last) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : last) {
            sum += Math.exp(v - max);
        }
        for (int j = 0; j < last.length; j++) {
            assertEquals(last[j] - max - Math.log(sum), logProbabilities[j], 1e-4, be.name() + ": log-probability " + j);
        }
        var a = withLogSoftmax.stateDict();
        var b = withLogits.stateDict();
        for (String name : b.keySet()) {
            float[] u = a.get(name).toArray();
            float[] v = b.get(name).toArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], u[i], 1e-4 * Math.max(1, Math.abs(v[i])), be.name() + ": " + name + "[" + i + "]");
            }
        }
        System.out.printf(Locale.ROOT, "LogSoftmax + NLL vs cross-entropy, %s: worst relative loss difference %.3g%n",
                be.name(), worst);
    }
}
