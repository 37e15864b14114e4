package dendrite.nn.diag;

import dendrite.nn.Sequential;
import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import dendrite.tensor.op.Activation;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A training listener that warns about the textbook ways training goes wrong, naming the layer and
 * the usual fix:
 * <ul>
 *   <li><b>vanishing gradients</b>: a layer's gradient norm below {@link #vanishingBelow} (1e-7 by
 *       default), or below {@link #vanishingRatioBelow} (1e-3) of the output layer's: the early layers
 *       of a deep sigmoid stack learn thousands of times slower than the last;</li>
 *   <li><b>exploding gradients</b>: the global gradient norm above {@link #explodingAbove} (1e3 by
 *       default), or not finite;</li>
 *   <li><b>a diverging loss</b>: a training loss that is not finite or ten times the first step's,
 *       checked on every step (a learning rate of 5 or 50 diverges within a few steps);</li>
 *   <li><b>dead ReLUs</b> and <b>saturated sigmoid/tanh units</b>: at least half of a layer's units
 *       dead (or outputs saturated) on every checked batch of an epoch;</li>
 *   <li><b>a loss stuck at chance</b>: a classifier whose cross-entropy stays within 1 % of
 *       ln(classes) after its first epoch (zero or constant initial weights: every unit of a layer
 *       gets the same gradient);</li>
 *   <li><b>overfitting</b>: validation loss 2 % above its best for two epochs running while the
 *       training loss kept falling (one noisy epoch is not reported);</li>
 *   <li><b>double softmax</b>: a model ending in softmax trained with softmax cross-entropy;</li>
 *   <li><b>nll without log-softmax</b>: the negative log-likelihood loss on a model that does not end in a
 *       log-softmax (raw scores or probabilities where log-probabilities belong).</li>
 * </ul>
 * Warnings go to a callback, by default a WARNING through {@link System.Logger}; {@link #warnings()}
 * keeps those of the current run (a monitor given to a second fit starts afresh). Each kind is reported at most once per epoch and layer, so a long stall does
 * not flood the log.
 *
 * <pre>{@code
 * TrainingMonitor monitor = new TrainingMonitor().checkEvery(10).onWarning(w -> System.err.println(w));
 * Trainer.builder(model).listener(monitor)...build().fit(train);
 * }</pre>
 *
 * <p>Gradients and activations are read after a checked step's optimizer update (gradients after
 * clipping, if clipping is on). A check copies them to the host, so {@link #checkEvery} trades
 * detail for speed: every step for the first {@value #EARLY_STEPS} steps, where divergence shows,
 * then every 10th by default.
 */
public final class TrainingMonitor implements TrainingListener {
    private static final System.Logger LOG = System.getLogger(TrainingMonitor.class.getName());

    /** Steps at the start of training that are all checked. */
    public static final int EARLY_STEPS = 20;
    private static final double LOSS_GROWTH = 10;
    private static final double MOSTLY = 0.5;
    private static final double CHANCE_BAND = 0.01;
    private static final double OVERFIT_MARGIN = 0.02;

    private double vanishingBelow = 1e-7;
    private double vanishingRatioBelow = 1e-3;
    private double explodingAbove = 1e3;
    private int checkEvery = 10;
    private Consumer<TrainingWarning> callback = w -> LOG.log(Level.WARNING, w.message());

    private Sequential model;
    private final List<TrainingWarning> warnings = new ArrayList<>();
    private final Set<String> reportedThisEpoch = new HashSet<>();
    private int currentEpoch = -1;
    private double firstLoss = Double.NaN;
    /** Whether the loss diverged or the gradients exploded in this run: later vanishing gradients are its aftermath. */
    private boolean diverged;
    private double bestValLoss = Double.NaN;
    private double lossAtBestVal = Double.NaN;
    private int epochsAboveBest;
    private boolean softmaxLoss;
    /** Whether the loss is cross-entropy over the outputs' classes, ln(classes) for a model that guesses. */
    private boolean chanceAtLnClasses;
    /** Per layer, the smallest dead or saturated share seen on this epoch's checks. */
    private final java.util.Map<Integer, Double> leastTrouble = new java.util.HashMap<>();

    /** Watches the model of the {@link Trainer} it is given as a listener. */
    public TrainingMonitor() {
    }

    /**
     * Watches {@code model}; for use without a {@link Trainer}, calling the listener methods yourself.
     *
     * @param model the model whose gradients and activations to check (a later {@link #onTrainBegin} replaces it)
     */
    public TrainingMonitor(Sequential model) {
        this.model = model;
    }

    /**
     * A layer whose gradient norm is below this has vanishing gradients (default 1e-7).
     *
     * @param threshold the smallest healthy gradient norm of a layer, at least 0 (0: never reported this way)
     * @return this monitor, for chaining
     */
    public TrainingMonitor vanishingBelow(double threshold) {
        this.vanishingBelow = threshold;
        return this;
    }

    /**
     * A layer whose gradient norm is below this fraction of the output layer's has vanishing gradients (default 1e-3).
     *
     * @param ratio the smallest healthy ratio to the output layer's gradient norm, at least 0 (0: never
     *              reported this way)
     * @return this monitor, for chaining
     */
    public TrainingMonitor vanishingRatioBelow(double ratio) {
        this.vanishingRatioBelow = ratio;
        return this;
    }

    /**
     * A global gradient norm above this is exploding (default 1e3).
     *
     * @param threshold the largest healthy global gradient norm, positive; a non-finite norm always counts
     * @return this monitor, for chaining
     */
    public TrainingMonitor explodingAbove(double threshold) {
        this.explodingAbove = threshold;
        return this;
    }

    /**
     * Checks the gradients every {@code n}-th step (default 10; 1 checks every step).
     *
     * @param n the interval in global steps, at least 1; the first {@value #EARLY_STEPS} steps are always checked
     * @return this monitor, for chaining
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public TrainingMonitor checkEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("TrainingMonitor.checkEvery: must be at least 1, got " + n);
        }
        this.checkEvery = n;
        return this;
    }

    /**
     * Where warnings go instead of the logger.
     *
     * @param callback called on the training thread with each warning as it is raised, instead of logging it
     * @return this monitor, for chaining
     */
    public TrainingMonitor onWarning(Consumer<TrainingWarning> callback) {
        this.callback = callback;
        return this;
    }

    /**
     * Every warning of the current (or last) training run, oldest first; each {@link #onTrainBegin}
     * starts the list afresh (the callback has had the earlier ones).
     *
     * @return an unmodifiable live view of the warnings, growing as training goes on
     */
    public List<TrainingWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        model = trainer.model();
        // A new run: nothing of the last one (its warnings, what it reported in its last epoch, the
        // activation shares of an epoch it did not finish) may silence or add to this one's.
        warnings.clear();
        reportedThisEpoch.clear();
        currentEpoch = -1;
        leastTrouble.clear();
        firstLoss = Double.NaN;
        diverged = false;
        bestValLoss = Double.NaN;
        lossAtBestVal = Double.NaN;
        epochsAboveBest = 0;
        softmaxLoss = "softmax_cross_entropy".equals(trainer.loss().name());
        int last = model.size() - 1;
        // NLL after a log-softmax is the same cross-entropy, at ln(classes) when guessing.
        chanceAtLnClasses = softmaxLoss || "nll".equals(trainer.loss().name()) && last >= 0
                && "log_softmax".equals(model.layer(last).type());
        if (softmaxLoss && last >= 0 && "softmax".equals(model.layer(last).type())) {
            warn(new TrainingWarning(TrainingWarning.Kind.DOUBLE_SOFTMAX, 0, 0, last, String.format(Locale.ROOT,
                    "double softmax: layer %d is a softmax and the loss (softmax cross-entropy) applies softmax again,"
                            + " which squashes the outputs and slows learning; remove the softmax layer (predictProba"
                            + " gives probabilities) or use a loss on probabilities", last)));
        }
        if ("nll".equals(trainer.loss().name()) && last >= 0 && !"log_softmax".equals(model.layer(last).type())) {
            String type = model.layer(last).type();
            warn(new TrainingWarning(TrainingWarning.Kind.NLL_WITHOUT_LOG_SOFTMAX, 0, 0, last, String.format(Locale.ROOT,
                    "nll without log-softmax: the loss (negative log-likelihood) takes log-probabilities, but layer %d"
                            + " is a %s, so %s; %s", last, type, "softmax".equals(type)
                            ? "it gets probabilities (all below 1, their logs never reached)"
                            : "it gets unnormalized scores and pushes the chosen one up without bound",
                    "softmax".equals(type) ? "make that layer a log_softmax"
                            : "end the model with a log_softmax layer, or use softmax cross-entropy on these logits")));
        }
    }

    @Override
    public void onStepEnd(StepEvent step) {
        if (model == null) {
            return;
        }
        checkLoss(step);
        if (step.globalStep() <= EARLY_STEPS || step.globalStep() % checkEvery == 0) {
            checkGradients(step.epoch(), step.globalStep());
            checkActivations(step.epoch());
        }
    }

    /** Every step: a loss that is not finite or grew far above the first step's. */
    private void checkLoss(StepEvent step) {
        double loss = step.loss();
        if (Double.isNaN(firstLoss) && Double.isFinite(loss)) {
            firstLoss = loss;
            return;
        }
        if (!Double.isFinite(loss) || loss > LOSS_GROWTH * Math.max(firstLoss, 1e-3)) {
            diverged = true;
            warn(new TrainingWarning(TrainingWarning.Kind.LOSS_DIVERGING, step.epoch(), step.globalStep(), -1,
                    String.format(Locale.ROOT, "diverging loss at step %d (epoch %d): %.4g, from %.4g at the first step."
                            + " The learning rate (%.3g) is too high: lower it tenfold, or clip gradients"
                            + " (optimizer.clipGradNorm(1.0))", step.globalStep(), step.epoch(), loss, firstLoss,
                            step.learningRate())));
        }
    }

    /** On checked steps: the share of dead ReLU units and saturated sigmoid/tanh outputs, kept per epoch. */
    private void checkActivations(int epoch) {
        for (ActivationStats a : Diagnostics.activationsOfLastForward(model)) {
            double share = !Double.isNaN(a.deadFraction()) ? a.deadFraction() : a.saturatedFraction();
            if (!Double.isNaN(share)) {
                leastTrouble.merge(a.layer(), share, Math::min);
            }
        }
    }

    /**
     * Checks the model's current gradients now (what {@link #onStepEnd} does on a checked step).
     *
     * @param epoch the current epoch, from 0, for the warnings and their once-per-epoch limit
     * @param step  the global step, from 1, for the warnings
     */
    public void checkGradients(int epoch, long step) {
        if (epoch != currentEpoch) {
            currentEpoch = epoch;
            reportedThisEpoch.clear();
        }
        List<GradientStats> grads = Diagnostics.gradients(model);
        double sumSq = 0;
        for (GradientStats g : grads) {
            sumSq += g.norm() * g.norm();
        }
        double global = Math.sqrt(sumSq);
        if (!(global <= explodingAbove)) {   // also true for NaN
            diverged = true;
        }
        // After a blow-up, tiny gradients are its aftermath (units driven dead or into saturation):
        // the fix is the learning rate, which the divergence warning names, not "learn faster".
        for (GradientStats g : grads) {
            if (!diverged && g.norm() < vanishingBelow) {
                warn(new TrainingWarning(TrainingWarning.Kind.VANISHING_GRADIENT, epoch, step, g.layer(),
                        String.format(Locale.ROOT, "vanishing gradients at step %d (epoch %d): layer %d (%s) has gradient"
                                + " norm %s, below %.3g; it has almost stopped learning. Look for saturated sigmoid/tanh"
                                + " or dead ReLU units (Diagnostics.activations), try ReLU-family activations with He"
                                + " initialization, batch normalization, or a higher learning rate",
                                step, epoch, g.layer(), g.type(), number(g.norm()), vanishingBelow)));
            }
        }
        GradientStats output = grads.isEmpty() ? null : grads.get(grads.size() - 1);
        for (GradientStats g : grads) {
            if (!diverged && output != null && g != output && output.norm() > 0 && g.norm() >= vanishingBelow
                    && g.norm() < vanishingRatioBelow * output.norm()) {
                warn(new TrainingWarning(TrainingWarning.Kind.VANISHING_GRADIENT, epoch, step, g.layer(),
                        String.format(Locale.ROOT, "vanishing gradients at step %d (epoch %d): layer %d (%s) has gradient"
                                + " norm %.3g, %.2g of the output layer's (%.3g), so it learns that much slower. Typical"
                                + " of deep sigmoid or tanh stacks: use ReLU-family activations with He initialization,"
                                + " batch normalization, or fewer layers", step, epoch, g.layer(), g.type(), g.norm(),
                                g.norm() / output.norm(), output.norm())));
            }
        }
        if (!(global <= explodingAbove)) {
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

    /** A norm as text: 0 as "0" rather than "0.00", which reads like a rounded small value. */
    private static String number(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }

    @Override
    public void onEpochEnd(EpochEvent event) {
        int epoch = event.epoch();
        for (java.util.Map.Entry<Integer, Double> e : leastTrouble.entrySet()) {
            if (e.getValue() >= MOSTLY) {
                String type = model.layer(e.getKey()).type();
                // by the activation, not the type's name: a Dense with a fused ReLU has dead units too
                boolean relu = Diagnostics.activationOf(model.layer(e.getKey())) == Activation.RELU;
                warn(new TrainingWarning(relu ? TrainingWarning.Kind.DEAD_RELU : TrainingWarning.Kind.SATURATED, epoch, 0,
                        e.getKey(), relu
                                ? String.format(Locale.ROOT, "dead ReLUs in epoch %d: layer %d (%s) had at least %.0f%% of its"
                                        + " units output 0 for whole batches; they pass no gradient and may never recover."
                                        + " Lower the learning rate, use He initialization, or leaky ReLU", epoch,
                                        e.getKey(), type, 100 * e.getValue())
                                : String.format(Locale.ROOT, "saturated units in epoch %d: layer %d (%s) had at least %.0f%% of"
                                        + " its outputs where its derivative is near 0, so little gradient passes. Scale the"
                                        + " inputs, use Xavier initialization or smaller initial weights, or batch"
                                        + " normalization", epoch, e.getKey(), type, 100 * e.getValue())));
            }
        }
        leastTrouble.clear();
        Double loss = event.metrics().get("loss");
        int classes = model == null ? 0 : model.outputShape().size();
        if (chanceAtLnClasses && loss != null && classes >= 2 && epoch >= 1
                && Math.abs(loss - Math.log(classes)) < CHANCE_BAND * Math.log(classes)) {
            warn(new TrainingWarning(TrainingWarning.Kind.STUCK_AT_CHANCE, epoch, 0, -1, String.format(Locale.ROOT,
                    "loss stuck at chance after epoch %d: %.4f, where guessing among %d classes gives ln %d = %.4f."
                            + " Check the initialization first (all-equal weights, such as zeros, give every unit of a"
                            + " layer the same gradient, so they never differ), then the labels and the learning rate",
                    epoch, loss, classes, classes, Math.log(classes))));
        }
        Double valLoss = event.metrics().get("val_loss");
        if (loss == null || valLoss == null) {
            return;
        }
        if (Double.isNaN(bestValLoss) || valLoss < bestValLoss) {
            bestValLoss = valLoss;
            lossAtBestVal = loss;
            epochsAboveBest = 0;
        } else if (valLoss > bestValLoss * (1 + OVERFIT_MARGIN) && loss < lossAtBestVal) {
            if (++epochsAboveBest == 2) {
                warn(new TrainingWarning(TrainingWarning.Kind.OVERFITTING, epoch, 0, -1, String.format(Locale.ROOT,
                        "overfitting since epoch %d: validation loss %.4f is above its best (%.4f) for two epochs while"
                                + " training loss fell to %.4f. Stop earlier (early stopping with patience, restoring the"
                                + " best weights), add dropout or weight decay, augment the data, or get more of it",
                        epoch - 1, valLoss, bestValLoss, loss)));
            }
        } else {
            epochsAboveBest = 0;
        }
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
