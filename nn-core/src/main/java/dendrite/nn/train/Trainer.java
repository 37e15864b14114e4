package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.ImageAugmentation;
import dendrite.nn.data.MiniBatches;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Splits;
import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.losses.Loss;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a {@link Sequential} model with mini-batch gradient descent, and evaluates it.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model)
 *         .loss(Losses.softmaxCrossEntropy())
 *         .optimizer(new Adam(1e-3))
 *         .epochs(10).batchSize(128).seed(42)
 *         .validationSplit(0.1)
 *         .earlyStopping(EarlyStopping.monitor("val_loss").patience(3))
 *         .listener(new ProgressLogger(System.out))
 *         .build();
 * History history = trainer.fit(train);
 * Evaluation test = trainer.evaluate(testSet);
 * }</pre>
 * To score a model without training it (no optimizer needed), use an {@link Evaluator}.
 *
 * <h2>A step</h2>
 * Gather the batch's rows from the dataset tensor (uploaded once) in this epoch's seeded order;
 * move the images when augmentation is on; forward; loss; backward; optimizer step (which clips the gradients first when configured). Every
 * tensor involved is a buffer reused from the previous step, so a steady step allocates none. The
 * loss is read back every step: a NaN or infinite loss stops training with a
 * {@link NonFiniteLossException} naming the step and the first non-finite layer. {@link #step} runs
 * the same code on a batch the caller supplies, for a training loop of one's own.
 *
 * <h2>Determinism</h2>
 * The shuffle of epoch e depends only on the seed and e, and so do augmentation's moves
 * ({@link ImageAugmentation}) with the batch's index; initialization only on the model's seed,
 * and dropout masks on it and each Dropout's pass counter (which checkpoints save, so a resumed run
 * continues the masks). So the same seed, backend and thread count give the same result, and on
 * backend-scalar the same bits.
 */
public final class Trainer {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final double validationSplit;
    private final Dataset validationData;
    private final EarlyStopping earlyStopping;
    private final List<TrainingListener> listeners;
    private final int checkpointEvery;
    /** Batches whose gradients make one optimizer step; 1 for a step per batch. */
    private final int accumulation;
    /** The gradients summed towards the next step, when {@link #accumulation} is above 1; else null. */
    private final GradientAccumulator accumulator;
    private final Checkpointer checkpointer;
    private final int initialEpoch;
    private final ImageAugmentation augmentation;
    private final double emaDecay;

    private final Backend be;
    private final BatchBuffer xBatch;
    /** The batch as gathered, before augmentation moves it into {@link #xBatch}; null without augmentation. */
    private final BatchBuffer rawBatch;
    private final int[] moves;
    private BatchBuffer yBatch;
    private final PredictedClasses classes;
    private final Evaluator evaluator;
    /** The loss of the last {@link #forwardStep}, kept in a field so the step returns no pair. */
    private float stepLoss;
    /** The mean loss and the samples of the batches behind the last accumulated step, for its event. */
    private double lastStepLoss;
    private int lastStepSamples;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = Objects.requireNonNull(b.loss, "trainer: no loss; call loss(...)");
        this.optimizer = Objects.requireNonNull(b.optimizer, "trainer: no optimizer; call optimizer(...)"
                + " (to evaluate a model without training it, use an Evaluator, which needs none)");
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.validationSplit = b.validationSplit;
        this.validationData = b.validationData;
        this.earlyStopping = b.earlyStopping;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointer = b.checkpointer;
        this.initialEpoch = b.initialEpoch;
        this.emaDecay = b.emaDecay;
        this.accumulation = b.accumulation;
        this.be = model.backend();
        this.accumulator = accumulation > 1 ? new GradientAccumulator(be) : null;
        this.xBatch = new BatchBuffer(be, model.inputShape());
        this.augmentation = b.augmentation;
        augmentation.checkFits(model.inputShape().dims());
        this.rawBatch = augmentation.isNone() ? null : new BatchBuffer(be, model.inputShape());
        this.moves = augmentation.isNone() ? null : new int[3 * batchSize];
        this.classes = new PredictedClasses(model);
        this.evaluator = new Evaluator(model, loss, batchSize, b.targetScaler);
    }

    /**
     * Starts the settings for training {@code model}; {@link Builder#loss} and {@link Builder#optimizer} are
     * required.
     *
     * @param model the built model to train, whose weights {@link #fit} updates in place; not {@code null}
     * @return a new builder with the defaults (10 epochs, batches of 32, seed 42, shuffled)
     * @throws NullPointerException if {@code model} is {@code null}
     */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /**
     * The model this trainer trains.
     *
     * @return the model given to {@link #builder}
     */
    public Sequential model() {
        return model;
    }

    /**
     * The loss minimized.
     *
     * @return the loss given to {@link Builder#loss}
     */
    public Loss loss() {
        return loss;
    }

    /**
     * The optimizer that updates the weights.
     *
     * @return the optimizer given to {@link Builder#optimizer}, with its step count and state
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    // ------------------------------------------------------------------ fit

    /**
     * Trains on {@code train} for the configured epochs (from {@code initialEpoch}), validating after
     * each epoch when a validation split or set was given.
     *
     * @param train the training data, its features matching the model's input shape and its targets what the
     *              loss takes; a validation split is taken from it when one was configured
     * @return the per-epoch metrics ({@code loss}, {@code accuracy} for classification, {@code lr}, and
     *         {@code val_}-prefixed ones when validating), with whether training stopped early
     * @throws NonFiniteLossException when a loss is NaN or infinite
     * @throws IllegalStateException  while another thread trains the model
     * @throws java.io.UncheckedIOException when a checkpoint cannot be saved
     */
    public History fit(Dataset train) {
        requireOrderForStatefulLayers();
        Dataset trainSet = train;
        Dataset valSet = validationData;
        if (validationSplit > 0) {
            DataSplit split = train.isClassification() ? Splits.stratified(train, validationSplit, 0, seed)
                    : Splits.random(train, validationSplit, 0, seed);
            trainSet = split.train();
            valSet = split.validation();
        }
        History history = new History();
        if (accumulator != null) {
            accumulator.discard();                    // a sum left by step(), or by a fit an error stopped
        }
        try (Sequential.TrainingLease lease = model.beginTraining();
             DeviceData data = new DeviceData(be, trainSet, model.inputShape(), model.outputShape(), loss, "fit");
             DeviceData val = valSet == null ? null : new DeviceData(be, valSet, model.inputShape(),
                     model.outputShape(), loss, "fit (validation)")) {
            yBatch = new BatchBuffer(be, data.targetSample);
            listeners.forEach(l -> l.onTrainBegin(this));
            MiniBatches batches = new MiniBatches(data.size(), batchSize, seed);
            BestWeights best = earlyStopping == null ? null : new BestWeights(model, earlyStopping);
            try (ExponentialMovingAverage ema = emaDecay > 0 ? new ExponentialMovingAverage(model, emaDecay) : null) {
                try {
                    runEpochs(data, val, batches, best, ema, history);
                } finally {
                    // A listener or checkpoint that failed mid-epoch leaves the trained weights, not the average.
                    if (ema != null && ema.inUse()) {
                        ema.restore();
                    }
                }
                if (ema != null) {
                    ema.apply();
                }
            }
            if (best != null) {
                best.finish(history);
            }
        }
        listeners.forEach(l -> l.onTrainEnd(history));
        return history;
    }

    /** The epochs of {@link #fit}: train, validate, tell the listeners, checkpoint, stop early. */
    private void runEpochs(DeviceData data, DeviceData val, MiniBatches batches, BestWeights best,
            ExponentialMovingAverage ema, History history) {
        for (int epoch = initialEpoch; epoch < epochs; epoch++) {
            Map<String, Double> metrics = trainEpoch(data, batches, epoch, ema);
            if (val != null) {
                // The averaged model is the one training ends with, so it is the one validated (and
                // the one early stopping keeps); the trained weights go back before the next step.
                if (ema != null) {
                    ema.useAverage();
                }
                Evaluation e = evaluator.evaluate(val);
                metrics.put("val_loss", e.loss());
                for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
                    if (!m.getKey().equals("loss")) {
                        metrics.put("val_" + m.getKey(), m.getValue());
                    }
                }
            }
            history.add(epoch, metrics);
            optimizer.epochEnded(epoch, metrics.getOrDefault("val_loss", metrics.get("loss")));
            EpochEvent event = new EpochEvent(epoch, epochs, history.last(), history);
            listeners.forEach(l -> l.onEpochEnd(event));
            boolean stop = best != null && best.update(epoch, metrics) && epoch + 1 < epochs;
            if (ema != null && ema.inUse()) {
                ema.restore();
            }
            if (checkpointer != null && (epoch + 1) % checkpointEvery == 0) {
                save(new Checkpoint(model, optimizer, epoch + 1, history));
            }
            if (stop) {
                history.stoppedEarly(true);
                return;
            }
        }
    }

    private Map<String, Double> trainEpoch(DeviceData data, MiniBatches batches, int epoch, ExponentialMovingAverage ema) {
        optimizer.setEpoch(epoch);
        int[] order = shuffle ? batches.permutation(epoch) : inOrder(data.size());
        float[] labels = data.data.targets();
        boolean classification = data.data.isClassification();
        double lossSum = 0;
        long correct = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            int from = batches.from(b);
            int m = batches.to(b) - from;
            Tensor x = xBatch.get(m);
            Tensor y = yBatch.get(m);
            if (rawBatch == null) {
                be.gatherRows(data.features, order, from, x);
            } else {
                Tensor raw = rawBatch.get(m);
                be.gatherRows(data.features, order, from, raw);
                augmentation.draw(seed, epoch, b, m, moves);
                be.shiftImages(raw, moves, x);
            }
            be.gatherRows(data.targets, order, from, y);

            Tensor out = forwardStep(x, y, epoch, b);
            float batchLoss = stepLoss;
            if (classification) {
                correct += countCorrect(out, labels, order, from, m);
            }
            lossSum += (double) batchLoss * m;
            if (backwardStep(m) || b == batches.batchCount() - 1 && applyAccumulated()) {
                stepEnded(epoch, b, batches.batchCount(), batchLoss, m, ema);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / data.size());
        if (classification) {
            metrics.put("accuracy", correct / (double) data.size());
        }
        metrics.put("lr", optimizer.lastLearningRate());
        return metrics;
    }

    /**
     * After an optimizer step: the average's update and the listeners' event, which reports the step's
     * batches together when gradients were accumulated over several.
     */
    private void stepEnded(int epoch, int batch, int batchCount, float batchLoss, int m, ExponentialMovingAverage ema) {
        if (ema != null) {
            ema.update();
        }
        double stepLoss = accumulator == null ? batchLoss : lastStepLoss;
        int stepSamples = accumulator == null ? m : lastStepSamples;
        StepEvent step = new StepEvent(epoch, batch, batchCount, optimizer.stepCount(), stepLoss, stepSamples,
                optimizer.lastLearningRate());
        for (TrainingListener l : listeners) {
            l.onStepEnd(step);
        }
    }

    private static int[] inOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    // ------------------------------------------------------------------ one step

    /**
     * One training step on one batch, as Keras' {@code train_on_batch} or the body of a PyTorch
     * training loop: forward in training mode, the loss, backward, and the optimizer's update (with
     * gradient clipping when the optimizer has it). {@link #fit} runs exactly this code for each of its
     * batches, so stepping through the batches fit would see, in its order, gives the same weights bit
     * for bit.
     *
     * <p>With {@link Builder#accumulateGradients accumulateGradients(k)}, a call adds the batch's
     * gradients to a sum and the optimizer steps, on their mean, on every k-th call.
     *
     * <p>The optimizer's schedule sees {@link Optimizer#epoch()} (set it with {@link Optimizer#setEpoch}
     * for an epoch-based schedule); listeners are not called, since there is no epoch to report. The
     * batch stays the caller's.
     *
     * <pre>{@code
     * for (int s = 0; s < steps; s++) {
     *     float loss = trainer.step(x, y);   // x [m, input...], y [m] class indices or [m, outputs]
     * }
     * }</pre>
     *
     * @param x a batch {@code [m, input...]} on the model's backend
     * @param y its targets on the same backend, as the loss takes them: {@code [m]} class indices for
     *          softmax cross-entropy, else the output's shape {@code [m, outputs...]}
     * @return the batch's mean loss, before the update
     * @throws NonFiniteLossException when the loss is NaN or infinite; the weights are then not updated
     * @throws IllegalStateException  while another thread trains the model
     */
    public float step(Tensor x, Tensor y) {
        try (Sequential.TrainingLease lease = model.beginTraining()) {
            forwardStep(x, y, optimizer.epoch(), -1);
            float value = stepLoss;
            backwardStep(x.dim(0));
            return value;
        }
    }

    /**
     * The first half of a step: forward in training mode and the loss, which is read back (into
     * {@link #stepLoss}) so a non-finite value stops training before it reaches the weights.
     *
     * @param batch the batch's index in its epoch, or -1 for a caller's batch; for the error only
     * @return the model's output, valid until the next forward
     */
    private Tensor forwardStep(Tensor x, Tensor y, int epoch, int batch) {
        Tensor out = model.forward(x, true);
        float batchLoss = loss.forward(out, y).item();
        if (!Float.isFinite(batchLoss)) {
            throw NonFiniteDiagnosis.diagnose(model, loss, x, batchLoss, optimizer.stepCount() + 1, epoch, batch);
        }
        stepLoss = batchLoss;
        return out;
    }

    /**
     * The second half of a step: backward from the loss's gradient, then the optimizer's update; with
     * accumulation, the update only once the gradients of {@link #accumulation} batches are summed.
     *
     * @param m the batch's samples
     * @return whether the optimizer stepped
     */
    private boolean backwardStep(int m) {
        model.backward(loss.backward());
        if (accumulator == null) {
            optimizer.step(model.namedParameters());
            return true;
        }
        accumulator.add(model.namedParameters(), m, stepLoss);
        return accumulator.batches() == accumulation && applyAccumulated();
    }

    /**
     * An optimizer step on the mean of the gradients summed so far, if any were (the end of an epoch
     * whose batches do not divide evenly into groups).
     *
     * @return whether the optimizer stepped
     */
    private boolean applyAccumulated() {
        if (accumulator == null || accumulator.batches() == 0) {
            return false;
        }
        lastStepLoss = accumulator.meanLoss();
        lastStepSamples = (int) accumulator.samples();
        accumulator.apply();
        optimizer.step(model.namedParameters());
        return true;
    }

    /** Correct predictions in a batch, read from the forward output before backward touches it. */
    private int countCorrect(Tensor out, float[] labels, int[] order, int from, int m) {
        int[] predictedClasses = classes.of(out, m);
        int correct = 0;
        for (int r = 0; r < m; r++) {
            if (predictedClasses[r] == (int) labels[order[from + r]]) {
                correct++;
            }
        }
        return correct;
    }

    private void save(Checkpoint c) {
        try {
            checkpointer.save(c);
        } catch (IOException e) {
            throw new UncheckedIOException("fit: checkpoint after epoch " + c.epochsCompleted() + " failed: "
                    + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ evaluate

    /**
     * A stateful recurrent layer continues each batch where the previous one ended, so its batches
     * must come in the data's order: shuffling or a random validation split would hand it unrelated
     * chunks, and it would learn from state that belongs to another part of the series.
     */
    private void requireOrderForStatefulLayers() {
        for (int i = 0; i < model.size(); i++) {
            if (model.layer(i) instanceof dendrite.nn.layers.RecurrentLayer r && r.isStateful()
                    && (shuffle || validationSplit > 0)) {
                throw new IllegalArgumentException("fit: layer " + i + " (" + model.layer(i).type() + ") is stateful,"
                        + " so its batches must follow each other: set shuffle(false)"
                        + (validationSplit > 0 ? " and give validationData(...) instead of a random validationSplit" : "")
                        + ", and cut the series with StatefulBatches");
            }
        }
    }

    /**
     * The mean loss and the task's metrics on {@code data}, in evaluation mode (no dropout, running
     * batch-norm statistics), batched by the trainer's batch size: what {@code new Evaluator(model(),
     * loss(), batchSize, targetScaler).evaluate(data)} gives (see {@link Evaluator}). Changes no weights, but uses
     * the model's buffers: refused with {@link IllegalStateException} while another thread trains it.
     *
     * @param data the samples to score, with their targets
     * @return the mean loss and the metrics ({@code accuracy} for classification; {@code mse}, {@code rmse},
     *         {@code mae} for regression)
     */
    public Evaluation evaluate(Dataset data) {
        return evaluator.evaluate(data);
    }

    // ------------------------------------------------------------------ builder

    /**
     * Settings for a {@link Trainer}; loss and optimizer are required (an {@link Evaluator} scores a model
     * with a loss alone).
     */
    public static final class Builder {
        private final Sequential model;
        private Loss loss;
        private Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private long seed = 42;
        private boolean shuffle = true;
        private double validationSplit;
        private Dataset validationData;
        private EarlyStopping earlyStopping;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int checkpointEvery;
        private int accumulation = 1;
        private Checkpointer checkpointer;
        private int initialEpoch;
        private ImageAugmentation augmentation = ImageAugmentation.none();
        private Scaler targetScaler;
        private double emaDecay;

        private Builder(Sequential model) {
            this.model = Objects.requireNonNull(model, "trainer: model");
        }

        /**
         * The loss to minimize (required), e.g. {@code Losses.softmaxCrossEntropy()}.
         *
         * @param loss the loss, matching the model's output and the dataset's targets
         * @return this builder
         */
        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * The optimizer that updates the weights (required), e.g. {@code new Adam(1e-3)}.
         *
         * @param optimizer the optimizer, used by this trainer only (it keeps per-parameter state)
         * @return this builder
         */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * The epoch to stop before (default 10).
         *
         * @param epochs the total number of epochs, counted from 0 (a resumed run included), at least 1
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = positive("epochs", epochs);
            return this;
        }

        /**
         * Samples per mini-batch (default 32).
         *
         * @param batchSize the number of samples per batch, at least 1; the last batch of an epoch may be smaller
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batch size", batchSize);
            return this;
        }

        /**
         * The seed of the per-epoch shuffle and of the validation split (default 42).
         *
         * @param seed any value; the same seed gives the same order and split (the weights' seed is the model's)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether each epoch visits the samples in a fresh seeded order (default, as Keras' {@code shuffle=True}
         * and a PyTorch {@code DataLoader(shuffle=True)}), or in the dataset's order: batch b is then rows
         * {@code [b * batchSize, (b + 1) * batchSize)}, which makes a run easy to replay with {@link #step}.
         *
         * @param shuffle {@code true} to shuffle every epoch, {@code false} to keep the dataset's order
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Moves each training image at random as {@code augmentation} says, afresh every batch (default
         * none); the moves depend only on the seed, the epoch and the batch. Validation and evaluation
         * see the images unchanged. Needs a model whose input is an image {@code [channels, height, width]}.
         *
         * @param augmentation the moves to draw, or {@link ImageAugmentation#none()}; not {@code null}
         * @return this builder
         * @throws NullPointerException if {@code augmentation} is {@code null}
         */
        public Builder augmentation(ImageAugmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "trainer: augmentation (use ImageAugmentation.none())");
            return this;
        }

        /**
         * Keeps an {@link ExponentialMovingAverage} of the weights during {@code fit} (Keras's
         * {@code use_ema}): updated after every step, validated in place of the weights after each
         * epoch (so {@code val_} metrics and early stopping judge the average), and copied into the
         * model when training ends. The weights themselves train exactly as without it. The average
         * is not part of a checkpoint: a resumed run starts it again from the resumed weights.
         * {@link Trainer#step} does not update it.
         *
         * @param decay the average's decay, in (0, 1), e.g. 0.999; 0 for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if {@code decay} is not 0 and not in (0, 1)
         */
        public Builder ema(double decay) {
            if (!(decay == 0 || decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("trainer: ema decay must be 0 (none) or above 0 and below 1,"
                        + " e.g. 0.999; got " + decay);
            }
            this.emaDecay = decay;
            return this;
        }

        /**
         * Steps the optimizer once every {@code batches} batches, on the mean of their gradients, as
         * if they had been one batch of {@code batches} times the batch size: a large batch's training
         * in the memory of a small one (PyTorch's loop that calls {@code optimizer.step()} every few
         * batches, Keras's {@code gradient_accumulation_steps}). Each batch's gradient counts by its
         * samples, so a short last batch weighs what it would in the large batch, and an epoch whose
         * batches do not divide evenly steps once more on what is left. Without batch normalization
         * or dropout (whose batches are the small ones) the weights follow the large batch's up to
         * rounding. Listeners see one event per optimizer step, with the batches' mean loss and their
         * samples. {@link Trainer#step} counts its calls the same way: the optimizer steps on every
         * {@code batches}-th call. Memory: one more copy of the trainable parameters.
         *
         * @param batches the batches per optimizer step, at least 1 (1, the default: a step per batch)
         * @return this builder
         * @throws IllegalArgumentException if {@code batches} is below 1
         */
        public Builder accumulateGradients(int batches) {
            this.accumulation = positive("gradient accumulation (batches per step)", batches);
            return this;
        }

        /**
         * Holds out this fraction of the training data (stratified for classification) for validation.
         *
         * @param fraction the share of samples held out, in [0, 1) (0: none); not together with
         *                 {@link #validationData}
         * @return this builder
         * @throws IllegalArgumentException if {@code fraction} is outside [0, 1)
         */
        public Builder validationSplit(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("trainer: validation split must be in [0, 1), got " + fraction);
            }
            this.validationSplit = fraction;
            return this;
        }

        /**
         * Says how the regression targets the trainer is given were scaled (e.g. with
         * {@link Scaler#standardizeTargets}), so that the validation metrics ({@code val_mse},
         * {@code val_rmse}, {@code val_mae}) are reported in the target's own units. Training is
         * unchanged: the loss is still taken on the scaled targets.
         *
         * @param targetScaler the scaler fitted to the targets, or {@code null} (the default) for unscaled targets
         * @return this builder
         */
        public Builder targetScaler(Scaler targetScaler) {
            this.targetScaler = targetScaler;
            return this;
        }

        /**
         * Validates on this set after each epoch.
         *
         * @param data the validation samples with their targets, or {@code null} for none; not together with
         *             {@link #validationSplit}
         * @return this builder
         */
        public Builder validationData(Dataset data) {
            this.validationData = data;
            return this;
        }

        /**
         * Stops training when a monitored metric stops improving (default: never), and may restore the best
         * weights; see {@link EarlyStopping}.
         *
         * @param es the stopping rule, or {@code null} for none
         * @return this builder
         */
        public Builder earlyStopping(EarlyStopping es) {
            this.earlyStopping = es;
            return this;
        }

        /**
         * Adds a listener told of the training's progress, e.g. a {@link ProgressLogger}; called in the
         * order added, on the training thread.
         *
         * @param listener the listener to add
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Calls {@code checkpointer} after every {@code n}-th epoch.
         *
         * @param n            the interval in epochs, at least 1: a checkpoint after epoch e when {@code (e + 1)}
         *                     is a multiple of {@code n}
         * @param checkpointer what saves each {@link Checkpoint}, e.g. to a file
         * @return this builder
         */
        public Builder checkpointEvery(int n, Checkpointer checkpointer) {
            this.checkpointEvery = positive("checkpoint interval", n);
            this.checkpointer = checkpointer;
            return this;
        }

        /**
         * Starts at this epoch, to resume from a checkpoint taken after {@code epoch} epochs.
         *
         * @param epoch the number of epochs already completed, at least 0 (default 0)
         * @return this builder
         * @throws IllegalArgumentException if {@code epoch} is negative
         */
        public Builder initialEpoch(int epoch) {
            if (epoch < 0) {
                throw new IllegalArgumentException("trainer: initial epoch must be >= 0, got " + epoch);
            }
            this.initialEpoch = epoch;
            return this;
        }

        /**
         * Makes the trainer, allocating its batch buffers on the model's backend.
         *
         * @return the trainer
         * @throws NullPointerException     if no loss or no optimizer was given
         * @throws IllegalArgumentException if both a validation split and a validation set were given, or the
         *                                  augmentation does not fit the model's input
         */
        public Trainer build() {
            if (validationSplit > 0 && validationData != null) {
                throw new IllegalArgumentException("trainer: give a validation split or a validation set, not both");
            }
            return new Trainer(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("trainer: " + what + " must be positive, got " + v);
            }
            return v;
        }
    }
}
