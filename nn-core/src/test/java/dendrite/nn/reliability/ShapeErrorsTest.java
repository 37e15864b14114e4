package dendrite.nn.reliability;

import dendrite.nn.EveryBackend;
import dendrite.nn.ModelShapeException;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.ModelFormatException;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.MultiheadAttention;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: every public entry point given a wrong shape says which operation or layer, the
 * expected and the actual shape. Each test feeds one entry point a wrong shape and checks that the
 * message holds all three.
 */
class ShapeErrorsTest {

    /** The thrown message, after checking it names every part. */
    private static String assertMessageNames(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        String m = String.valueOf(e.getMessage());
        for (String p : parts) {
            assertTrue(m.contains(p), "message should name '" + p + "': " + m);
        }
        return m;
    }

    private static Sequential twoInTwoOut(Backend be) {
        return Sequential.builder(2).dense(8).tanh().dense(2).build(be, 7);
    }

    // ------------------------------------------------------------------ building a model

    @Test
    void theBuilderNamesTheLayerIndexTypeBothShapesAndAFix() {
        Backend be = EveryBackend.get("scalar");
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(4).dense(8).relu().add(new Dense(5, 3)).build(be, 1));
        assertEquals(2, e.layerIndex());
        assertEquals("dense", e.layerType());
        assertEquals(Shape.of(8), e.actual());
        for (String part : List.of("layer 2 (dense)", "[5]", "[8]", "likely fix")) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void aReshapeThatCannotHoldTheValuesIsNamed() {
        Backend be = EveryBackend.get("scalar");
        assertMessageNames(ModelShapeException.class,
                () -> Sequential.builder(6).dense(6).reshape(4, 2).build(be, 1),
                "layer 1 (reshape)", "[6]", "[4, 2]");
    }

    @Test
    void aDenseLayerAfterAnUnflattenedInputSaysToFlatten() {
        Backend be = EveryBackend.get("scalar");
        assertMessageNames(ModelShapeException.class,
                () -> Sequential.builder(1, 28, 28).dense(10).build(be, 1),
                "layer 0 (dense)", "[1, 28, 28]", "flatten");
    }

    @Test
    void attentionAndLayerNormOfTheWrongWidthNameTheLayerBothShapesAndAFix() {
        Backend be = EveryBackend.get("scalar");
        assertMessageNames(ModelShapeException.class,
                () -> Sequential.builder(5, 6).add(new MultiheadAttention(8, 2)).build(be, 1),
                "layer 0 (multihead_attention)", "[steps, 8]", "[5, 6]", "embed_dim");
        assertMessageNames(ModelShapeException.class,
                () -> Sequential.builder(5, 6).add(new LayerNorm(4, 1e-5, true)).build(be, 1),
                "layer 0 (layer_norm)", "[..., 4]", "[5, 6]");
        assertMessageNames(ModelShapeException.class, () -> Sequential.builder(30).add(new MultiheadAttention(6, 2))
                .build(be, 1), "layer 0 (multihead_attention)", "[30]", "sequence");
        assertMessageNames(IllegalArgumentException.class, () -> new MultiheadAttention(8, 3), "num_heads 3",
                "embed_dim 8");
    }

    @OnEveryBackend
    void attentionAndLayerNormCalledDirectlyWithTheWrongWidthNameTheOperationAndBothShapes(String backend) {
        Backend be = EveryBackend.get(backend);
        MultiheadAttention attention = new MultiheadAttention(8, 2);
        attention.build(be, Shape.of(5, 8), 1);
        Tensor x = be.tensor(new float[2 * 5 * 6], 2, 5, 6);
        assertMessageNames(IllegalArgumentException.class, () -> attention.forward(x, false), "multihead_attention",
                "[2, 5, 6]", "[batch, 5, 8]");
        LayerNorm norm = new LayerNorm();
        norm.build(be, Shape.of(5, 8), 1);
        assertMessageNames(IllegalArgumentException.class, () -> norm.forward(x, false), "layer_norm", "[2, 5, 6]",
                "[batch, 5, 8]");
    }

    // ------------------------------------------------------------------ training and evaluation

    @OnEveryBackend
    void fitWithTheWrongFeatureCountNamesFitAndBothShapes(String backend) {
        Sequential model = twoInTwoOut(EveryBackend.get(backend));
        Dataset threeFeatures = Dataset.classification("three", new float[12], new int[] {3},
                new int[] {0, 1, 0, 1}, 2, List.of());
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .epochs(1).build();
        assertMessageNames(IllegalArgumentException.class, () -> trainer.fit(threeFeatures), "fit", "[3]", "[2]");
        assertMessageNames(IllegalArgumentException.class, () -> trainer.evaluate(threeFeatures),
                "evaluate", "[3]", "[2]");
    }

    @OnEveryBackend
    void fitWithTargetsOfTheWrongSizeNamesFitAndBothSizes(String backend) {
        Sequential model = twoInTwoOut(EveryBackend.get(backend));
        Dataset threeTargets = Dataset.regression("three targets", new float[8], new int[] {2}, new float[12], 3);
        Trainer trainer = Trainer.builder(model).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(1).build();
        assertMessageNames(IllegalArgumentException.class, () -> trainer.fit(threeTargets), "fit", "3", "[2]");
    }

    @OnEveryBackend
    void fitWithMoreClassesThanOutputsNamesFitAndBoth(String backend) {
        Sequential model = twoInTwoOut(EveryBackend.get(backend));
        Dataset fiveClasses = Dataset.classification("five", new float[8], new int[] {2},
                new int[] {0, 4, 2, 1}, 5, List.of());
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .epochs(1).build();
        assertMessageNames(IllegalArgumentException.class, () -> trainer.fit(fiveClasses), "fit", "5 classes", "[2]");
    }

    // ------------------------------------------------------------------ prediction

    @OnEveryBackend
    void predictWithTheWrongWidthNamesTheCallAndBothShapes(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = twoInTwoOut(be);
        float[] threeWide = new float[12];
        assertMessageNames(IllegalArgumentException.class, () -> model.predict(threeWide, 4), "predict", "[2]", "12");
        assertMessageNames(IllegalArgumentException.class, () -> model.predictProba(threeWide, 4),
                "predict", "[2]", "12");
        assertMessageNames(IllegalArgumentException.class, () -> model.predictClasses(threeWide, 4),
                "predict", "[2]", "12");
        Tensor x = be.tensor(threeWide, 4, 3);
        assertMessageNames(IllegalArgumentException.class, () -> model.predict(x), "predict", "[4, 3]", "[2]");
        assertMessageNames(IllegalArgumentException.class, () -> model.forward(x, false), "forward", "[4, 3]", "[2]");
    }

    @OnEveryBackend
    void aLayerCalledDirectlyWithTheWrongWidthNamesTheOperationAndBothShapes(String backend) {
        Backend be = EveryBackend.get(backend);
        Dense dense = new Dense(2, 4);
        dense.build(be, Shape.of(2), 1);
        Tensor x = be.tensor(new float[9], 3, 3);
        assertMessageNames(IllegalArgumentException.class, () -> dense.forward(x, false), "[3, 3]", "[4, 2]");
    }

    // ------------------------------------------------------------------ losses

    @OnEveryBackend
    void everyLossGivenTheWrongTargetShapeNamesItselfAndBothShapes(String backend) {
        Backend be = EveryBackend.get(backend);
        Tensor prediction = be.tensor(new float[] {0.2f, 0.4f, 0.6f, 0.8f, 0.3f, 0.7f}, 3, 2);
        Tensor target = be.tensor(new float[] {0, 1, 0, 1, 0, 1, 0, 1, 0}, 3, 3);
        List<Loss> losses = List.of(Losses.mse(), Losses.mae(), Losses.huber(1.0), Losses.binaryCrossEntropy(),
                Losses.binaryCrossEntropyWithLogits(), Losses.softmaxCrossEntropy(),
                Losses.softmaxCrossEntropy(0.1), Losses.smoothL1(1.0), Losses.nll(), Losses.klDiv(), Losses.poissonNll(),
                Losses.sigmoidFocal());
        for (Loss loss : losses) {
            assertMessageNames(IllegalArgumentException.class, () -> loss.forward(prediction, target),
                    loss.name(), "[3, 3]", "[3, 2]");
        }
    }

    // ------------------------------------------------------------------ weights

    @OnEveryBackend
    void loadingWeightsOfTheWrongShapeNamesTheTensorAndBothShapes(String backend) {
        Sequential model = twoInTwoOut(EveryBackend.get(backend));
        Map<String, float[]> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> state.put(k, v.toArray()));
        float[] before = model.stateDict().get("0.weight").toArray();
        state.put("0.weight", new float[24]);                     // [8, 3] instead of [8, 2]
        assertMessageNames(IllegalArgumentException.class, () -> model.loadStateDict(state),
                "loadStateDict", "0.weight", "[8, 2]", "24");
        assertTrue(java.util.Arrays.equals(before, model.stateDict().get("0.weight").toArray()),
                "a refused load leaves the model unchanged");
    }

    @Test
    void loadingAFileSavedFromAnotherArchitectureNamesTheFileTensorAndBothShapes(@TempDir Path dir)
            throws Exception {
        Backend be = EveryBackend.get("scalar");
        Path file = dir.resolve("wide.safetensors");
        ModelFile.save(Sequential.builder(3).dense(8).tanh().dense(2).build(be, 1), file);
        Sequential narrow = twoInTwoOut(be);
        assertMessageNames(ModelFormatException.class, () -> ModelFile.loadWeights(narrow, file),
                file.getFileName().toString(), "0.weight", "[8, 3]", "[8, 2]");
    }
}
