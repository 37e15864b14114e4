package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.io.ModelFile;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Rescaling}: the values against Java's float arithmetic, finite differences, errors, configs, a model file. */
class RescalingTest {
    @TempDir
    Path dir;

    /**
     * Offset 0 gives exactly the float products, scale 1 exactly the float sums, and the backward pass
     * exactly {@code scale * dy}; both in the vector lanes and the tail (37 values).
     */
    @OnEveryBackend
    void valuesAndGradientsAreThoseOfFloatArithmetic(String backend) {
        Backend b = EveryBackend.get(backend);
        int n = 37;
        float[] x = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 10 * CounterRandom.normal(5, i);
            dy[i] = CounterRandom.normal(6, i);
        }
        float[][] cases = {{1 / 255f, 0f}, {1f, -0.375f}, {-2.5f, 0f}};
        for (float[] sc : cases) {
            Rescaling layer = new Rescaling(sc[0], sc[1]);
            layer.build(b, Shape.of(n), 1);
            try (Tensor xs = b.tensor(x, 1, n); Tensor dys = b.tensor(dy, 1, n)) {
                float[] y = layer.forward(xs, true).toArray();
                float[] dx = layer.backward(dys).toArray();
                for (int i = 0; i < n; i++) {
                    float want = sc[1] == 0f ? sc[0] * x[i] : x[i] + sc[1];
                    assertEquals(want, y[i], 0f, b.name() + ", " + layer + ", value " + i);
                    assertEquals(sc[0] * dy[i], dx[i], 0f, b.name() + ", " + layer + ", gradient " + i);
                }
            }
        }
    }

    @OnEveryBackend
    void backwardAgreesWithFiniteDifferences(String backend) {
        Backend b = EveryBackend.get(backend);
        GradientChecker checker = new GradientChecker();
        float[] x = new float[2 * 3 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(7, i);
        }
        for (Rescaling layer : new Rescaling[] {new Rescaling(0.5, -1), new Rescaling(-3, 0.25)}) {
            GradientChecker.Report r = checker.checkLayer(layer, b, Shape.of(3, 5), x, true);
            assertTrue(r.passed(2e-3), b.name() + ", " + layer + ": " + r);
        }
    }

    @Test
    void nonFiniteNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Rescaling(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rescaling(1, Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Rescaling(1e39, 0));
        assertTrue(e.getMessage().contains("finite floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerRegistry.create("rescaling", Map.of("offset", 1.0)));
        assertTrue(e.getMessage().contains("no 'scale'"), e.getMessage());
    }

    @Test
    void configsRebuildTheLayer() {
        assertEquals("Rescaling(0.5, -1.0)", LayerRegistry.create("rescaling", new Rescaling(0.5, -1).config()).toString());
        assertEquals("Rescaling(2.0, 0.0)", LayerRegistry.create("rescaling", Map.of("scale", 2.0)).toString(),
                "offset 0 unless given");
    }

    @Test
    void aModelFileBringsItBack() throws IOException {
        Backend be = Backends.get("scalar");
        Sequential model = Sequential.builder(6).rescaling(1 / 255.0, -0.5).dense(8).relu().dense(3).build(be, 3);
        float[] in = new float[12];
        for (int i = 0; i < in.length; i++) {
            in[i] = 255 * CounterRandom.uniform(2, i);
        }
        float[] before = model.predict(in, 2);
        Path f = dir.resolve("rescaled.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(in, 2));
        assertArrayEquals(before, loaded.predictor().predict(in, 2), "a predictor's copy too");
    }
}
