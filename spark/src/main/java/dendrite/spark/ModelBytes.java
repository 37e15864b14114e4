package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.SafeTensors;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model as Spark ships it to tasks: its model file's bytes (the architecture and every weight),
 * which a task turns back into its own copy on its own backend.
 */
final class ModelBytes {
    private ModelBytes() {
    }

    /** The model file of {@code model}, as bytes. */
    static byte[] of(Sequential model) {
        try {
            Path file = Files.createTempFile("dendrite-spark-model", ".safetensors");
            try {
                ModelFile.save(model, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spark: cannot write the model as a model file: " + e.getMessage(), e);
        }
    }

    /** A copy of the model in {@code bytes}, on the named backend (null: the best this JVM has). */
    static Sequential load(byte[] bytes, String backend) {
        Backend be = backend == null ? Backends.get() : Backends.get(backend);
        try {
            return ModelFile.load(SafeTensors.read(bytes, "the driver's model"), be);
        } catch (IOException e) {
            throw new UncheckedIOException("spark: the driver's model cannot be read back: " + e.getMessage(), e);
        }
    }
}
