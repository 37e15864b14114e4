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
