package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.ModelShapeException;
import dendrite.nn.Sequential;
import dendrite.nn.init.Initializers;
import dendrite.nn.TestBackend;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Conv1d}, {@link MaxPool1d} and {@link AvgPool1d} in a model: the builder's channel inference,
 * PyTorch's names and shapes, the initial weight range, the errors for bad arguments and shapes, configs,
 * training and a model file round trip. Values against PyTorch are in {@link Conv1dPyTorchTest}.
 */
class Conv1dTest {
    private final Backend be = TestBackend.get();

    @TempDir
    Path dir;

    /** The model of the brief: three channels of 20 steps, four classes. */
    private Sequential smallModel(long seed) {
        return Sequential.builder(3, 20).conv1d(8, 3).relu().maxPool1d(2).flatten().dense(4).build(be, seed);
    }

    @Test
    void theBuilderTakesChannelsFromTheInputAndNamesParametersAsPyTorch() {
        Sequential m = smallModel(1);
        assertEquals(Shape.of(8, 18), m.outputShape(0));
        assertEquals(Shape.of(8, 9), m.outputShape(2));
        assertEquals(Shape.of(72), m.outputShape(3));
        assertEquals(List.of("0.weight", "0.bias", "4.weight", "4.bias"), List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {8, 3, 3}, m.stateDict().get("0.weight").shape().dims(), "[out, in / groups, k]");
        assertArrayEquals(new int[] {8}, m.stateDict().get("0.bias").shape().dims());
        assertEquals(8 * 3 * 3 + 8 + 72 * 4 + 4, m.parameterCount());
        assertEquals("Conv1d(3, 8, 3)", m.layer(0).toString());

        Sequential strided = Sequential.builder(4, 13).conv1d(6, 3, 2, 1).conv1dSame(5, 3).avgPool1d(2).build(be, 1);
        assertEquals(Shape.of(6, 7), strided.outputShape(0), "(13 + 2 - 3) / 2 + 1");
        assertEquals(Shape.of(5, 7), strided.outputShape(1), "'same' keeps the length");
        assertEquals(Shape.of(5, 3), strided.outputShape(2), "the odd step left over, as PyTorch");
        Map<String, int[]> declared = Sequential.builder(4, 13).conv1d(6, 3, 2, 1).conv1dSame(5, 3).avgPool1d(2)
                .stateShapes().orElseThrow();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(declared.keySet()));
        for (Map.Entry<String, int[]> d : declared.entrySet()) {
            assertArrayEquals(d.getValue(), strided.stateDict().get(d.getKey()).shape().dims(), d.getKey());
        }
    }

    /**
     * Without an initializer, as {@link Conv2d}: the default for the activation that follows (He
     * uniform before a ReLU, bound sqrt(6 / fan in)), recorded in the config; with
     * {@link Initializers#pytorch()}, PyTorch's: weight and bias uniform in +-1/sqrt(fan in). Fan in
     * is in / groups * kernel either way.
     */
    @Test
    void weightsStartAsConv2dsDefaultOrAsPyTorchs() {
        Sequential m = Sequential.builder(6, 10).conv1d(64, 5).relu().build(be, 3);
        assertEquals(Initializers.heUniform().name(), m.layer(0).config().get("weight_init"));
        assertLargestNear(m.layer(0).parameters().get(0), Math.sqrt(6.0 / (6 * 5)));
        Conv1d conv = new Conv1d(6, 64, 5, 1, 0, false, 1, 2, true, Initializers.pytorch());
        conv.build(be, Shape.of(6, 10), 3);
        for (Parameter p : conv.parameters()) {
            assertLargestNear(p, 1 / Math.sqrt(6 / 2 * 5));
        }
    }

    /** 64 or more uniform draws within the bound: the largest comes near it, another fan would move it far. */
    private static void assertLargestNear(Parameter p, double bound) {
        float max = 0;
        for (float v : p.value().toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.85 * bound, p.name() + ": largest " + max + ", bound " + bound);
    }

    @Test
    void badArgumentsAreRefusedSayingWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 0));
        assertEquals("conv1d: out channels 4, kernel 0, stride 1, dilation 1 and groups 1 must be at least 1,"
                + " padding 0 at least 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 6, 3, 1, 0, false, 1, 4, true, null));
        assertEquals("conv1d: 4 groups must divide the 6 output channels and the 4 input channels", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(-1, 6, 3, 2, 0, true, 1, 1, true, null));
        assertEquals("conv1d: padding 'same' needs stride 1 (as in PyTorch), got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(-1, 6, 4, 1, 0, true, 1, 1, true, null));
        assertTrue(e.getMessage().startsWith("conv1d: padding 'same' with a kernel of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool1d(0));
        assertEquals("max_pool1d: kernel 0 and stride 0 must be at least 1, padding 0 at least 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool1d(3, 1, 2));
        assertEquals("avg_pool1d: padding 2 must be at most half the window of 3 (as in PyTorch)", e.getMessage());
    }

    @Test
    void aWrongShapeNamesTheLayerBothShapesAndTheFix() {
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(60).conv1d(8, 3).build(be, 1));
        assertEquals("layer 0 (conv1d): expected input [channels, length] per sample, got [60]; likely fix: conv1d"
                + " takes sequences [C, L]: add reshape(channels, length) before this layer", e.getMessage());
        e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(3, 20).add(new Conv1d(4, 8, 3, 1, 0, false, 1, 1, true, null)).build(be, 1));
        assertEquals("layer 0 (conv1d): expected input [4, length] per sample, got [3, 20]; likely fix: make this"
                + " layer Conv1d(3, 8, ...), or change the previous layer to 4 channels", e.getMessage());
        e = assertThrows(ModelShapeException.class, () -> Sequential.builder(3, 4).conv1d(8, 3, 1, 0)
                .add(new Conv1d(-1, 8, 3, 1, 0, false, 2, 1, true, null)).build(be, 1));
        assertTrue(e.getMessage().startsWith("layer 1 (conv1d): expected input a sequence at least as long as"
                + " conv1d's window of 5 steps (with padding 0 at each end) per sample, got [8, 2]"), e.getMessage());
        e = assertThrows(ModelShapeException.class, () -> Sequential.builder(3, 4, 4).maxPool1d(2).build(be, 1));
        assertTrue(e.getMessage().startsWith("layer 0 (max_pool1d): expected input [channels, length] per sample,"
                + " got [3, 4, 4]"), e.getMessage());
        e = assertThrows(ModelShapeException.class, () -> Sequential.builder(3, 2).avgPool1d(3).build(be, 1));
        assertTrue(e.getMessage().startsWith("layer 0 (avg_pool1d): expected input a sequence at least as long as"
                + " avg_pool1d's window of 3 steps"), e.getMessage());

        Conv1d conv = new Conv1d(8, 3);
        conv.build(be, Shape.of(3, 20), 1);
        try (Tensor x = be.zeros(2, 3, 21)) {
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> conv.forward(x, false));
            assertEquals("conv1d forward: input [2, 3, 21] is not a batch of [3, 20] samples, the shape"
                    + " Conv1d(3, 8, 3) was built for", f.getMessage());
        }
    }

    @Test
    void configsRebuildTheSameLayers() {
        List<Layer> layers = List.of(new Conv1d(4, 6, 3, 2, 1, false, 2, 2, false, null),
                new Conv1d(-1, 5, 3, 1, 0, true, 1, 1, true, Initializers.heUniform()),
                new MaxPool1d(3, 2, 1), new AvgPool1d(4));
        for (Layer l : layers) {
            Layer copy = LayerRegistry.create(l.type(), l.config());
            assertEquals(l.getClass(), copy.getClass());
            assertEquals(l.config(), copy.config());
            assertEquals(l.toString(), copy.toString());
        }
        assertEquals(Map.of("kernel_size", 4, "stride", 4, "padding", 0), new AvgPool1d(4).config());
        assertEquals("MaxPool1d(3, stride 2, pad 1)", new MaxPool1d(3, 2, 1).toString());
        Layer fromJson = LayerRegistry.create("max_pool1d", Map.of("kernel_size", 3L));
        assertEquals(Map.of("kernel_size", 3, "stride", 3, "padding", 0), fromJson.config(), "stride defaults to kernel");
    }

    /**
     * GlobalAvgPool1d takes {@code [time, features]}, so after a Conv1d it averages the channels; the
     * mean over the length is {@code avgPool1d(length)} and a flatten, or a transpose and GlobalAvgPool1d.
     */
    @Test
    void theMeanOverTheLengthIsAvgPoolOfTheWholeLength() {
        float[] x = new float[2 * 3 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(4, i);
        }
        Sequential mean = Sequential.builder(3, 10).avgPool1d(10).flatten().build(be, 1);
        Sequential global = Sequential.builder(3, 10).add(new GlobalAvgPool1d()).build(be, 1);
        assertEquals(Shape.of(3), mean.outputShape());
        assertEquals(Shape.of(10), global.outputShape(), "GlobalAvgPool1d reads [C, L] as [time, features]");
        float[] y = mean.predict(x, 2);
        for (int s = 0; s < 2; s++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int t = 0; t < 10; t++) {
                    sum += x[s * 30 + c * 10 + t];
                }
                assertEquals(sum / 10, y[s * 3 + c], 1e-6);
            }
        }
        Sequential transposed = Sequential.builder(3, 10).transpose().add(new GlobalAvgPool1d()).build(be, 1);
        assertArrayEquals(y, transposed.predict(x, 2), 1e-6f, "transpose, then GlobalAvgPool1d: the same means");
    }

    /** Four classes of three-channel signals told apart by their pattern over time: the loss falls. */
    @Test
    void aSmallConvolutionalModelTrainsAndRoundTripsThroughAModelFile() throws IOException {
        int n = 16;
        float[] x = new float[n * 3 * 20];
        float[] labels = new float[n];
        for (int s = 0; s < n; s++) {
            int cls = s % 4;
            labels[s] = cls;
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 20; t++) {
                    x[(s * 3 + c) * 20 + t] = (float) Math.sin((cls + 1) * 0.5 * t + c) + 0.2f
                            * CounterRandom.normal(s, c * 20 + t);
                }
            }
        }
        Sequential model = smallModel(5);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).build();
        float first;
        float last;
        try (Tensor xs = be.tensor(x, n, 3, 20); Tensor ys = be.tensor(labels, n)) {
            first = trainer.step(xs, ys);
            last = first;
            for (int i = 0; i < 60; i++) {
                last = trainer.step(xs, ys);
            }
        }
        assertTrue(last < 0.2 * first, "loss from " + first + " to " + last);

        float[] before = model.predict(x, n);
        Path f = dir.resolve("conv1d.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(x, n), "bit-identical on the scalar backend");
        assertEquals(model.summary(), loaded.summary());
        assertArrayEquals(before, loaded.predictor().predict(x, n), "a predictor's copy shares the weights");
        assertTrue(loaded.layer(0).replicaForInference(be, Shape.of(3, 20)).isPresent(), "predicts from many threads");
    }
}
