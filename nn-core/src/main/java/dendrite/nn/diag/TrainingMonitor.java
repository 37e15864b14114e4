package dendrite.nn.diag;

import dendrite.nn.Sequential;
import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A training listener that warns about the usual ways training goes wrong:
 * <ul>
 *   <li><b>vanishing gradients</b>: a layer's gradient norm below {@link #vanishingBelow} (1e-7
 *       by default): it has stopped learning (saturated sigmoids or tanhs, dead ReLUs, a too
 *       deep stack without normalization);</li>
 *   <li><b>exploding gradients</b>: the global gradient norm above {@link #explodingAbove} (1e3 by
 *       default), or not finite (a learning rate too high, no gradient clipping);</li>
 *   <li><b>overfitting</b>: validation loss rose from one epoch to the next while training loss fell.</li>
 * </ul>
 * Warnings go to a callback, by default a WARNING through {@link System.Logger}; {@link #warnings()}
 * keeps them all. Each kind is reported at most once per epoch and layer, so a long stall does
 * not flood the log.
 *
 * <pre>{@code
 * TrainingMonitor monitor = new TrainingMonitor().checkEvery(10).onWarning(w -> System.err.println(w));
 * Trainer.builder(model).listener(monitor)...build().fit(train);
 * }</pre>
 *
 * <p>Gradients are read after each checked step's optimizer update, i.e. after clipping if
 * clipping is on. A check copies every gradient to the host, so {@link #checkEvery} trades
 * detail for speed (every 10th step by default).
 */
public final class TrainingMonitor implements TrainingListener {
    private static final System.Logger LOG = System.getLogger(TrainingMonitor.class.getName());

    private double vanishingBelow = 1e-7;
    private double explodingAbove = 1e3;
    private int checkEvery = 10;
    private Consumer<TrainingWarning> callback = w -> LOG.log(Level.WARNING, w.message());

    private Sequential model;
    private final List<TrainingWarning> warnings = new ArrayList<>();
    private final Set<String> reportedThisEpoch = new HashSet<>();
    private int currentEpoch = -1;
    private double previousLoss = Double.NaN;
    private double previousValLoss = Double.NaN;

    /** Watches the model of the {@link Trainer} it is given as a listener. */
    public TrainingMonitor() {
    }

    /** Watches {@code model}; for use without a {@link Trainer}, calling the listener methods yourself. */
    public TrainingMonitor(Sequential model) {
        this.model = model;
    }

    /** A layer whose gradient norm is below this has vanishing gradients (default 1e-7). */
    public TrainingMonitor vanishingBelow(double threshold) {
        this.vanishingBelow = threshold;
        return this;
    }

    /** A global gradient norm above this is exploding (default 1e3). */
    public TrainingMonitor explodingAbove(double threshold) {
        this.explodingAbove = threshold;
        return this;
    }

    /** Checks the gradients every {@code n}-th step (default 10; 1 checks every step). */
    public TrainingMonitor checkEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("TrainingMonitor.checkEvery: must be at least 1, got " + n);
        }
        this.checkEvery = n;
        return this;
    }

    /** Where warnings go instead of the logger. */
    public TrainingMonitor onWarning(Consumer<TrainingWarning> callback) {
        this.callback = callback;
        return this;
    }

    /** Every warning so far, oldest first. */
    public List<TrainingWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        model = trainer.model();
        previousLoss = Double.NaN;
        previousValLoss = Double.NaN;
    }

    @Override
    public void onStepEnd(StepEvent step) {
        if (model == null || step.globalStep() % checkEvery != 0) {
            return;
        }
        checkGradients(step.epoch(), step.globalStep());
    }

    /** Checks the model's current gradients now (what {@link #onStepEnd} does on a checked step). */
    public void checkGradients(int epoch, long step) {
        if (epoch != currentEpoch) {
            currentEpoch = epoch;
            reportedThisEpoch.clear();
        }
        List<GradientStats> grads = Diagnostics.gradients(model);
        double sumSq = 0;
        for (GradientStats g : grads) {
            sumSq += g.norm() * g.norm();
            if (g.norm() < vanishingBelow) {
                warn(new TrainingWarning(TrainingWarning.Kind.VANISHING_GRADIENT, epoch, step, g.layer(),
                        String.format(Locale.ROOT, "vanishing gradients at step %d (epoch %d): layer %d (%s) has gradient"
                                + " norm %.3g, below %.3g; it has almost stopped learning. Look for saturated sigmoid/tanh"
                                + " or dead ReLU units (Diagnostics.activations), try ReLU-family activations with He"
                                + " initialization, batch normalization, or a higher learning rate",
                                step, epoch, g.layer(), g.type(), g.norm(), vanishingBelow)));
            }
        }
        double global = Math.sqrt(sumSq);
        if (!(global <= explodingAbove)) {   // also true for NaN
            int worst = -1;
            double worstNorm = -1;
            for (GradientStats g : grads) {
                if (!(g.norm() <= worstNorm)) {
                    worst = g.layer();
                    worstNorm = g.norm();
                }
            }
            warn(new TrainingWarning(TrainingWarning.Kind.EXPLODING_GRADIENT, epoch, step, -1,
                    String.format(Locale.ROOT, "exploding gradients at step %d (epoch %d): global gradient norm %.3g,"
                            + " above %.3g (largest in layer %d, %.3g). Lower the learning rate or clip gradients"
                            + " (optimizer.clipGradNorm(1.0))", step, epoch, global, explodingAbove, worst, worstNorm)));
        }
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        Double loss = event.metrics().get("loss");
        Double valLoss = event.metrics().get("val_loss");
        if (loss != null && valLoss != null && !Double.isNaN(previousValLoss)
                && valLoss > previousValLoss && loss < previousLoss) {
            warn(new TrainingWarning(TrainingWarning.Kind.OVERFITTING, event.epoch(), 0, -1,
                    String.format(Locale.ROOT, "possible overfitting at epoch %d: validation loss rose %.4g -> %.4g while"
                            + " training loss fell %.4g -> %.4g. Consider early stopping (restoring the best weights),"
                            + " dropout, weight decay or more data", event.epoch(), previousValLoss, valLoss,
                            previousLoss, loss)));
        }
        previousLoss = loss == null ? Double.NaN : loss;
        previousValLoss = valLoss == null ? Double.NaN : valLoss;
    }

    private void warn(TrainingWarning w) {
        // Epoch-level warnings are unique by construction; gradient ones once per epoch, kind and layer.
        if (w.kind() != TrainingWarning.Kind.OVERFITTING && !reportedThisEpoch.add(w.kind() + "/" + w.layer())) {
            return;
        }
        warnings.add(w);
        callback.accept(w);
    }
}
