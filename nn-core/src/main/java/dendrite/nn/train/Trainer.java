package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.MiniBatches;
import dendrite.nn.data.Splits;
import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.losses.Loss;
import dendrite.nn.metrics.ClassificationReport;
import dendrite.nn.metrics.Metrics;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
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
 *
 * <h2>A step</h2>
 * Gather the batch's rows from the dataset tensor (uploaded once) in this epoch's seeded order;
 * forward; loss; backward; optimizer step. Every tensor involved is a buffer reused from the previous
 * step, so a steady step allocates none. The loss is read back every step: a NaN or infinite loss
 * stops training with a {@link NonFiniteLossException} naming the step and the first non-finite layer.
 *
 * <h2>Determinism</h2>
 * The shuffle of epoch e depends only on the seed and e; initialization and dropout masks only on
 * seeds. So the same seed, backend and thread count give the same result, and on backend-scalar the
 * same bits.
 */
public final class Trainer {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final double validationSplit;
    private final Dataset validationData;
    private final EarlyStopping earlyStopping;
    private final List<TrainingListener> listeners;
    private final int checkpointEvery;
    private final Checkpointer checkpointer;
    private final int initialEpoch;

    private final Backend be;
    private final BatchBuffer xBatch;
    private BatchBuffer yBatch;
    private final BatchBuffer predicted;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = Objects.requireNonNull(b.loss, "trainer: no loss; call loss(...)");
        this.optimizer = Objects.requireNonNull(b.optimizer, "trainer: no optimizer; call optimizer(...)");
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.validationSplit = b.validationSplit;
        this.validationData = b.validationData;
        this.earlyStopping = b.earlyStopping;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointer = b.checkpointer;
        this.initialEpoch = b.initialEpoch;
        this.be = model.backend();
        this.xBatch = new BatchBuffer(be, model.inputShape());
        this.predicted = new BatchBuffer(be, Shape.scalar());
    }

    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    public Sequential model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    // ------------------------------------------------------------------ fit

    /**
     * Trains on {@code train} for the configured epochs (from {@code initialEpoch}), validating after
     * each epoch when a validation split or set was given.
     *
     * @throws NonFiniteLossException when a loss is NaN or infinite
     */
    public History fit(Dataset train) {
        Dataset trainSet = train;
        Dataset valSet = validationData;
        if (validationSplit > 0) {
            DataSplit split = train.isClassification() ? Splits.stratified(train, validationSplit, 0, seed)
                    : Splits.random(train, validationSplit, 0, seed);
            trainSet = split.train();
            valSet = split.validation();
        }
        History history = new History();
        try (Sequential.TrainingLease lease = model.beginTraining();
             DeviceData data = new DeviceData(be, trainSet, model.inputShape(), model.outputShape(), "fit");
             DeviceData val = valSet == null ? null : new DeviceData(be, valSet, model.inputShape(),
                     model.outputShape(), "fit (validation)")) {
            yBatch = new BatchBuffer(be, data.targetSample);
            listeners.forEach(l -> l.onTrainBegin(this));
            MiniBatches batches = new MiniBatches(data.size(), batchSize, seed);
            BestWeights best = earlyStopping == null ? null : new BestWeights(model, earlyStopping);
            for (int epoch = initialEpoch; epoch < epochs; epoch++) {
                Map<String, Double> metrics = trainEpoch(data, batches, epoch);
                if (val != null) {
                    Evaluation e = evaluate(val);
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
                if (checkpointer != null && (epoch + 1) % checkpointEvery == 0) {
                    save(new Checkpoint(model, optimizer, epoch + 1, history));
                }
                if (best != null && best.update(epoch, metrics) && epoch + 1 < epochs) {
                    history.stoppedEarly(true);
                    break;
                }
            }
            if (best != null) {
                best.finish(history);
            }
        }
        listeners.forEach(l -> l.onTrainEnd(history));
        return history;
    }

    private Map<String, Double> trainEpoch(DeviceData data, MiniBatches batches, int epoch) {
        optimizer.setEpoch(epoch);
        int[] order = batches.permutation(epoch);
        float[] labels = data.data.targets();
        boolean classification = data.data.isClassification();
        double lossSum = 0;
        long correct = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            int from = batches.from(b);
            int m = batches.to(b) - from;
            Tensor x = xBatch.get(m);
            Tensor y = yBatch.get(m);
            be.gatherRows(data.features, order, from, x);
            be.gatherRows(data.targets, order, from, y);

            Tensor out = model.forward(x, true);
            float batchLoss = loss.forward(out, y).item();
            if (!Float.isFinite(batchLoss)) {
                throw NonFiniteDiagnosis.diagnose(model, loss, x, batchLoss, optimizer.stepCount() + 1, epoch, b);
            }
            if (classification) {
                correct += countCorrect(out, labels, order, from, m);
            }
            model.backward(loss.backward());
            optimizer.step(model.namedParameters());

            lossSum += (double) batchLoss * m;
            StepEvent step = new StepEvent(epoch, b, batches.batchCount(), optimizer.stepCount(), batchLoss, m,
                    optimizer.lastLearningRate());
            for (TrainingListener l : listeners) {
                l.onStepEnd(step);
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

    /** Correct predictions in a batch, read from the forward output before backward touches it. */
    private int countCorrect(Tensor out, float[] labels, int[] order, int from, int m) {
        int[] classes = classesOf(out, m);
        int correct = 0;
        for (int r = 0; r < m; r++) {
            if (classes[r] == (int) labels[order[from + r]]) {
                correct++;
            }
        }
        return correct;
    }

    /** The predicted class per row: argmax, or for one output the side of the decision boundary. */
    private int[] classesOf(Tensor out, int m) {
        int[] classes = new int[m];
        if (out.shape().last() == 1) {
            float threshold = model.endsInProbabilities() ? 0.5f : 0f;
            float[] v = out.toArray();
            for (int r = 0; r < m; r++) {
                classes[r] = v[r] > threshold ? 1 : 0;
            }
        } else {
            Tensor p = predicted.get(m);
            be.argmax(out, p);
            float[] v = p.toArray();
            for (int r = 0; r < m; r++) {
                classes[r] = (int) v[r];
            }
        }
        return classes;
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
     * The mean loss and the task's metrics on {@code data}, in evaluation mode (no dropout, running
     * batch-norm statistics), batched by the trainer's batch size. Changes no weights, but uses the
     * model's buffers: refused with {@link IllegalStateException} while another thread trains it.
     */
    public Evaluation evaluate(Dataset data) {
        if (yBatch == null) {
            yBatch = new BatchBuffer(be, data.isClassification() ? Shape.scalar() : Shape.of(data.targetSize()));
        }
        try (Sequential.TrainingLease lease = model.beginTraining();
             DeviceData d = new DeviceData(be, data, model.inputShape(), model.outputShape(), "evaluate")) {
            return evaluate(d);
        }
    }

    private Evaluation evaluate(DeviceData d) {
        int n = d.size();
        int outSize = model.outputShape().size();
        boolean classification = d.data.isClassification();
        int[] predictedClasses = classification ? new int[n] : null;
        float[] outputs = classification ? null : new float[n * outSize];
        double lossSum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int m = to - from;
            Tensor x = from == 0 && to == n ? d.features : d.features.rows(from, to);
            Tensor y = from == 0 && to == n ? d.targets : d.targets.rows(from, to);
            Tensor out = model.forward(x, false);
            lossSum += (double) loss.forward(out, y).item() * m;
            if (classification) {
                System.arraycopy(classesOf(out, m), 0, predictedClasses, from, m);
            } else {
                be.read(out, outputs, from * outSize);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        double meanLoss = lossSum / n;
        metrics.put("loss", meanLoss);
        ClassificationReport report = null;
        if (classification) {
            int[] actual = new int[n];
            for (int i = 0; i < n; i++) {
                actual[i] = d.data.label(i);
            }
            int classes = Math.max(2, d.data.numClasses());
            report = ClassificationReport.of(actual, predictedClasses, classes, d.data.classNames().isEmpty()
                    ? null : d.data.classNames());
            metrics.put("accuracy", Metrics.accuracy(actual, predictedClasses));
            metrics.put("macro_precision", report.macroPrecision());
            metrics.put("macro_recall", report.macroRecall());
            metrics.put("macro_f1", report.macroF1());
        } else {
            float[] targets = d.data.targets();
            metrics.put("mse", Metrics.meanSquaredError(targets, outputs));
            metrics.put("mae", Metrics.meanAbsoluteError(targets, outputs));
            metrics.put("r2", Metrics.r2(targets, outputs, outSize));
        }
        return new Evaluation(meanLoss, metrics, report);
    }

    // ------------------------------------------------------------------ builder

    /** Settings for a {@link Trainer}; loss and optimizer are required. */
    public static final class Builder {
        private final Sequential model;
        private Loss loss;
        private Optimizer optimizer;
        private int epochs = 10;
        private int batchSize = 32;
        private long seed = 42;
        private double validationSplit;
        private Dataset validationData;
        private EarlyStopping earlyStopping;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int checkpointEvery;
        private Checkpointer checkpointer;
        private int initialEpoch;

        private Builder(Sequential model) {
            this.model = Objects.requireNonNull(model, "trainer: model");
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** The epoch to stop before (default 10). */
        public Builder epochs(int epochs) {
            this.epochs = positive("epochs", epochs);
            return this;
        }

        /** Samples per mini-batch (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batch size", batchSize);
            return this;
        }

        /** The seed of the per-epoch shuffle and of the validation split (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Holds out this fraction of the training data (stratified for classification) for validation. */
        public Builder validationSplit(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("trainer: validation split must be in [0, 1), got " + fraction);
            }
            this.validationSplit = fraction;
            return this;
        }

        /** Validates on this set after each epoch. */
        public Builder validationData(Dataset data) {
            this.validationData = data;
            return this;
        }

        public Builder earlyStopping(EarlyStopping es) {
            this.earlyStopping = es;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Calls {@code checkpointer} after every {@code n}-th epoch. */
        public Builder checkpointEvery(int n, Checkpointer checkpointer) {
            this.checkpointEvery = positive("checkpoint interval", n);
            this.checkpointer = checkpointer;
            return this;
        }

        /** Starts at this epoch, to resume from a checkpoint taken after {@code epoch} epochs. */
        public Builder initialEpoch(int epoch) {
            if (epoch < 0) {
                throw new IllegalArgumentException("trainer: initial epoch must be >= 0, got " + epoch);
            }
            this.initialEpoch = epoch;
            return this;
        }

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
