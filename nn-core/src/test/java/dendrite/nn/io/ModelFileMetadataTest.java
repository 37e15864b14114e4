package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileMetadataTest {

    @Test
    void applicationMetadataIsStoredBesideTheArchitecture(@TempDir Path dir) throws Exception {
        Sequential model = Sequential.builder(3).dense(2).build(TestBackend.get(), 1);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(model, file, Map.of("app.scaler", "standard", "app.classes", "a\nb"));

        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertEquals("standard", meta.get("app.scaler"));
        assertEquals("a\nb", meta.get("app.classes"));
        assertTrue(meta.containsKey(ModelFile.ARCHITECTURE_KEY));
        assertEquals(model.parameterCount(), ModelFile.load(file, TestBackend.get()).parameterCount());
    }

    /** A regression saved with its target scaler predicts in the target's units when loaded. */
    @Test
    void aTargetScalerIsSavedAndPredictionsComeBackInTheTargetsUnits(@TempDir Path dir) throws Exception {
        dendrite.nn.data.Dataset data = dendrite.nn.data.Synthetic.serverLoad(40, 2.5, 5);
        dendrite.nn.data.Scaler inputs = dendrite.nn.data.Scaler.standardize(data);
        dendrite.nn.data.Scaler targets = dendrite.nn.data.Scaler.standardizeTargets(data);
        Sequential model = Sequential.builder(4).dense(3).tanh().dense(1).build(TestBackend.get(), 2);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(model, file, Preprocessing.forRegression(inputs, targets));

        SavedModel saved = ModelFile.loadSaved(file, TestBackend.get());
        assertEquals(targets.toMap(), saved.preprocessing().targetScaler().toMap());
        float[] expected = targets.inverseTransform(model.predict(inputs.transform(data.features()), data.size()));
        float[] actual = saved.predict(data.features(), data.size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 0f);
        assertTrue(SafeTensors.read(file).metadata().containsKey(Preprocessing.TARGET_SCALER_PREFIX + "offset"));
    }

    @Test
    void dendritesOwnKeysCannotBeReplaced(@TempDir Path dir) {
        Sequential model = Sequential.builder(3).dense(2).build(TestBackend.get(), 1);
        Path file = dir.resolve("m.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(model, file, Map.of(ModelFile.ARCHITECTURE_KEY, "{}")));
        assertTrue(e.getMessage().contains(ModelFile.ARCHITECTURE_KEY), e.getMessage());
        assertFalse(Files.exists(file), "nothing is written when the metadata is refused");
    }
}
