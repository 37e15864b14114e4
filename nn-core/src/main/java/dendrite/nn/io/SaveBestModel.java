package dendrite.nn.io;

import dendrite.nn.Sequential;
import dendrite.nn.train.EarlyStopping;
import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Saves the model to a file after each epoch that improves a monitored metric, so the file always
 * holds the best model seen, whatever later epochs do and even if training is stopped (Keras's
 * {@code ModelCheckpoint(save_best_only=True)}). Each save is a {@link ModelFile#save} and so atomic:
 * the file is the previous best or the new one, never a mix.
 *
 * <pre>{@code
 * Trainer.builder(model).validationData(val).listener(new SaveBestModel(Path.of("best.safetensors"), "val_loss"))
 * }</pre>
 * Whether higher is better follows the metric's name, as for {@link EarlyStopping#maximizes()}. With
 * an exponential moving average of the weights, the model saved is the average, the one validated.
 */
public final class SaveBestModel implements TrainingListener {
    private final Path file;
    private final EarlyStopping rule;
    private final Preprocessing preprocessing;
    private Sequential model;
    private double best = Double.NaN;
    private int bestEpoch = -1;

    /**
     * Saves to {@code file} whenever {@code metric} improves.
     *
     * @param file the model file, replaced at each improvement
     * @param metric a metric of the epoch's {@link dendrite.nn.train.History}, e.g. {@code val_loss},
     *        {@code val_accuracy}
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if {@code metric} is null or blank
     */
    public SaveBestModel(Path file, String metric) {
        this(file, metric, null);
    }

    /**
     * Saves to {@code file}, with what prediction needs, whenever {@code metric} improves.
     *
     * @param file the model file, replaced at each improvement
     * @param metric a metric of the epoch's history, e.g. {@code val_loss}
     * @param preprocessing the scaler and class names to save with the model, or null for none
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if {@code metric} is null or blank
     */
    public SaveBestModel(Path file, String metric, Preprocessing preprocessing) {
        this.file = Objects.requireNonNull(file, "save best model: file is null");
        this.rule = EarlyStopping.monitor(metric);
        this.preprocessing = preprocessing;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        model = trainer.model();
    }

    /**
     * Saves the model if this epoch's metric beats the best so far.
     *
     * @throws IllegalStateException if the epoch has no such metric (naming those it has)
     * @throws UncheckedIOException if the file cannot be written; training stops
     */
    @Override
    public void onEpochEnd(EpochEvent e) {
        Double value = e.metrics().get(rule.metric());
        if (value == null) {
            throw new IllegalStateException("save best model: epoch " + e.epoch() + " has no metric '" + rule.metric()
                    + "'; it has " + e.metrics().keySet() + " (val_ metrics need validation data)");
        }
        if (!Double.isNaN(value) && (Double.isNaN(best) || (rule.maximizes() ? value > best : value < best))) {
            try {
                if (preprocessing == null) {
                    ModelFile.save(model, file);
                } else {
                    ModelFile.save(model, file, preprocessing);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("save best model: cannot write " + file, ex);
            }
            best = value;
            bestEpoch = e.epoch();
        }
    }

    /**
     * The epoch whose model the file holds.
     *
     * @return the epoch, from 0, or -1 before any was saved
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * The best value of the metric so far.
     *
     * @return the value saved with the file, or NaN before any was saved
     */
    public double bestValue() {
        return best;
    }
}
