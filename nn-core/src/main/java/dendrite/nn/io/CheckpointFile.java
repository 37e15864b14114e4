package dendrite.nn.io;

import dendrite.nn.internal.Json;
import dendrite.nn.internal.JsonException;
import dendrite.nn.Sequential;
import dendrite.nn.optim.LearningRateSchedule;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.train.Checkpointer;
import dendrite.nn.train.History;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Saves and restores everything needed to resume training: the model (as a {@link ModelFile},
 * so a checkpoint also loads as a plain model), the optimizer's state tensors, its step count, the
 * state of its learning-rate schedule, where each layer's random stream stands (dropout masks), and
 * the epoch.
 *
 * <pre>{@code
 * CheckpointFile.save(path, model, optimizer, epochsDone, Map.of("best_val_loss", "0.31"));
 * ...
 * CheckpointFile.Progress p = CheckpointFile.restore(path, model, optimizer);   // same architecture and optimizer type
 * // continue with epoch p.epochsCompleted()
 * }</pre>
 *
 * <h2>What is in the file</h2>
 * The model's tensors as in {@link ModelFile}; each optimizer state tensor as
 * {@code optim.<parameter>.<slot>} (e.g. {@code optim.0.weight.exp_avg}); in the metadata,
 * {@value #EPOCHS_KEY}, {@value #STEP_KEY}, {@value #OPTIMIZER_KEY} (the optimizer's config as JSON),
 * the learning-rate schedule's {@link LearningRateSchedule#state() state} as
 * {@code dendrite.schedule.<name>} (e.g. reduce-on-plateau's {@code dendrite.schedule.scale}; a pure
 * schedule has none, being a function of the restored step and epoch), the model's
 * {@link Sequential#randomState() random state} as {@code dendrite.random.<layer>.<name>} (a Dropout's
 * seed and pass counter: its masks are counter-based, so these two longs let a resumed run draw the
 * masks an uninterrupted one would) and any caller extras as {@code dendrite.extra.<key>}. Numbers are written with {@link Double#toString}, which reads back
 * to the same bits (infinities included), so a resumed schedule decides exactly as the saved one.
 *
 * <p>Saving is atomic; restoring checks every tensor name and shape, the optimizer type, the
 * schedule's state and the random state before it changes anything.
 */
public final class CheckpointFile {
    /** The {@value ModelFile#KIND_KEY} of a checkpoint. */
    public static final String KIND = "checkpoint";
    /** Prefix of the optimizer's state tensors. */
    public static final String OPTIMIZER_PREFIX = "optim.";
    /** Metadata key of the number of completed epochs, a decimal integer. */
    public static final String EPOCHS_KEY = "dendrite.epochs_completed";
    /** Metadata key of the optimizer's step count, a decimal integer. */
    public static final String STEP_KEY = "dendrite.step";
    /** Metadata key of the optimizer's config as a JSON object; its {@code name} must match on restore. */
    public static final String OPTIMIZER_KEY = "dendrite.optimizer";
    private static final String EXTRA_PREFIX = "dendrite.extra.";
    /** Prefix of the learning-rate schedule's state in the metadata. */
    public static final String SCHEDULE_PREFIX = "dendrite.schedule.";
    /** Prefix of the model's random state (dropout seeds and counters) in the metadata. */
    public static final String RANDOM_PREFIX = "dendrite.random.";
    /**
     * Metadata prefix of a parameter's own step count where it differs from the global one (a parameter
     * unfrozen after training began): {@code dendrite.parameter_step.0.weight}.
     */
    public static final String PARAMETER_STEP_PREFIX = "dendrite.parameter_step.";
    /** The extra under which {@link #saver} keeps the training history so far, as JSON. */
    public static final String HISTORY_EXTRA = "history";

    private CheckpointFile() {
    }

    /**
     * Where training stood: epochs completed, optimizer steps taken, and the caller's extras.
     *
     * @param epochsCompleted the number of finished epochs, {@code >= 0}; training resumes with this epoch index
     * @param step the number of optimizer steps taken so far, {@code >= 0}
     * @param extra the caller's strings saved with the checkpoint, by key without the {@code dendrite.extra.}
     *        prefix (including {@value #HISTORY_EXTRA} when {@link #saver} wrote it); may be empty
     */
    public record Progress(int epochsCompleted, long step, Map<String, String> extra) {
        /**
         * Creates a progress record, keeping an unmodifiable copy of {@code extra}.
         *
         * @throws NullPointerException if {@code extra}, or one of its keys or values, is {@code null}
         */
        public Progress {
            extra = Map.copyOf(extra);
        }
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param file            the file to write; replaced atomically if it exists, its directory must exist
     * @param model           the model whose architecture and weights are saved; not changed
     * @param optimizer       the optimizer whose state tensors, step count, config and schedule state are saved
     * @param epochsCompleted the number of finished epochs (training resumes with this epoch index), {@code >= 0}
     * @param extra           strings to keep (best metric so far, a note); may be empty, not {@code null}
     * @throws IOException if the file cannot be written; the old file, if any, is then left as it was
     * @throws IllegalArgumentException if {@code epochsCompleted} is negative (nothing is written)
     * @throws IllegalStateException if another thread is training the model
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, int epochsCompleted,
            Map<String, String> extra) throws IOException {
        if (epochsCompleted < 0) {
            throw new IllegalArgumentException("checkpoint " + file + ": epochs completed must be at least 0, got "
                    + epochsCompleted);
        }
        try (Sequential.TrainingLease held = ModelFile.holdForSaving(model)) {
            write(file, model, optimizer, epochsCompleted, extra);
        }
    }

    private static void write(Path file, Sequential model, Optimizer optimizer, int epochsCompleted,
            Map<String, String> extra) throws IOException {
        List<SafeTensors.Entry> entries = new ArrayList<>(ModelFile.entries(model.stateDict(), ""));
        entries.addAll(ModelFile.entries(optimizer.state(), OPTIMIZER_PREFIX));
        Map<String, String> meta = ModelFile.metadata(model, KIND);
        meta.put(EPOCHS_KEY, Integer.toString(epochsCompleted));
        meta.put(STEP_KEY, Long.toString(optimizer.stepCount()));
        meta.put(OPTIMIZER_KEY, Json.write(optimizer.config()));
        for (Map.Entry<String, Long> e : optimizer.parameterSteps().entrySet()) {
            if (e.getValue() != optimizer.stepCount()) {
                meta.put(PARAMETER_STEP_PREFIX + e.getKey(), Long.toString(e.getValue()));
            }
        }
        for (Map.Entry<String, Double> e : optimizer.schedule().state().entrySet()) {
            meta.put(SCHEDULE_PREFIX + e.getKey(), Double.toString(e.getValue()));
        }
        for (Map.Entry<String, Long> e : model.randomState().entrySet()) {
            meta.put(RANDOM_PREFIX + e.getKey(), Long.toString(e.getValue()));
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            meta.put(EXTRA_PREFIX + e.getKey(), e.getValue());
        }
        SafeTensors.write(file, entries, meta);
    }

    /**
     * A {@link Checkpointer} for {@code Trainer.Builder.checkpointEvery} that writes the trainer's
     * checkpoints to {@code file} (each replacing the last, atomically). A {@code {epoch}} in the
     * file name is replaced by the number of completed epochs, to keep one file per checkpoint.
     * The history so far is kept as the extra {@value #HISTORY_EXTRA} (JSON, see {@link Progress#extra()}).
     *
     * <pre>{@code
     * Trainer.builder(model).checkpointEvery(5, CheckpointFile.saver(Path.of("run/ckpt-{epoch}.safetensors")))
     * }</pre>
     *
     * @param file the checkpoint file, whose file name may contain {@code {epoch}}; its directory must exist
     * @return a new checkpointer that calls {@link #save} with the trainer's model, optimizer and epoch count
     */
    public static Checkpointer saver(Path file) {
        String pattern = file.getFileName().toString();
        return checkpoint -> {
            Path target = pattern.contains("{epoch}")
                    ? file.resolveSibling(pattern.replace("{epoch}", Integer.toString(checkpoint.epochsCompleted())))
                    : file;
            Map<String, String> extra = checkpoint.history() == null ? Map.of()
                    : Map.of(HISTORY_EXTRA, historyJson(checkpoint.history()));
            save(target, checkpoint.model(), checkpoint.optimizer(), checkpoint.epochsCompleted(), extra);
        };
    }

    /** The history as a JSON array of {@code {"epoch": e, "loss": ..., ...}}; NaN and infinities become null. */
    static String historyJson(History history) {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", history.epochs().get(i));
            for (Map.Entry<String, Double> m : history.epoch(i).entrySet()) {
                Double v = m.getValue();
                row.put(m.getKey(), v == null || !Double.isFinite(v) ? null : v);
            }
            rows.add(row);
        }
        return Json.write(rows);
    }

    /**
     * Restores a checkpoint into a model and optimizer built in code the same way as the saved
     * ones: weights, optimizer state, step count, epoch, the state of the optimizer's schedule and
     * the model's random state (a checkpoint written before these were saved leaves them as they are).
     *
     * @param file      a checkpoint written by {@link #save} or {@link #saver}
     * @param model     a model of the saved architecture, built in code; its weights and random state are replaced
     * @param optimizer an optimizer of the saved type; its state, step count, epoch and schedule state are replaced
     * @return where training stood
     * @throws ModelFormatException when the file is corrupt, or its tensors, shapes, optimizer type,
     *                              schedule state or random state do not match; the model and optimizer
     *                              are then unchanged
     * @throws IOException if the file cannot be read
     */
    public static Progress restore(Path file, Sequential model, Optimizer optimizer) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        String name = c.file();
        if (!KIND.equals(c.metadata().get(ModelFile.KIND_KEY))) {
            throw ModelFormatException.of(name, "not a checkpoint (its metadata has no \"" + ModelFile.KIND_KEY + "\": \""
                    + KIND + "\"); load it with ModelFile.load or ModelFile.loadWeights");
        }
        int epochs = (int) number(c, EPOCHS_KEY, Integer.MAX_VALUE);
        long step = number(c, STEP_KEY, Long.MAX_VALUE);
        checkOptimizerType(c, optimizer);

        Map<String, float[]> optimizerValues = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = Map.of();
        boolean savedAnyState = c.tensors().keySet().stream().anyMatch(n -> n.startsWith(OPTIMIZER_PREFIX));
        if (savedAnyState) {
            optimizer.initializeState(model.namedParameters());
            optimizerState = optimizer.state();
            checkOptimizerTensors(c, optimizerState, optimizerValues);
        }
        Map<String, Long> parameterSteps = prefixed(c, PARAMETER_STEP_PREFIX, Long::parseLong, "a whole number");
        for (Map.Entry<String, Long> e : parameterSteps.entrySet()) {
            if (e.getValue() < 0 || !optimizer.parameterSteps().containsKey(e.getKey())) {
                throw ModelFormatException.of(name, "checkpoint metadata \"" + PARAMETER_STEP_PREFIX + e.getKey()
                        + "\" is " + e.getValue() + (e.getValue() < 0 ? ", below 0"
                        : ", but the optimizer has no state for '" + e.getKey() + "'"));
            }
        }
        Map<String, Double> scheduleState = scheduleState(c);
        LearningRateSchedule schedule = optimizer.schedule();
        Map<String, Double> scheduleBefore = schedule.state();
        if (!scheduleState.isEmpty()) {
            try {
                schedule.restoreState(scheduleState);      // checks, then writes (or throws, unchanged)
            } catch (IllegalArgumentException e) {
                throw ModelFormatException.of(name, "the learning-rate schedule's state in the checkpoint does not fit"
                        + " the optimizer's schedule " + schedule + ": " + e.getMessage(), e);
            }
        }
        Map<String, Long> randomState = randomState(c);
        Map<String, Long> randomBefore = model.randomState();
        try {
            if (!randomState.isEmpty()) {
                try {
                    model.restoreRandomState(randomState);     // checks, then writes (or throws, unchanged)
                } catch (IllegalArgumentException e) {
                    throw ModelFormatException.of(name, "the random state in the checkpoint does not fit the model: "
                            + e.getMessage(), e);
                }
            }
            ModelFile.copyInto(model, c, OPTIMIZER_PREFIX);   // checks, then writes the weights
        } catch (ModelFormatException e) {
            // Unchanged, as promised: undo what was restored before the failing check.
            if (!scheduleState.isEmpty()) {
                schedule.restoreState(scheduleBefore);
            }
            if (!randomState.isEmpty() && !model.randomState().equals(randomBefore)) {
                model.restoreRandomState(randomBefore);
            }
            throw e;
        }
        for (Map.Entry<String, Tensor> e : optimizerState.entrySet()) {
            e.getValue().copyFrom(optimizerValues.get(e.getKey()));
        }
        optimizer.setStepCount(step);
        optimizer.setParameterSteps(parameterSteps);
        optimizer.setEpoch(epochs);

        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (e.getKey().startsWith(EXTRA_PREFIX)) {
                extra.put(e.getKey().substring(EXTRA_PREFIX.length()), e.getValue());
            }
        }
        return new Progress(epochs, step, extra);
    }

    /** The {@value #SCHEDULE_PREFIX} entries of the metadata, parsed; empty when there are none. */
    private static Map<String, Double> scheduleState(SafeTensors.Contents c) throws ModelFormatException {
        return prefixed(c, SCHEDULE_PREFIX, Double::parseDouble, "a number");
    }

    /** The {@value #RANDOM_PREFIX} entries of the metadata, parsed; empty when there are none. */
    private static Map<String, Long> randomState(SafeTensors.Contents c) throws ModelFormatException {
        return prefixed(c, RANDOM_PREFIX, Long::parseLong, "a whole number");
    }

    /** The metadata entries under {@code prefix}, without it, their values parsed; a bad value names the key. */
    private static <T> Map<String, T> prefixed(SafeTensors.Contents c, String prefix, Function<String, T> parse,
            String kind) throws ModelFormatException {
        Map<String, T> state = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                try {
                    state.put(e.getKey().substring(prefix.length()), parse.apply(e.getValue()));
                } catch (NumberFormatException x) {
                    throw ModelFormatException.of(c.file(), "checkpoint metadata \"" + e.getKey() + "\" is \""
                            + e.getValue() + "\", not " + kind);
                }
            }
        }
        return state;
    }

    private static long number(SafeTensors.Contents c, String key, long max) throws ModelFormatException {
        String v = c.metadata().get(key);
        if (v == null) {
            throw ModelFormatException.of(c.file(), "checkpoint metadata has no \"" + key + "\"");
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ModelFormatException.of(c.file(), "checkpoint metadata \"" + key + "\" is \"" + v
                    + "\", not a count between 0 and " + max);
        }
    }

    private static void checkOptimizerType(SafeTensors.Contents c, Optimizer optimizer) throws ModelFormatException {
        String json = c.metadata().get(OPTIMIZER_KEY);
        Object saved;
        try {
            saved = json == null ? null : Json.parseObject(json).get("name");
        } catch (JsonException e) {
            throw ModelFormatException.of(c.file(), "checkpoint metadata \"" + OPTIMIZER_KEY + "\" is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (saved == null) {
            throw ModelFormatException.of(c.file(), "checkpoint metadata has no optimizer name in \"" + OPTIMIZER_KEY + "\"");
        }
        if (!saved.equals(optimizer.name())) {
            throw ModelFormatException.of(c.file(), "the checkpoint holds the state of optimizer \"" + saved
                    + "\", not of the \"" + optimizer.name() + "\" given to restore it into");
        }
    }

    private static void checkOptimizerTensors(SafeTensors.Contents c, Map<String, Tensor> state,
            Map<String, float[]> into) throws ModelFormatException {
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String fileName = OPTIMIZER_PREFIX + e.getKey();
            NamedTensor t = c.tensor(fileName);
            int[] want = e.getValue().shape().dims();
            if (t == null) {
                throw ModelFormatException.ofTensor(c.file(), fileName, "missing; the optimizer needs it with shape "
                        + Arrays.toString(want));
            }
            if (!Arrays.equals(t.shape(), want)) {
                throw ModelFormatException.ofTensor(c.file(), fileName, "shape " + Arrays.toString(t.shape())
                        + " in the file does not fit the optimizer's state, which needs " + Arrays.toString(want));
            }
            into.put(e.getKey(), t.values());
        }
        for (String n : c.tensors().keySet()) {
            if (n.startsWith(OPTIMIZER_PREFIX) && !state.containsKey(n.substring(OPTIMIZER_PREFIX.length()))) {
                throw ModelFormatException.ofTensor(c.file(), n, "unexpected: the optimizer has no such state");
            }
        }
    }
}
