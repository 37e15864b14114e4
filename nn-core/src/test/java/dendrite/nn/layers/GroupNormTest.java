package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dendrite.nn.ModelShapeException;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.io.ModelFile;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupNorm} as a layer: its parameters by PyTorch's names, the errors for bad settings and
 * shapes, its config, a model file round trip, and the same output in training and evaluation and
 * for a sample alone or in a batch (no running statistics). Values against PyTorch are in
 * {@link GroupNormPyTorchTest}.
 */
class GroupNormTest {
    private final Backend be = TestBackend.get();

    @TempDir
    Path dir;

    @Test
    void parametersAndShapesAreAsPyTorchs() {
        Sequential m = Sequential.builder(1, 8, 8).conv2d(6, 3).groupNorm(3).relu().flatten().dense(2).build(be, 1);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"),
                List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {6}, m.stateDict().get("1.weight").shape().dims());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, m.stateDict().get("1.weight").toArray(), "weight starts at 1");
        assertArrayEquals(new float[6], m.stateDict().get("1.bias").toArray(), "bias at 0");
        assertEquals("GroupNorm(3, 6, eps=1.0E-5)", m.layer(1).toString());
        assertEquals(Map.of("num_groups", 3, "num_channels", 6, "eps", 1e-5, "affine", true), m.layer(1).config());
        assertEquals(m.layer(1).config(), LayerRegistry.create("group_norm", m.layer(1).config()).config());
    }

    @Test
    void badSettingsAndShapesAreRefusedSayingWhatIsWrong() {
        assertEquals("group_norm: num_groups must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0)).getMessage());
        assertEquals("group_norm: 4 groups must divide the 6 channels",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6, 1e-5, true)).getMessage());
        assertEquals("group_norm: eps must be at least 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, -1, -1, true)).getMessage());
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(6, 5).groupNorm(4).build(be, 1));
        assertEquals("layer 0 (group_norm): expected input channels divisible by 4 groups per sample, got [6, 5];"
                + " likely fix: pick a number of groups that divides the 6 channels", e.getMessage());
        e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(6, 5).add(new GroupNorm(2, 4, 1e-5, true)).build(be, 1));
        assertEquals("layer 0 (group_norm): expected input [4, ...] per sample, got [6, 5]; likely fix: make this"
                + " GroupNorm(2, 6, ...), or change the previous layer to 4 channels", e.getMessage());
    }

    @Test
    void theSameInTrainingAndEvaluationAloneOrInABatch() throws IOException {
        Sequential m = Sequential.builder(4, 6).groupNorm(2).build(be, 1);
        m.layer(0).parameters().get(0).value().copyFrom(new float[] {0.5f, 2, -1, 1.5f});
        m.layer(0).parameters().get(1).value().copyFrom(new float[] {0.1f, -0.2f, 0.3f, 0});
        float[] x = new float[3 * 24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.7) * (1 + i % 5);
        }
        float[] batch = m.predict(x, 3);
        float[] alone = m.predict(java.util.Arrays.copyOfRange(x, 24, 48), 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(batch, 24, 48), alone, 1e-6f, "no statistics across samples");
        try (var xs = be.tensor(x, 3, 4, 6)) {
            assertArrayEquals(batch, m.forward(xs, true).toArray(), 1e-6f, "training normalizes the same way");
        }
        Path f = dir.resolve("gn.safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(m.architecture(), loaded.architecture());
        assertArrayEquals(batch, loaded.predict(x, 3), "bit-identical after a round trip");
        assertArrayEquals(batch, loaded.predictor().predict(x, 3), "a predictor's copy too");
    }
}
