package dendrite.nn.io;

import dendrite.nn.internal.Json;
import dendrite.nn.internal.JsonException;
import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Saves a {@link Sequential} model as one safetensors file that needs no code to load, and loads
 * it back, or loads weights trained in PyTorch.
 *
 * <pre>{@code
 * ModelFile.save(model, Path.of("mnist.safetensors"));
 * Sequential again = ModelFile.load(Path.of("mnist.safetensors"), Backends.get());
 * }</pre>
 *
 * <h2>What is in the file</h2>
 * The tensors of {@link Sequential#stateDict()} as F32, named as PyTorch's {@code nn.Sequential}
 * names them ({@code 0.weight}, {@code 0.bias}, {@code 1.running_mean}, ...), so
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} reads them into the matching
 * PyTorch model. The {@code __metadata__} holds {@code "format": "pt"} (which Hugging Face's
 * loaders expect), {@value #ARCHITECTURE_KEY} (the JSON of {@link Sequential#architecture()}) and
 * {@value #VERSION_KEY}.
 *
 * <h2>Safety</h2>
 * Saving is atomic ({@link SafeTensors#write(Path, List, Map)}): a crash leaves the old file or the new
 * one. Loading checks everything before it returns: the file itself ({@link SafeTensors#read}), that
 * the architecture describes layers whose shapes chain, that every tensor the model needs is there
 * with exactly the shape it needs, and that no other tensor is. Any problem is a {@link ModelFormatException} naming
 * the file and the tensor; a model is never returned half-loaded.
 *
 * <p>The tensor checks come <em>before</em> the model is built, against the shapes the architecture
 * declares ({@link Sequential.Builder#stateShapes()}): building allocates every weight, and the
 * architecture is just text in the header, so a damaged or hostile file could otherwise claim a
 * layer of terabytes and exhaust memory before its tensors were ever looked at. A file whose
 * architecture needs more values than the file holds is refused with both counts. (A custom layer
 * that does not declare its shapes is checked after building, as before.)
 */
public final class ModelFile {
    /** Metadata key of the architecture JSON. */
    public static final String ARCHITECTURE_KEY = "dendrite.architecture";
    /** Metadata key of this file layout's version. */
    public static final String VERSION_KEY = "dendrite.format_version";
    /** The version written, and the newest one read. */
    public static final int VERSION = 1;
    /** Metadata key saying what the file is: {@value #KIND_MODEL} or {@value CheckpointFile#KIND}. */
    public static final String KIND_KEY = "dendrite.kind";
    /** The {@value #KIND_KEY} value of a model file written by {@link #save}. */
    public static final String KIND_MODEL = "model";
    /**
     * PyTorch's BatchNorm counts its batches in an I64 buffer named {@code num_batches_tracked};
     * Dendrite does not need it (momentum is fixed), so such tensors are accepted and ignored.
     */
    static final String IGNORED_PYTORCH_BUFFER = "num_batches_tracked";

    private ModelFile() {
    }

    /**
     * Saves the model's architecture and weights to {@code file}, replacing it atomically.
     *
     * @param model the model to save; read, not changed
     * @param file the file to write; replaced atomically if it exists, its directory must exist
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalStateException if another thread is training the model
     */
    public static void save(Sequential model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Saves like {@link #save(Sequential, Path)}, with the application's own string pairs in the
     * file's metadata beside Dendrite's (how the data was scaled, class names, ...). Dendrite's keys
     * ({@code format} and those starting {@code dendrite.}) cannot be replaced.
     *
     * @param model the model to save; read, not changed
     * @param file the file to write; replaced atomically if it exists, its directory must exist
     * @param extraMetadata the application's own metadata pairs, copied into the header; not {@code null}, and no
     *        key may be {@code format} or start with {@code dendrite.}
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalArgumentException if {@code extraMetadata} uses a key reserved by Dendrite
     * @throws IllegalStateException if another thread is training the model
     */
    public static void save(Sequential model, Path file, Map<String, String> extraMetadata) throws IOException {
        save(model, file, Preprocessing.none(), extraMetadata);
    }

    /**
     * Saves the model with its {@link Preprocessing} (input scaling, class names), so that
     * {@link #loadSaved} in another program, or {@code dendrite predict}, treats new data as training did.
     *
     * @param model the model to save; read, not changed
     * @param file the file to write; replaced atomically if it exists, its directory must exist
     * @param preprocessing the input scaling and class names to keep with the model; {@link Preprocessing#none()}
     *        for none, not {@code null}
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalStateException if another thread is training the model
     */
    public static void save(Sequential model, Path file, Preprocessing preprocessing) throws IOException {
        save(model, file, preprocessing, Map.of());
    }

    /**
     * As {@link #save(Sequential, Path, Preprocessing)}, with the application's own string pairs too.
     *
     * @param model the model to save; read, not changed
     * @param file the file to write; replaced atomically if it exists, its directory must exist
     * @param preprocessing the input scaling and class names to keep with the model; {@link Preprocessing#none()}
     *        for none, not {@code null}
     * @param extraMetadata the application's own metadata pairs, copied into the header; not {@code null}, and no
     *        key may be {@code format} or start with {@code dendrite.}
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalArgumentException if {@code extraMetadata} uses a key reserved by Dendrite
     * @throws IllegalStateException if another thread is training the model
     */
    public static void save(Sequential model, Path file, Preprocessing preprocessing, Map<String, String> extraMetadata)
            throws IOException {
        Map<String, String> metadata = metadata(model, KIND_MODEL);
        metadata.putAll(preprocessing.toMetadata());
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (metadata.containsKey(e.getKey()) || e.getKey().startsWith("dendrite.")) {
                throw new IllegalArgumentException("model metadata key '" + e.getKey() + "' is reserved by Dendrite");
            }
            metadata.put(e.getKey(), e.getValue());
        }
        try (Sequential.TrainingLease held = ModelFile.holdForSaving(model)) {
            SafeTensors.write(file, entries(model.stateDict(), ""), metadata);
        }
    }

    /**
     * Loads a model with its {@link Preprocessing} ({@link Preprocessing#none()} when the file has
     * none, as a file from PyTorch), from one read of the file.
     *
     * @param file a model file written by {@link #save} or a {@link CheckpointFile}
     * @param backend the backend that will hold the model's weights
     * @return a new model with its preprocessing
     * @throws ModelFormatException as {@link #load(Path, Backend)} does, or naming a bad preprocessing value
     * @throws IOException if the file cannot be read
     */
    public static SavedModel loadSaved(Path file, Backend backend) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        return new SavedModel(load(contents, backend), preprocessing(contents));
    }

    /**
     * The {@link Preprocessing} in a file already read ({@link Preprocessing#none()} when it has none).
     *
     * @param contents a file read with {@link SafeTensors#read(Path)}
     * @return the preprocessing its metadata describes, or {@link Preprocessing#none()}
     * @throws ModelFormatException naming the file and the bad scaler or class-name value
     */
    public static Preprocessing preprocessing(SafeTensors.Contents contents) throws ModelFormatException {
        return Preprocessing.fromMetadata(contents.metadata(), contents.file());
    }

    /**
     * Loads a model saved by {@link #save} (or a {@link CheckpointFile}) onto {@code backend}.
     *
     * @param file a model file written by {@link #save} or a {@link CheckpointFile}; a checkpoint's optimizer
     *        state is skipped
     * @param backend the backend that will hold the model's weights
     * @return a new model, built from the file's architecture, with the file's weights
     * @throws ModelFormatException when the file is corrupt, has no architecture, or its tensors
     *                              do not fit the architecture (naming the tensor and both shapes)
     * @throws IOException if the file cannot be read
     */
    public static Sequential load(Path file, Backend backend) throws IOException {
        return load(SafeTensors.read(file), backend);
    }

    /**
     * Loads a model from a file already read with {@link SafeTensors#read(Path)}: one read gives the
     * model and the file's metadata (an application's own keys) together, so a file replaced
     * meanwhile cannot mix one file's weights with another's metadata.
     *
     * @param contents the file's contents, as read; the weights are copied out of them
     * @param backend the backend that will hold the model's weights
     * @return a new model, built from the file's architecture, with the file's weights
     * @throws ModelFormatException as {@link #load(Path, Backend)} does
     */
    public static Sequential load(SafeTensors.Contents contents, Backend backend) throws ModelFormatException {
        String ignored = otherTensorsPrefix(contents);
        Sequential.Builder layers = layers(contents);
        checkBeforeBuilding(layers, contents, ignored);
        Sequential model = build(layers, contents, backend);
        copyInto(model, contents, ignored);
        return model;
    }

    /** A checkpoint's optimizer tensors are not the model's: loading a model from it skips them. */
    private static String otherTensorsPrefix(SafeTensors.Contents c) {
        return CheckpointFile.KIND.equals(c.metadata().get(KIND_KEY)) ? CheckpointFile.OPTIMIZER_PREFIX : null;
    }

    /**
     * Loads weights into a model built in code, e.g. from a file PyTorch wrote with
     * {@code save_file(model.state_dict(), path)}: the names and shapes must be exactly the
     * model's. PyTorch's {@code num_batches_tracked} buffers are ignored.
     *
     * @param model the model whose weights (and normalisation statistics) are replaced
     * @param file a safetensors file with exactly the tensors of {@code model}'s {@link Sequential#stateDict()}
     * @throws ModelFormatException naming the file, the tensor and both shapes; the model is then unchanged
     * @throws IOException if the file cannot be read
     */
    public static void loadWeights(Sequential model, Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        copyInto(model, c, otherTensorsPrefix(c));
    }

    /**
     * The architecture stored in a model file, as parsed JSON (without loading the weights' model).
     *
     * @param file a model or checkpoint file written by Dendrite
     * @return the {@link Sequential#architecture()} JSON object as an unmodifiable map in the file's key order,
     *         with unmodifiable maps and lists for nested objects and arrays (numbers as {@code Long} or
     *         {@code Double})
     * @throws ModelFormatException if the file is corrupt, has no architecture or a newer layout version, or
     *         the architecture is not valid JSON
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Object> readArchitecture(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        return architecture(c);
    }

    // ------------------------------------------------------------------ shared with Checkpoint

    /**
     * Holds the model as training does while it is written: refused while another thread trains it
     * (its weights change between steps, so the file would match no step), and no other thread can
     * start training mid-write. The training thread itself may save (a nested hold).
     */
    static Sequential.TrainingLease holdForSaving(Sequential model) {
        try {
            return model.beginTraining();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("save: " + e.getMessage()
                    + "; save from the training thread (a Checkpointer or a TrainingListener) or after fit returns", e);
        }
    }

    static List<SafeTensors.Entry> entries(Map<String, Tensor> tensors, String prefix) {
        List<SafeTensors.Entry> list = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            list.add(SafeTensors.Entry.of(prefix + e.getKey(), e.getValue()));
        }
        return list;
    }

    static Map<String, String> metadata(Sequential model, String kind) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put(ARCHITECTURE_KEY, Json.write(model.architecture()));
        m.put(VERSION_KEY, Integer.toString(VERSION));
        m.put(KIND_KEY, kind);
        return m;
    }

    private static Map<String, Object> architecture(SafeTensors.Contents c) throws ModelFormatException {
        String json = c.metadata().get(ARCHITECTURE_KEY);
        if (json == null) {
            throw ModelFormatException.of(c.file(), "its metadata has no \"" + ARCHITECTURE_KEY
                    + "\", so it was not saved by Dendrite (PyTorch's save_file, for example, stores weights only);"
                    + " build the model in code and call ModelFile.loadWeights");
        }
        String version = c.metadata().getOrDefault(VERSION_KEY, "1");
        if (!version.equals(Integer.toString(VERSION))) {
            throw ModelFormatException.of(c.file(), "file layout version " + version + " is not supported (this Dendrite reads "
                    + VERSION + "); load it with a newer Dendrite");
        }
        try {
            return Json.parseObject(json);
        } catch (JsonException e) {
            throw ModelFormatException.of(c.file(), "the architecture in \"" + ARCHITECTURE_KEY + "\" is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    /** The architecture's layers, not yet built (nothing allocated). */
    private static Sequential.Builder layers(SafeTensors.Contents c) throws ModelFormatException {
        Map<String, Object> architecture = architecture(c);
        try {
            return Sequential.builderFromArchitecture(architecture);
        } catch (RuntimeException e) {
            // Whatever a malformed architecture makes the builder throw (unknown layer type, a string
            // where a number belongs) is a problem of this file.
            throw ModelFormatException.of(c.file(), "the architecture cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * Compares the shapes the architecture declares with the file's tensors while nothing is
     * allocated yet: first the total (so a layer claiming terabytes is named as such), then each
     * tensor by name, with the messages {@link #copyInto} gives. Does nothing when a layer does not
     * declare its shapes; {@link #copyInto} then checks after building.
     */
    private static void checkBeforeBuilding(Sequential.Builder layers, SafeTensors.Contents c, String ignoredPrefix)
            throws ModelFormatException {
        Optional<Map<String, int[]>> declared;
        try {
            declared = layers.stateShapes();
        } catch (RuntimeException e) {
            // Shapes that do not chain, or a dimension the layer refuses: as build() would report it.
            throw ModelFormatException.of(c.file(), "the architecture cannot be built: " + e.getMessage(), e);
        }
        if (declared.isEmpty()) {
            return;
        }
        long needed = 0;
        for (int[] shape : declared.get().values()) {
            needed = saturatingAdd(needed, elements(shape));
        }
        long held = 0;
        for (NamedTensor t : c.tensors().values()) {
            held += t.size();
        }
        if (needed > held) {
            throw ModelFormatException.of(c.file(), String.format(Locale.ROOT, "the architecture declares %,d weight"
                    + " values (%s as float32) but the file holds only %,d; refused before allocating anything",
                    needed, bytes(needed), held));
        }
        checkTensors(declared.get(), c, ignoredPrefix);
    }

    /** The number of elements of a shape, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    private static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                return Long.MAX_VALUE;
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code n} float32 values in binary units, e.g. {@code 4.0 TiB}. */
    private static String bytes(long n) {
        double b = n >= Long.MAX_VALUE / 4 ? Double.POSITIVE_INFINITY : n * 4.0;
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? (long) b + " bytes" : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }

    private static Sequential build(Sequential.Builder layers, SafeTensors.Contents c, Backend backend)
            throws ModelFormatException {
        try {
            // The seed does not matter: every weight is overwritten from the file.
            return layers.build(backend, 0L);
        } catch (RuntimeException e) {
            // Shapes that do not chain, a hyperparameter a layer refuses when it is built.
            throw ModelFormatException.of(c.file(), "the architecture cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * Checks every name and shape first, then copies: the model is unchanged unless all fit.
     *
     * @param ignoredPrefix file tensors with this prefix belong to something else (a checkpoint's optimizer), or null
     */
    static void copyInto(Sequential model, SafeTensors.Contents c, String ignoredPrefix) throws ModelFormatException {
        Map<String, int[]> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            expected.put(e.getKey(), e.getValue().shape().dims());
        }
        model.loadStateDict(checkTensors(expected, c, ignoredPrefix));
    }

    /**
     * Why a tensor's values cannot be a trained model's, or null: a NaN or an infinity (a float64 value
     * beyond float32's range becomes one), or a negative variance in a normalisation layer's running
     * statistics. Loading such a file would make every prediction NaN without a word.
     */
    private static String impossibleValue(String name, NamedTensor t) {
        float[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return "value " + i + " is " + v[i] + (t.dtype() == DType.F32 ? ""
                        : " (as float32; the file's " + t.dtype() + " value is beyond float32's range)")
                        + ": a model's weights must be finite";
            }
        }
        if (name.endsWith(".running_var")) {
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0) {
                    return "value " + i + " is " + v[i] + ": a running variance cannot be negative";
                }
            }
        }
        return null;
    }

    /**
     * Checks that the file holds exactly the {@code expected} tensors (names and shapes; tensors under
     * {@code ignoredPrefix} and PyTorch's {@code num_batches_tracked} aside), reporting up to six
     * problems in one exception.
     *
     * @return the values by name, ready for {@link Sequential#loadStateDict}
     */
    private static Map<String, float[]> checkTensors(Map<String, int[]> expected, SafeTensors.Contents c,
            String ignoredPrefix) throws ModelFormatException {
        List<ModelFormatException> problems = new ArrayList<>();
        Map<String, float[]> values = new HashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            NamedTensor t = c.tensor(e.getKey());
            int[] want = e.getValue();
            if (t == null) {
                problems.add(ModelFormatException.ofTensor(c.file(), e.getKey(), "missing; the architecture needs it with shape "
                        + Arrays.toString(want)));
            } else if (!Arrays.equals(t.shape(), want)) {
                problems.add(ModelFormatException.ofTensor(c.file(), e.getKey(), "shape " + Arrays.toString(t.shape())
                        + " in the file does not fit the architecture, which needs " + Arrays.toString(want)));
            } else {
                String bad = impossibleValue(e.getKey(), t);
                if (bad != null) {
                    problems.add(ModelFormatException.ofTensor(c.file(), e.getKey(), bad));
                } else {
                    values.put(e.getKey(), t.values());
                }
            }
        }
        for (String name : c.tensors().keySet()) {
            boolean ignored = (ignoredPrefix != null && name.startsWith(ignoredPrefix))
                    || name.endsWith("." + IGNORED_PYTORCH_BUFFER);
            if (!expected.containsKey(name) && !ignored) {
                problems.add(ModelFormatException.ofTensor(c.file(), name, "unexpected: the architecture has no such tensor"
                        + " (it expects " + String.join(", ", expected.keySet()) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            ModelFormatException first = problems.get(0);
            if (problems.size() == 1) {
                throw first;
            }
            StringBuilder more = new StringBuilder(first.problem()).append("; also");
            for (int i = 1; i < Math.min(problems.size(), 6); i++) {
                ModelFormatException p = problems.get(i);
                more.append(i > 1 ? "," : "").append(" \"").append(p.tensor()).append("\": ").append(p.problem());
            }
            if (problems.size() > 6) {
                more.append(" and ").append(problems.size() - 6).append(" more");
            }
            throw ModelFormatException.ofTensor(c.file(), first.tensor(), more.toString());
        }
        return values;
    }
}
