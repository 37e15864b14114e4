package dendrite.nn;

import dendrite.nn.layers.Dense;
import dendrite.nn.layers.LayerRegistry;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialTest {
    private final Backend be = TestBackend.get();

    /** 30,000 samples of 100,000 outputs are 3e9 values: refused naming them, before the output is allocated. */
    @Test
    void predictingMoreValuesThanAnArrayHoldsIsRefused() {
        Sequential m = Sequential.builder(1).dense(100_000).build(be, 1);
        float[] x = new float[30_000];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(x, 30_000));
        assertEquals("predict: 30000 samples of output [100000] are 3000000000 values, more than an array can hold (at"
                + " most 2147483639); predict fewer samples at a time", e.getMessage());
    }

    @Test
    void aShapeMismatchNamesTheLayerBothShapesAndTheFix() {
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(784).dense(256).relu().add(new Dense(128, 10)).build(be, 1));
        assertEquals(2, e.layerIndex());
        assertEquals("dense", e.layerType());
        assertEquals("layer 2 (dense): expected input [128] per sample, got [256]; likely fix: make this layer "
                + "Dense(256, 10), or change the previous layer to 128 outputs", e.getMessage());
    }

    /** Images are {@code [channels, h, w]}; a {@code [time, features]} sample is a sequence, which Dense takes step by step. */
    @Test
    void anImageIntoDenseAsksForFlatten() {
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(1, 28, 28).dense(10).build(be, 1));
        assertEquals(0, e.layerIndex());
        assertEquals(Shape.of(1, 28, 28), e.actual());
        assertTrue(e.getMessage().contains("add flatten() before this layer"), e.getMessage());
        assertEquals(Shape.of(10), Sequential.builder(1, 28, 28).flatten().dense(10).build(be, 1).outputShape());
        assertEquals(Shape.of(28, 10), Sequential.builder(28, 28).dense(10).build(be, 1).outputShape());
    }

    @Test
    void aBadReshapeSaysHowManyValuesItHas() {
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(10).reshape(3, 3).build(be, 1));
        assertTrue(e.getMessage().startsWith("layer 0 (reshape): expected input a sample of 9 values"), e.getMessage());
        assertTrue(e.getMessage().contains("got [10]") && e.getMessage().contains("10 values"), e.getMessage());
    }

    @Test
    void stateDictUsesPyTorchSequentialNames() {
        Sequential m = Sequential.builder(4).dense(8).batchNorm().relu().dropout(0.1).dense(3).build(be, 1);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "4.weight", "4.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(Shape.of(8, 4), m.stateDict().get("0.weight").shape(), "Linear layout [out, in]");
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(8 * 4 + 8 + 16 + 3 * 8 + 3, m.parameterCount());
    }

    @Test
    void summaryListsLayersShapesAndParameterCounts() {
        String s = Sequential.builder(784).dense(256).relu().dense(10).build(be, 1).summary();
        assertTrue(s.contains("Dense(784, 256)") && s.contains("200,960"), s);
        assertTrue(s.contains("[10]") && s.contains("2,570"), s);
        assertTrue(s.contains("Total params: 203,530"), s);
    }

    @Test
    void aModelBuiltAndFirstUsedInsideAScopeOutlivesIt() {
        float[] x = {0.5f, -1f, 2f, 0.25f, 1f, -0.5f};
        Sequential m;
        float[] inside;
        try (dendrite.tensor.Scope scope = dendrite.tensor.Scope.open()) {
            m = Sequential.builder(3).dense(4).batchNorm().relu().dense(2).build(be, 7);
            inside = m.predict(x, 2);   // allocates the layers' batch buffers lazily
        }
        assertArrayEquals(inside, m.predict(x, 2), "the model's parameters and buffers are the model's, not the scope's");
    }

    @Test
    void architectureAndStateRebuildTheSameModel() {
        Sequential m = Sequential.builder(3).dense(5).batchNorm().leakyRelu(0.2f).dropout(0.3).dense(2).softmax()
                .build(be, 1);
        Map<String, float[]> state = new HashMap<>();
        m.stateDict().forEach((k, v) -> state.put(k, v.toArray()));
        Sequential copy = Sequential.fromArchitecture(m.architecture(), be, 999);
        copy.loadStateDict(state);
        float[] x = {0.1f, -0.4f, 2f, 1f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), copy.predict(x, 2));
        assertEquals(m.architecture(), copy.architecture());
        assertEquals(LayerRegistry.create("dense", Map.of("units", 7L)).config().get("units"), 7);
    }

    @Test
    void loadStateDictRefusesAMismatchAndChangesNothing() {
        Sequential m = Sequential.builder(3).dense(2).build(be, 1);
        float[] before = m.stateDict().get("0.weight").toArray();
        Map<String, float[]> bad = Map.of("0.weight", new float[6], "0.bias", new float[3], "9.weight", new float[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(bad));
        assertTrue(e.getMessage().contains("0.bias has 3 values") && e.getMessage().contains("unexpected 9.weight"),
                e.getMessage());
        assertArrayEquals(before, m.stateDict().get("0.weight").toArray());
    }

    @Test
    void predictionFromAnotherThreadDuringTrainingIsRefused() throws Exception {
        Sequential m = Sequential.builder(2).dense(1).build(be, 1);
        try (Sequential.TrainingLease lease = m.beginTraining()) {
            m.predict(new float[] {1, 2}, 1);   // the training thread itself may predict
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.supplyAsync(() -> m.predict(new float[] {1, 2}, 1)).get());
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
        assertEquals(1, CompletableFuture.supplyAsync(() -> m.predict(new float[] {1, 2}, 1)).get().length);
    }

    @Test
    void predictProbaAddsASoftmaxToLogits() {
        Sequential m = Sequential.builder(2).dense(3).build(be, 1);
        float[] p = m.predictProba(new float[] {1, 2, -1, 0.5f}, 2);
        assertEquals(1f, p[0] + p[1] + p[2], 1e-6);
        assertEquals(1f, p[3] + p[4] + p[5], 1e-6);
    }

    @Test
    void aFusedDenseActivationMatchesSeparateLayers() {
        Sequential fused = Sequential.builder(3).dense(4, dendrite.tensor.op.Activation.TANH).dense(2).build(be, 5);
        Sequential separate = Sequential.builder(3).dense(4).tanh().dense(2).build(be, 5);
        Map<String, float[]> state = new HashMap<>();
        fused.stateDict().forEach((k, v) -> state.put(k.replace("1.", "2."), v.toArray()));
        separate.loadStateDict(state);
        float[] x = {0.1f, -0.4f, 2f, 1f, 0.5f, -1f};
        assertArrayEquals(separate.predict(x, 2), fused.predict(x, 2), 1e-6f);
        assertEquals("tanh", fused.layer(0).config().get("activation"));
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder(3).dense(4, dendrite.tensor.op.Activation.GELU));
        assertThrows(IllegalArgumentException.class,
                () -> Sequential.builder(3).dense(4, dendrite.tensor.op.Activation.GELU_TANH));
    }

    @Test
    void forwardRefusesAnInputOfTheWrongShape() {
        Sequential m = Sequential.builder(3).dense(2).build(be, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(be.zeros(4, 5), false));
        assertEquals("forward: input [4, 5] is not a batch of samples of [3], the model's input shape", e.getMessage());
    }

    @Test
    void denseDefaultsToHeBeforeReluAndXavierOtherwise() {
        Sequential m = Sequential.builder(100).dense(50).relu().dense(50).tanh().build(be, 1);
        assertEquals("he_uniform", m.layer(0).config().get("weight_init"));
        assertEquals("xavier_uniform", m.layer(2).config().get("weight_init"));
        Sequential g = Sequential.builder(10).dense(5).gelu().dense(5).gelu(dendrite.nn.layers.GELU.Approximate.TANH)
                .dense(2).build(be, 1);
        assertEquals("he_uniform", g.layer(0).config().get("weight_init"), "before the exact GELU");
        assertEquals("he_uniform", g.layer(2).config().get("weight_init"), "before the tanh GELU");
        float bound = (float) Math.sqrt(6.0 / 100);
        for (float w : m.stateDict().get("0.weight").toArray()) {
            assertTrue(Math.abs(w) <= bound);
        }
    }

    /** Issue 18: PyTorch's bias=False and BatchNorm's momentum and eps from the builder, kept by the architecture. */
    @Test
    void builderTakesBiasFreeDenseAndBatchNormSettings() {
        Sequential m = Sequential.builder(4).dense(3, false).batchNorm(0.2, 1e-3).relu().dense(2).build(be, 1);
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "3.weight", "3.bias"),
                List.copyOf(m.stateDict().keySet()));
        Sequential again = Sequential.fromArchitecture(m.architecture(), be, 1);
        assertEquals(m.architecture(), again.architecture());
        Map<String, Object> bn = m.layers().get(1).config();
        assertEquals(0.2, (Double) bn.get("momentum"), 1e-7);
        assertEquals(1e-3, (Double) bn.get("eps"), 1e-9);
        Sequential images = Sequential.builder(2, 4, 4).conv2d(3, 3).batchNorm2d(0.05, 1e-4).build(be, 1);
        assertEquals(0.05, (Double) images.layers().get(1).config().get("momentum"), 1e-7);
    }
}
