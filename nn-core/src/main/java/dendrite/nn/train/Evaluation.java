package dendrite.nn.train;

import dendrite.nn.metrics.ClassificationReport;

import java.util.Map;

/**
 * The result of {@link Evaluator#evaluate} (and {@link Trainer#evaluate}, which uses one): the mean loss, and the metrics that fit the task.
 *
 * @param loss     mean loss over the samples
 * @param metrics  {@code loss} plus, for classification, {@code accuracy}, {@code macro_precision},
 *                 {@code macro_recall}, {@code macro_f1}; for regression {@code mse}, {@code rmse}, {@code mae}, {@code r2}
 * @param report   the per-class report for classification, else {@code null}
 */
public record Evaluation(double loss, Map<String, Double> metrics, ClassificationReport report) {

    /**
     * The accuracy, or NaN for regression.
     *
     * @return the share of samples classified correctly, in [0, 1], or {@link Double#NaN} without it
     */
    public double accuracy() {
        return metrics.getOrDefault("accuracy", Double.NaN);
    }
}
