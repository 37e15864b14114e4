package dendrite.nn.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts of (actual class, predicted class) pairs, and the per-class metrics read from them.
 * Row {@code a}, column {@code p} holds how many samples of class {@code a} were predicted as
 * {@code p}; the diagonal holds the correct ones (scikit-learn's {@code confusion_matrix} layout).
 *
 * <ul>
 *   <li>precision(c) = correct c / predicted c (column sum): of the samples called c, how many were;</li>
 *   <li>recall(c) = correct c / actual c (row sum): of the samples of class c, how many were found;</li>
 *   <li>F1(c) = harmonic mean of the two.</li>
 * </ul>
 * A ratio whose denominator is 0 (a class never predicted, or never present) is 0, as
 * scikit-learn's {@code zero_division} default gives (without its warning).
 *
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), predicted, 10, test.classNames());
 * System.out.println(cm);            // a table
 * double f1 = cm.macroF1();
 * }</pre>
 */
public final class ConfusionMatrix {
    private final int[][] counts;
    private final List<String> classNames;
    private final long total;

    private ConfusionMatrix(int[][] counts, List<String> classNames) {
        this.counts = counts;
        this.classNames = classNames;
        long t = 0;
        for (int[] row : counts) {
            for (int v : row) {
                t += v;
            }
        }
        this.total = t;
    }

    /** Counts the pairs; every label must be in [0, numClasses). */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int numClasses) {
        return of(actual, predicted, numClasses, List.of());
    }

    /** As {@link #of(int[], int[], int)}, with class names for the table (empty for numbers). */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int numClasses, List<String> classNames) {
        Metrics.checkLengths("confusion matrix", actual.length, predicted.length);
        Objects.requireNonNull(classNames, "confusion matrix: classNames is null; pass List.of() for numbered classes");
        if (numClasses < 1) {
            throw new IllegalArgumentException("confusion matrix: need at least one class, got " + numClasses);
        }
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException("confusion matrix: " + classNames.size() + " class names for "
                    + numClasses + " classes");
        }
        int[][] counts = new int[numClasses][numClasses];
        for (int i = 0; i < actual.length; i++) {
            checkLabel("actual", i, actual[i], numClasses);
            checkLabel("predicted", i, predicted[i], numClasses);
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, List.copyOf(classNames));
    }

    private static void checkLabel(String which, int i, int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException("confusion matrix: " + which + " label " + label + " of sample " + i
                    + " is not a class in [0, " + numClasses + ")");
        }
    }

    public int numClasses() {
        return counts.length;
    }

    /** Class names, or empty when the classes are only numbered. */
    public List<String> classNames() {
        return classNames;
    }

    /** Samples of class {@code actual} predicted as {@code predicted}. */
    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** The counts as a new array, [actual][predicted]. */
    public int[][] toArray() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** Number of samples counted. */
    public long total() {
        return total;
    }

    /** Samples whose actual class is {@code c} (scikit-learn's "support"). */
    public long support(int c) {
        long s = 0;
        for (int v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** Samples predicted as class {@code c}. */
    public long predictedCount(int c) {
        long s = 0;
        for (int[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** Fraction of all samples on the diagonal. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return (double) correct / total;
    }

    public double precision(int c) {
        return ratio(counts[c][c], predictedCount(c));
    }

    public double recall(int c) {
        return ratio(counts[c][c], support(c));
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of the per-class precisions. */
    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += precision(c);
        }
        return s / counts.length;
    }

    /** Unweighted mean of the per-class recalls. */
    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += recall(c);
        }
        return s / counts.length;
    }

    /** Unweighted mean of the per-class F1 scores (not the F1 of the macro precision and recall). */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += f1(c);
        }
        return s / counts.length;
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    /** Label of class {@code c} for tables: its name, or its number. */
    String label(int c) {
        return classNames.isEmpty() ? Integer.toString(c) : classNames.get(c);
    }

    /**
     * The matrix as a text table: one row per actual class (with its name), one column per
     * predicted class (numbered, to keep the table narrow).
     */
    @Override
    public String toString() {
        int k = counts.length;
        int labelWidth = "actual \\ predicted".length();
        for (int c = 0; c < k; c++) {
            labelWidth = Math.max(labelWidth, (c + " " + label(c)).length());
        }
        int cell = Integer.toString(k - 1).length();
        for (int[] row : counts) {
            for (int v : row) {
                cell = Math.max(cell, Integer.toString(v).length());
            }
        }
        cell += 2;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", "actual \\ predicted"));
        for (int c = 0; c < k; c++) {
            sb.append(String.format(Locale.ROOT, "%" + cell + "d", c));
        }
        sb.append('\n');
        for (int a = 0; a < k; a++) {
            String name = classNames.isEmpty() ? Integer.toString(a) : a + " " + classNames.get(a);
            sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", name));
            for (int p = 0; p < k; p++) {
                sb.append(String.format(Locale.ROOT, "%" + cell + "d", counts[a][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
