package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.ModelShapeException;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.io.ModelFile;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Upsample2d} as a layer: shapes, values worked out by hand, the errors for bad settings and shapes,
 * configs, gradients against finite differences, batches of other sizes than the first, training and a
 * model file round trip. Values against PyTorch are in {@link Upsample2dPyTorchTest}.
 */
class Upsample2dTest {
    private static final Upsample2d.Mode NEAREST = Upsample2d.Mode.NEAREST;
    private static final Upsample2d.Mode BILINEAR = Upsample2d.Mode.BILINEAR;

    private final Backend be = TestBackend.get();

    @TempDir
    Path dir;

    @Test
    void eachSideGrowsByItsFactorWithoutParameters() {
        Sequential m = Sequential.builder(3, 5, 7).upsample2d(2).upsample2d(2, BILINEAR)
                .add(new Upsample2d(3, 1, BILINEAR, true)).build(be, 1);
        assertEquals(Shape.of(3, 10, 14), m.outputShape(0));
        assertEquals(Shape.of(3, 20, 28), m.outputShape(1));
        assertEquals(Shape.of(3, 60, 28), m.outputShape(2));
        assertEquals(0, m.parameterCount());
        assertTrue(m.stateDict().isEmpty());
        assertEquals("Upsample2d(2, nearest)", m.layer(0).toString());
        assertEquals("Upsample2d(2, bilinear)", m.layer(1).toString());
        assertEquals("Upsample2d(3x1, bilinear, align_corners)", m.layer(2).toString());
        assertEquals(Map.of(), new Upsample2d(2).stateShapes(Shape.of(3, 5, 7)).orElseThrow());
    }

    /** A 2 x 2 image [[1, 2], [3, 4]] grown to 4 x 4 in each mode, by PyTorch's formulas worked out by hand. */
    @Test
    void valuesAreThoseOfPyTorchsFormulas() {
        float[] image = {1, 2, 3, 4};
        assertArrayEquals(new float[] {
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4}, upsample(new Upsample2d(2), image), "each pixel repeated");
        // Pixel centres: source (d + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (the last pixel).
        assertArrayEquals(new float[] {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f}, upsample(new Upsample2d(2, BILINEAR), image), 1e-6f, "align_corners=False");
        // Corners: source d * (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1.
        float t = 1f / 3;
        assertArrayEquals(new float[] {
            1, 1 + t, 1 + 2 * t, 2,
            1 + 2 * t, 2, 2 + t, 2 + 2 * t,
            2 + t, 2 + 2 * t, 3, 3 + t,
            3, 3 + t, 3 + 2 * t, 4}, upsample(new Upsample2d(2, 2, BILINEAR, true), image), 1e-6f,
                "align_corners=True");
    }

    private float[] upsample(Upsample2d layer, float[] image) {
        layer.build(be, Shape.of(1, 2, 2), 1);
        try (Tensor x = be.tensor(image, 1, 1, 2, 2)) {
            return layer.forward(x, false).toArray();
        }
    }

    @Test
    void badSettingsAndShapesAreRefusedSayingWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Upsample2d(0));
        assertEquals("upsample2d: scale factors 0x0 must be at least 1 (whole numbers: each side is multiplied by its"
                + " factor)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Upsample2d(2, -1, BILINEAR, false));
        assertTrue(e.getMessage().startsWith("upsample2d: scale factors 2x-1 must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Upsample2d(2, 2, NEAREST, true));
        assertEquals("upsample2d: align_corners applies to bilinear mode only (as in PyTorch)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Upsample2d(2, null));
        assertEquals("upsample2d: mode is null; give nearest or bilinear", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.create("upsample2d", Map.of("scale_factor", 2, "mode", "bicubic")));
        assertEquals("upsample2d: mode 'bicubic' is unknown; known: nearest, bilinear", e.getMessage());

        ModelShapeException s = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(60).upsample2d(2).build(be, 1));
        assertEquals("layer 0 (upsample2d): expected input [channels, height, width] per sample, got [60]; likely fix:"
                + " add reshape(channels, height, width) before this layer", s.getMessage());
        s = assertThrows(ModelShapeException.class, () -> Sequential.builder(4, 6).conv1d(2, 3).upsample2d(2)
                .build(be, 1));
        assertEquals("layer 1 (upsample2d): expected input [channels, height, width] per sample, got [2, 4]; likely"
                + " fix: give images as [C, H, W]", s.getMessage());
        s = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(4, 10_000, 10_000).upsample2d(3).build(be, 1));
        assertTrue(s.getMessage().startsWith("layer 0 (upsample2d): expected input an image of at most 2147483647"
                + " values once upsampled 3x3 per sample, got [4, 10000, 10000]"), s.getMessage());

        Upsample2d layer = new Upsample2d(2);
        layer.build(be, Shape.of(3, 5, 7), 1);
        try (Tensor x = be.zeros(2, 3, 5, 8)) {
            e = assertThrows(IllegalArgumentException.class, () -> layer.forward(x, false));
            assertEquals("upsample2d forward: input [2, 3, 5, 8] is not a batch of [3, 5, 7] samples, the shape"
                    + " Upsample2d(2, nearest) was built for", e.getMessage());
        }
    }

    @Test
    void configsRebuildTheSameLayers() {
        for (Upsample2d l : List.of(new Upsample2d(2), new Upsample2d(3, BILINEAR),
                new Upsample2d(3, 2, BILINEAR, true), new Upsample2d(1, 4, NEAREST, false))) {
            Layer copy = LayerRegistry.create(l.type(), l.config());
            assertEquals(Upsample2d.class, copy.getClass());
            assertEquals(l.config(), copy.config());
            assertEquals(l.toString(), copy.toString());
        }
        assertEquals(Map.of("scale_factor", List.of(3, 2), "mode", "bilinear", "align_corners", true),
                new Upsample2d(3, 2, BILINEAR, true).config(), "PyTorch's argument names");
        assertEquals(Map.of("scale_factor", List.of(2, 2), "mode", "nearest"), new Upsample2d(2).config(),
                "no align_corners in nearest mode, as PyTorch takes none");
        Layer fromJson = LayerRegistry.create("upsample2d", Map.of("scale_factor", 2L));
        assertEquals("Upsample2d(2, nearest)", fromJson.toString(), "one number for both sides, nearest by default");
        fromJson = LayerRegistry.create("upsample2d", Map.of("scale_factor", List.of(3L, 2L), "mode", "bilinear"));
        assertEquals("Upsample2d(3x2, bilinear)", fromJson.toString(), "align_corners false by default");
    }

    @OnEveryBackend
    void backwardAgreesWithFiniteDifferences(String backend) {
        Backend b = EveryBackend.get(backend);
        GradientChecker checker = new GradientChecker();
        for (Upsample2d layer : List.of(new Upsample2d(3, 2, NEAREST, false), new Upsample2d(2, BILINEAR),
                new Upsample2d(3, 2, BILINEAR, true))) {
            GradientChecker.Report r = checker.checkLayer(layer, b, Shape.of(2, 3, 5), 2, true);
            assertTrue(r.passed(2e-3), b.name() + ", " + layer + ": " + r);
        }
    }

    /**
     * The row indices are kept for the largest batch seen: a smaller batch after a larger one, and a larger
     * one after that, give each sample what it gives alone; a second backward pass gives the same gradient
     * (the scatters add into a gradient cleared first, not into the last one).
     */
    @OnEveryBackend
    void batchesOfOtherSizesAndRepeatedBackwardPassesAgree(String backend) {
        Backend b = EveryBackend.get(backend);
        Shape sample = Shape.of(2, 3, 4);
        Upsample2d layer = new Upsample2d(3, 2, BILINEAR, false);
        layer.build(b, sample, 1);
        int in = sample.size();
        int out = layer.outputShape(sample).size();
        float[] x = values(1, 5 * in);
        float[] g = values(2, 5 * out);
        float[][] alone = new float[5][];
        float[][] aloneDx = new float[5][];
        for (int s = 0; s < 5; s++) {
            try (Tensor xs = b.tensor(Arrays.copyOfRange(x, s * in, (s + 1) * in), 1, 2, 3, 4);
                    Tensor gs = b.tensor(Arrays.copyOfRange(g, s * out, (s + 1) * out), 1, 2, 9, 8)) {
                alone[s] = layer.forward(xs, true).toArray();
                aloneDx[s] = layer.backward(gs).toArray();
            }
        }
        for (int n : new int[] {3, 1, 5, 2}) {
            try (Tensor xs = b.tensor(Arrays.copyOf(x, n * in), n, 2, 3, 4);
                    Tensor gs = b.tensor(Arrays.copyOf(g, n * out), n, 2, 9, 8)) {
                float[] y = layer.forward(xs, true).toArray();
                float[] dx = layer.backward(gs).toArray();
                assertArrayEquals(dx, layer.backward(gs).toArray(), "the same gradient from a second backward pass");
                for (int s = 0; s < n; s++) {
                    assertArrayEquals(alone[s], Arrays.copyOfRange(y, s * out, (s + 1) * out), 1e-6f,
                            "sample " + s + " of a batch of " + n);
                    assertArrayEquals(aloneDx[s], Arrays.copyOfRange(dx, s * in, (s + 1) * in), 1e-6f,
                            "dx of sample " + s + " of a batch of " + n);
                }
            }
        }
    }

    private static float[] values(long seed, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = CounterRandom.normal(seed, i);
        }
        return v;
    }

    /**
     * A small decoder learns to draw 8 x 8 images from 4 x 4 ones (their pixels repeated, plus a gradient
     * across), and its model file, and one holding every option, load back to the same predictions.
     */
    @Test
    void aDecoderTrainsAndRoundTripsThroughAModelFile() throws IOException {
        int n = 16;
        float[] x = values(7, n * 16);
        float[] y = new float[n * 64];
        for (int s = 0; s < n; s++) {
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    y[s * 64 + r * 8 + c] = x[s * 16 + r / 2 * 4 + c / 2] + 0.1f * c;
                }
            }
        }
        Sequential model = Sequential.builder(1, 4, 4).conv2d(4, 3, 1, 1).relu().upsample2d(2, BILINEAR)
                .conv2d(1, 3, 1, 1).flatten().build(be, 3);
        Trainer trainer = Trainer.builder(model).loss(Losses.mse()).optimizer(new Adam(1e-2)).build();
        float first;
        float last;
        try (Tensor xs = be.tensor(x, n, 1, 4, 4); Tensor ys = be.tensor(y, n, 64)) {
            first = trainer.step(xs, ys);
            last = first;
            for (int i = 0; i < 100; i++) {
                last = trainer.step(xs, ys);
            }
        }
        assertTrue(last < 0.2 * first, "loss from " + first + " to " + last);

        Sequential options = Sequential.builder(1, 4, 4).add(new Upsample2d(3, 2, BILINEAR, true)).upsample2d(2)
                .build(be, 1);
        for (Sequential m : List.of(model, options)) {
            float[] before = m.predict(x, n);
            Path f = dir.resolve("upsample" + m.layers().size() + ".safetensors");
            ModelFile.save(m, f);
            Sequential loaded = ModelFile.load(f, be);
            assertEquals(m.architecture(), loaded.architecture());
            assertEquals(m.summary(), loaded.summary());
            assertArrayEquals(before, loaded.predict(x, n), "bit-identical on the scalar backend");
            assertArrayEquals(before, loaded.predictor().predict(x, n), "a predictor's copy too");
        }
    }
}
