package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.MultiTaskLoss;
import dendrite.nn.losses.PoissonNegativeLogLikelihood;
import dendrite.nn.metrics.ClassificationReport;
import dendrite.nn.metrics.Metrics;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a model on a dataset: the mean loss and the metrics that fit the task, as Keras'
 * {@code model.evaluate(x, y)} or a PyTorch loop under {@code model.eval()} and {@code torch.no_grad()}.
 * It needs a model and a loss only: evaluating changes no weights, so there is no optimizer to give.
 *
 * <pre>{@code
 * Sequential model = ModelFile.load(path, Backends.get());
 * Evaluation test = new Evaluator(model, Losses.softmaxCrossEntropy()).evaluate(testSet);
 * System.out.println(test.accuracy());
 * }</pre>
 *
 * <p>The model runs in evaluation mode (dropout off, batch norm on its running statistics), in
 * batches of {@code batchSize} rows. A {@link Trainer} evaluates its validation data with one of
 * these, so a validation score and a later {@code evaluate} of the same data and batch size agree.
 *
 * <p>A regression trained on scaled targets ({@link Scaler#standardizeTargets}) is scored in the
 * target's own units when the evaluator is given that scaler: MSE, RMSE and MAE then say how far
 * off a prediction is in the units the user knows, while {@code loss} stays the loss the
 * optimizer minimised (on the scaled targets). R² is the same either way.
 *
 * <p>Not thread-safe, like the model and loss it uses; while another thread trains the model,
 * {@link #evaluate} is refused with an {@link IllegalStateException} rather than read weights
 * half-way through an update.
 */
public final class Evaluator {
    /** The k of the top-k accuracy reported for more than k classes (ImageNet's top-5). */
    static final int TOP_K = 5;
    private final Sequential model;
    private final Loss loss;
    private final int batchSize;
    private final Backend be;
    private final PredictedClasses classes;
    private final Scaler targetScaler;

    /**
     * Evaluates in batches of {@link Sequential#DEFAULT_PREDICT_BATCH}.
     *
     * @param model the model to score, not {@code null}
     * @param loss  the loss to report, matching the model's output and the data's targets; not {@code null}
     */
    public Evaluator(Sequential model, Loss loss) {
        this(model, loss, Sequential.DEFAULT_PREDICT_BATCH);
    }

    /**
     * Evaluates in batches of {@code batchSize}, with unscaled targets.
     *
     * @param model     the model to score, not {@code null}
     * @param loss      the loss to report, matching the model's output and the data's targets; not {@code null}
     * @param batchSize rows per forward pass, at least 1: only memory and speed depend on it (and a float
     *                  rounding in the summed loss), not which metrics come out
     */
    public Evaluator(Sequential model, Loss loss, int batchSize) {
        this(model, loss, batchSize, null);
    }

    /**
     * Evaluates in batches of {@code batchSize}, reporting a regression's metrics in the target's own units.
     *
     * @param model        the model to score, not {@code null}
     * @param loss         the loss to report, matching the model's output and the data's targets; not {@code null}
     * @param batchSize    rows per forward pass, at least 1
     * @param targetScaler how a regression's targets were scaled for training, so that its metrics
     *                     are given in the target's units; null when they were not scaled
     * @throws NullPointerException     if {@code model} or {@code loss} is {@code null}
     * @throws IllegalArgumentException if {@code batchSize} is below 1
     */
    public Evaluator(Sequential model, Loss loss, int batchSize, Scaler targetScaler) {
        this.targetScaler = targetScaler;
        this.model = Objects.requireNonNull(model, "evaluator: model");
        this.loss = Objects.requireNonNull(loss, "evaluator: loss");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("evaluator: batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.be = model.backend();
        this.classes = new PredictedClasses(model);
    }

    /**
     * The model scored.
     *
     * @return the model given to the constructor
     */
    public Sequential model() {
        return model;
    }

    /**
     * The loss reported.
     *
     * @return the loss given to the constructor
     */
    public Loss loss() {
        return loss;
    }

    /**
     * Rows per forward pass.
     *
     * @return the batch size, at least 1
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The mean loss and the task's metrics on {@code data}: for classification accuracy, macro
     * precision, recall and F1 and the per-class {@link Evaluation#report()}, with more than 5 classes
     * also {@code top5_accuracy} (the class among the five highest scores) and with two the area under
     * the ROC curve, {@code roc_auc} (when both occur); for regression MSE, RMSE, MAE and R² (in the
     * target's units when there is a target scaler; of the rates e^x for a Poisson loss on log-rates x).
     * The data is uploaded once and freed before this returns.
     *
     * @param data the samples to score, with their targets
     * @return the mean loss, the metrics and, for classification, the per-class report
     * @throws IllegalArgumentException when the data's samples or targets do not fit the model
     * @throws IllegalStateException    while another thread trains the model
     */
    public Evaluation evaluate(Dataset data) {
        try (Sequential.TrainingLease lease = model.beginTraining();
             DeviceData d = new DeviceData(be, data, model.inputShape(), model.outputShape(), loss, "evaluate")) {
            return evaluate(d);
        }
    }

    /** Evaluates data already on the device (the trainer's validation set, uploaded once per fit). */
    Evaluation evaluate(DeviceData d) {
        int n = d.size();
        int outSize = model.outputShape().size();
        boolean classification = d.data.isClassification();
        int[] predictedClasses = classification ? new int[n] : null;
        float[] outputs = classification ? null : new float[n * outSize];
        int classCount = classification ? d.data.numClasses() : 0;
        boolean topK = classification && classCount > TOP_K && outSize == classCount;
        boolean auc = classification && classCount == 2 && outSize == 2;
        float[] scores = topK || auc ? new float[Math.min(n, batchSize) * outSize] : null;
        float[] positiveScores = auc ? new float[n] : null;
        long topKHits = 0;
        double lossSum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int m = to - from;
            Tensor x = from == 0 && to == n ? d.features : d.features.rows(from, to);
            Tensor y = from == 0 && to == n ? d.targets : d.targets.rows(from, to);
            Tensor out = model.forward(x, false);
            lossSum += (double) loss.forward(out, y).item() * m;
            if (classification) {
                System.arraycopy(classes.of(out, m), 0, predictedClasses, from, m);
                if (scores != null) {
                    be.read(out, scores, 0);
                    for (int r = 0; topK && r < m; r++) {
                        topKHits += Metrics.inTopK(scores, r, classCount, d.data.label(from + r), TOP_K) ? 1 : 0;
                    }
                    for (int r = 0; auc && r < m; r++) {
                        positiveScores[from + r] = scores[2 * r + 1] - scores[2 * r];   // softmax's p1 rises with it
                    }
                }
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
            report = ClassificationReport.of(actual, predictedClasses, Math.max(2, classCount), d.data.classNames());
            metrics.put("accuracy", Metrics.accuracy(actual, predictedClasses));
            metrics.put("macro_precision", report.macroPrecision());
            metrics.put("macro_recall", report.macroRecall());
            metrics.put("macro_f1", report.macroF1());
            if (topK) {
                metrics.put("top" + TOP_K + "_accuracy", (double) topKHits / n);
            }
            int[] counts = d.data.classCounts();
            if (auc && counts[0] > 0 && counts[1] > 0) {
                metrics.put("roc_auc", Metrics.rocAuc(actual, positiveScores));
            }
        } else if (loss instanceof MultiTaskLoss heads) {
            metrics.putAll(HeadMetrics.of(heads, outputs, d.data.targets(), n));
        } else {
            float[] targets = d.data.targets();
            ratesOfLogRates(loss, outputs);
            if (targetScaler != null) {
                targets = targetScaler.inverseTransform(targets);
                targetScaler.inverseTransformInPlace(outputs);
            }
            double mse = Metrics.meanSquaredError(targets, outputs);
            metrics.put("mse", mse);
            metrics.put("rmse", Math.sqrt(mse));
            metrics.put("mae", Metrics.meanAbsoluteError(targets, outputs));
            metrics.put("r2", Metrics.r2(targets, outputs, outSize));
        }
        return new Evaluation(meanLoss, metrics, report);
    }

    /**
     * For a Poisson loss on log-rates (PyTorch's {@code log_input}), the outputs made the rates e^x in place,
     * so that the regression metrics compare what is predicted with the counts; other losses' are left.
     */
    static void ratesOfLogRates(Loss loss, float[] outputs) {
        if (loss instanceof PoissonNegativeLogLikelihood p && p.logInput()) {
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = (float) Math.exp(outputs[i]);
            }
        }
    }
}
