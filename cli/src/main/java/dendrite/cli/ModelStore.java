package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.SafeTensors;
import dendrite.tensor.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line's model files: nn-core's {@link ModelFile} layout (weights under PyTorch's
 * {@code nn.Sequential} names, the architecture in the metadata), plus the {@link ModelInfo}
 * that {@code eval} and {@code predict} need, in the same metadata. Any Dendrite model file
 * loads; one without the command line's extra keys gets {@link ModelInfo}'s defaults.
 */
final class ModelStore {
    private ModelStore() {
    }

    /** A model read back, with what the command line stored beside it. */
    record Loaded(Sequential model, ModelInfo info) {
    }

    /**
     * Writes the model atomically (an interrupted save leaves the old file, if any), with the
     * metadata {@link ModelFile#save} writes and the {@link ModelInfo}.
     */
    static void save(Path file, Sequential model, ModelInfo info) throws IOException {
        ModelFile.save(model, file, info.preprocessing(), info.toMetadata());
    }

    /**
     * Loads a model file onto {@code backend}; nn-core checks the file, the architecture and every
     * tensor's shape, and names the problem.
     */
    static Loaded load(Path file, Backend backend) throws IOException {
        requireFile(file);
        // Read once: the model and the metadata beside it come from the same bytes, even if the
        // file is replaced while this runs.
        SafeTensors.Contents contents = SafeTensors.read(file);
        Sequential model = ModelFile.load(contents, backend);
        ModelInfo info = ModelInfo.fromMetadata(contents.metadata(), file.toString(), ModelFile.preprocessing(contents));
        return new Loaded(model, info);
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(Files.exists(file) ? file + " is not a file" : "no such model file: " + file);
        }
    }
}
