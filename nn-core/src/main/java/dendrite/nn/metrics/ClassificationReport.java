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

    /** The report for these labels; class names may be empty. */
    public static ClassificationReport of(int[] actual, int[] predicted, int numClasses, List<String> classNames) {
        return new ClassificationReport(ConfusionMatrix.of(actual, predicted, numClasses, classNames));
    }

    /** The report of an existing confusion matrix. */
    public static ClassificationReport of(ConfusionMatrix matrix) {
        return new ClassificationReport(matrix);
    }

    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    public double accuracy() {
        return matrix.accuracy();
    }

    public double macroPrecision() {
        return matrix.macroPrecision();
    }

    public double macroRecall() {
        return matrix.macroRecall();
    }

    public double macroF1() {
        return matrix.macroF1();
    }

    /** Mean of per-class precision weighted by each class's support. */
    public double weightedPrecision() {
        return weighted(Metric.PRECISION);
    }

    /** Mean of per-class recall weighted by support (equals accuracy). */
    public double weightedRecall() {
        return weighted(Metric.RECALL);
    }

    /** Mean of per-class F1 weighted by support. */
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

    /** The table with values to {@code digits} decimals, in scikit-learn's layout. */
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
