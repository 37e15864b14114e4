package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.init.Initializers;
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

/**
 * {@link Hardtanh} and {@link ReLU6} beyond {@link HardtanhPyTorchTest}: finite differences away from the
 * bounds, infinities and NaN, the errors, configs and a model file.
 */
class HardtanhTest {
    @TempDir
    Path dir;

    /** Inputs on both sides of both bounds, none within 0.05 of one (where the slope jumps). */
    private static float[] awayFromBounds(int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            int k = 0;
            do {
                v = lo - 1 + (hi - lo + 2) * CounterRandom.uniform(11 + k++, i);
            } while (Math.abs(v - lo) < 0.05f || Math.abs(v - hi) < 0.05f);
            x[i] = v;
        }
        return x;
    }

    @OnEveryBackend
    void backwardAgreesWithFiniteDifferences(String backend) {
        Backend b = EveryBackend.get(backend);
        GradientChecker checker = new GradientChecker();
        for (BoundedLinear layer : new BoundedLinear[] {new Hardtanh(), new Hardtanh(-0.5, 2.25), new ReLU6()}) {
            float[] x = awayFromBounds(2 * 3 * 5, layer.minValue(), layer.maxValue());
            GradientChecker.Report r = checker.checkLayer(layer, b, Shape.of(3, 5), x, true);
            assertTrue(r.passed(2e-3), b.name() + ", " + layer + ": " + r);
        }
    }

    /**
     * Infinities are clamped to the bounds and get no gradient; NaN stays NaN and gets none either (PyTorch
     * passes dy through at NaN; Dendrite's derivatives gate by multiplying, as ReLU's do).
     */
    @OnEveryBackend
    void infinitiesAndNaN(String backend) {
        Backend b = EveryBackend.get(backend);
        Hardtanh layer = new Hardtanh(-2, 3);
        layer.build(b, Shape.of(5), 1);
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -2f};
        try (Tensor xs = b.tensor(x, 1, 5); Tensor dy = b.tensor(new float[] {1, 1, 1, 1, 1}, 1, 5)) {
            float[] y = layer.forward(xs, true).toArray();
            assertArrayEquals(new float[] {3f, -2f, Float.NaN, 1f, -2f}, y);
            assertArrayEquals(new float[] {0f, 0f, 0f, 1f, 0f}, layer.backward(dy).toArray());
        }
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Hardtanh(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Hardtanh(2, -2));
        assertThrows(IllegalArgumentException.class, () -> new Hardtanh(Double.NaN, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Hardtanh(1.0, 1.00000001));
        assertTrue(e.getMessage().contains("as floats"), e.getMessage());
        assertEquals("Hardtanh(-Infinity, 0.0)", new Hardtanh(Double.NEGATIVE_INFINITY, 0).toString(),
                "an open side is allowed");
    }

    @Test
    void configsRebuildTheLayersAndRelu6StartsHeInitialized() {
        assertEquals("Hardtanh(-1.0, 1.0)", LayerRegistry.create("hardtanh", Map.of()).toString(), "PyTorch's defaults");
        Layer h = LayerRegistry.create("hardtanh", new Hardtanh(-0.5, 4).config());
        assertEquals("Hardtanh(-0.5, 4.0)", h.toString());
        assertEquals("ReLU6()", LayerRegistry.create("relu6", Map.of()).toString());
        assertEquals(Initializers.heUniform().name(), Initializers.defaultFor("relu6").name());
        assertEquals(Initializers.xavierUniform().name(), Initializers.defaultFor("hardtanh").name(), "tanh-like");
    }

    @Test
    void aModelFileBringsBothBack() throws IOException {
        Backend be = Backends.get("scalar");
        Sequential model = Sequential.builder(6).dense(8).relu6().dense(5).hardtanh(-0.25, 0.5).dense(3)
                .build(be, 3);
        float[] in = new float[12];
        for (int i = 0; i < in.length; i++) {
            in[i] = 3 * CounterRandom.normal(2, i);
        }
        float[] before = model.predict(in, 2);
        Path f = dir.resolve("bounded.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(in, 2));
        assertArrayEquals(before, loaded.predictor().predict(in, 2), "a predictor's copy too");
    }
}
