package dendrite.nn.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Per-class precision, recall, F1 and support with their macro and support-weighted averages,
 * laid out as scikit-learn's {@code classification_report}:
 *
 * <pre>
 *               precision    recall  f1-score   support
 *
 *            0       0.50      1.00      0.67         1
 *            1       0.00      0.00      0.00         1
 *            2       1.00      0.67      0.80         3
 *
 *     accuracy                           0.60         5
 *    macro avg       0.50      0.56      0.49         5
 * weighted avg       0.70      0.60      0.61         5
 * </pre>
 */
public final class ClassificationReport {
    private final ConfusionMatrix matrix;

    private ClassificationReport(ConfusionMatrix matrix) {
        this.matrix = matrix;
    }

    /**
     * The report for these labels; class names may be empty.
     *
     * @param actual the true class of each sample
     * @param predicted the predicted class of each sample, as many as {@code actual}
     * @param numClasses the number of classes, at least 1; every label must be in [0, numClasses)
     * @param classNames the name of each class in class order, exactly {@code numClasses} of them, or an empty
     *        list to label the rows by number; not {@code null}
     * @return a new report over a new {@link ConfusionMatrix}
     * @throws IllegalArgumentException on the conditions of
     *         {@link ConfusionMatrix#of(int[], int[], int, List)}
     * @throws NullPointerException if {@code classNames} is {@code null}
     */
    public static ClassificationReport of(int[] actual, int[] predicted, int numClasses, List<String> classNames) {
        return new ClassificationReport(ConfusionMatrix.of(actual, predicted, numClasses, classNames));
    }

    /**
     * The report of an existing confusion matrix.
     *
     * @param matrix the matrix to report on, shared (it is immutable); not {@code null}
     * @return a new report reading its values from {@code matrix}
     */
    public static ClassificationReport of(ConfusionMatrix matrix) {
        return new ClassificationReport(matrix);
    }

    /**
     * The confusion matrix the report reads from.
     *
     * @return the underlying matrix, shared, not a copy (it is immutable)
     */
    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    /**
     * Fraction of samples predicted correctly, the report's {@code accuracy} row.
     *
     * @return the accuracy, in [0, 1]
     */
    public double accuracy() {
        return matrix.accuracy();
    }

    /**
     * Unweighted mean of the per-class precisions, the {@code macro avg} row's first column.
     *
     * @return the macro-averaged precision, in [0, 1]
     */
    public double macroPrecision() {
        return matrix.macroPrecision();
    }

    /**
     * Unweighted mean of the per-class recalls, the {@code macro avg} row's second column.
     *
     * @return the macro-averaged recall, in [0, 1]
     */
    public double macroRecall() {
        return matrix.macroRecall();
    }

    /**
     * Unweighted mean of the per-class F1 scores, the {@code macro avg} row's third column.
     *
     * @return the macro-averaged F1 score, in [0, 1]
     */
    public double macroF1() {
        return matrix.macroF1();
    }

    /**
     * Mean of per-class precision weighted by each class's support.
     *
     * @return the support-weighted precision, in [0, 1]
     */
    public double weightedPrecision() {
        return weighted(Metric.PRECISION);
    }

    /**
     * Mean of per-class recall weighted by support (equals accuracy).
     *
     * @return the support-weighted recall, in [0, 1]
     */
    public double weightedRecall() {
        return weighted(Metric.RECALL);
    }

    /**
     * Mean of per-class F1 weighted by support.
     *
     * @return the support-weighted F1 score, in [0, 1]
     */
    public double weightedF1() {
        return weighted(Metric.F1);
    }

    private enum Metric { PRECISION, RECALL, F1 }

    private double value(Metric m, int c) {
        return switch (m) {
            case PRECISION -> matrix.precision(c);
            case RECALL -> matrix.recall(c);
            case F1 -> matrix.f1(c);
        };
    }

    private double weighted(Metric m) {
        double s = 0;
        for (int c = 0; c < matrix.numClasses(); c++) {
            s += value(m, c) * matrix.support(c);
        }
        return s / matrix.total();
    }

    /**
     * The table with values to {@code digits} decimals, in scikit-learn's layout.
     *
     * @param digits the number of decimals of each ratio, {@code >= 0}; columns are 9 characters wide, so more
     *        than 7 misaligns them
     * @return the multi-line table, each line ending in {@code \n}, numbers formatted with {@link Locale#ROOT}
     */
    public String format(int digits) {
        int width = "weighted avg".length();
        for (int c = 0; c < matrix.numClasses(); c++) {
            width = Math.max(width, matrix.label(c).length());
        }
        // scikit-learn: the name right-aligned to the widest name, then " " + " {:>9}" per column.
        String name = "%" + width + "s ";
        String num = " %9." + digits + "f";
        String text = " %9s";
        String count = " %9d\n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, name + text + text + text + text + "\n\n",
                "", "precision", "recall", "f1-score", "support"));
        for (int c = 0; c < matrix.numClasses(); c++) {
            sb.append(String.format(Locale.ROOT, name + num + num + num + count, matrix.label(c),
                    matrix.precision(c), matrix.recall(c), matrix.f1(c), matrix.support(c)));
        }
        sb.append(String.format(Locale.ROOT, "\n" + name + text + text + num + count,
                "accuracy", "", "", accuracy(), matrix.total()));
        sb.append(String.format(Locale.ROOT, name + num + num + num + count, "macro avg",
                macroPrecision(), macroRecall(), macroF1(), matrix.total()));
        sb.append(String.format(Locale.ROOT, name + num + num + num + count, "weighted avg",
                weightedPrecision(), weightedRecall(), weightedF1(), matrix.total()));
        return sb.toString();
    }

    /** The table with two decimals, as scikit-learn prints it. */
    @Override
    public String toString() {
        return format(2);
    }
}
