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
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PReLU} beyond {@link PReLUPyTorchTest}: finite differences, batches of other sizes, the errors,
 * its config, and slopes that learn: on data where negative inputs matter the slopes move from 0.25, and
 * the model file brings them back.
 */
class PReLUTest {
    @TempDir
    Path dir;

    @OnEveryBackend
    void backwardAgreesWithFiniteDifferences(String backend) {
        Backend b = EveryBackend.get(backend);
        GradientChecker checker = new GradientChecker();
        for (PReLU layer : new PReLU[] {new PReLU(3, -0.4), new PReLU()}) {
            GradientChecker.Report r = checker.checkLayer(layer, b, Shape.of(3, 4, 5), 2, true);
            assertTrue(r.passed(2e-3), b.name() + ", " + layer + ": " + r);
        }
    }

    /** Each sample of a batch gets what it gets alone, whichever batch size came before. */
    @OnEveryBackend
    void batchesOfOtherSizesAgreeWithSamplesAlone(String backend) {
        Backend b = EveryBackend.get(backend);
        PReLU layer = new PReLU(2, 0.25);
        layer.build(b, Shape.of(2, 3), 1);
        layer.parameters().get(0).value().copyFrom(new float[] {0.5f, -2f});
        float[] x = new float[5 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(4, i);
        }
        float[][] alone = new float[5][];
        for (int s = 0; s < 5; s++) {
            try (Tensor xs = b.tensor(Arrays.copyOfRange(x, s * 6, (s + 1) * 6), 1, 2, 3)) {
                alone[s] = layer.forward(xs, false).toArray();
            }
        }
        for (int n : new int[] {3, 1, 5, 2}) {
            try (Tensor xs = b.tensor(Arrays.copyOf(x, n * 6), n, 2, 3)) {
                float[] y = layer.forward(xs, false).toArray();
                for (int s = 0; s < n; s++) {
                    assertArrayEquals(alone[s], Arrays.copyOfRange(y, s * 6, (s + 1) * 6), "sample " + s + " of " + n);
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            float slope = i < 3 ? 0.5f : -2f;
            assertEquals(x[i] > 0 ? x[i] : slope * x[i], alone[0][i], "channel " + i / 3 + "'s slope");
        }
    }

    /** Infinities come out as PyTorch's {@code where(x > 0, x, a x)} gives them: not NaN from inf - inf. */
    @OnEveryBackend
    void infinitiesKeepTheirSign(String backend) {
        Backend b = EveryBackend.get(backend);
        PReLU layer = new PReLU();
        layer.build(b, Shape.of(3), 1);
        try (Tensor xs = b.tensor(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -2f}, 1, 3)) {
            assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.5f},
                    layer.forward(xs, false).toArray());
        }
    }

    @Test
    void badCountsAndShapesAreRefusedSayingWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> new PReLU(0, 0.25));
        assertThrows(IllegalArgumentException.class, () -> new PReLU(1, Double.NaN));
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> new PReLU(8, 0.25).outputShape(Shape.of(6, 5)));
        assertTrue(e.getMessage().contains("[8, ...]") && e.getMessage().contains("[6, 5]")
                && e.getMessage().contains("PReLU(6)"), e.getMessage());
        assertEquals(Shape.of(7, 2), new PReLU().outputShape(Shape.of(7, 2)), "one slope fits any shape");
        Layer fromConfig = LayerRegistry.create("prelu", Map.of("num_parameters", 4L, "init", 0.1));
        assertEquals("PReLU(4, init=0.1)", fromConfig.toString());
        assertEquals("PReLU(1, init=0.25)", LayerRegistry.create("prelu", Map.of()).toString(), "PyTorch's defaults");
    }

    /**
     * Targets with a slope of -1 on channel 0 (|x|) and 0.5 on channel 1: training moves each channel's
     * slope from 0.25 to its own, and the model file brings the slopes back.
     */
    @Test
    void slopesLearnAndRoundTripThroughAModelFile() throws IOException {
        Backend be = Backends.get("scalar");
        int n = 32;
        float[] x = new float[n * 6];
        float[] y = new float[n * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(9, i);
            float slope = i % 6 < 3 ? -1f : 0.5f;
            y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
        Sequential learner = Sequential.builder(2, 3).prelu(2).flatten().build(be, 3);
        Trainer trainer = Trainer.builder(learner).loss(Losses.mse()).optimizer(new Adam(1e-2)).build();
        try (Tensor xs = be.tensor(x, n, 2, 3); Tensor ys = be.tensor(y, n, 6)) {
            for (int i = 0; i < 600; i++) {
                trainer.step(xs, ys);
            }
        }
        assertArrayEquals(new float[] {-1f, 0.5f}, learner.namedParameters().get("0.weight").value().toArray(), 1e-3f);

        Sequential model = Sequential.builder(2, 3).prelu(2).flatten().dense(2).build(be, 5);
        float[] slopes = {0.7f, -0.3f};
        model.namedParameters().get("0.weight").value().copyFrom(slopes);
        float[] in = Arrays.copyOf(x, 12);
        float[] before = model.predict(in, 2);
        Path f = dir.resolve("prelu.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(slopes, loaded.namedParameters().get("0.weight").value().toArray());
        assertArrayEquals(before, loaded.predict(in, 2));
        assertArrayEquals(before, loaded.predictor().predict(in, 2), "a predictor's copy too");
    }
}
