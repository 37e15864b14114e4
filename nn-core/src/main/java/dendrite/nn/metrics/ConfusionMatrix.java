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

    /**
     * Counts the pairs; every label must be in [0, numClasses).
     *
     * @param actual the true class of each sample
     * @param predicted the predicted class of each sample, as many as {@code actual}
     * @param numClasses the number of classes, at least 1; the matrix is {@code numClasses x numClasses}
     * @return a new immutable matrix with numbered classes (no names)
     * @throws IllegalArgumentException if the lengths differ or are 0, {@code numClasses} is below 1, or a
     *         label is outside [0, numClasses)
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int numClasses) {
        return of(actual, predicted, numClasses, List.of());
    }

    /**
     * As {@link #of(int[], int[], int)}, with class names for the table (empty for numbers).
     *
     * @param actual the true class of each sample
     * @param predicted the predicted class of each sample, as many as {@code actual}
     * @param numClasses the number of classes, at least 1; the matrix is {@code numClasses x numClasses}
     * @param classNames the name of each class in class order, exactly {@code numClasses} of them, or an empty
     *        list for numbered classes; copied, not {@code null}
     * @return a new immutable matrix
     * @throws IllegalArgumentException if the lengths differ or are 0, {@code numClasses} is below 1, the
     *         number of names is neither 0 nor {@code numClasses}, or a label is outside [0, numClasses)
     * @throws NullPointerException if {@code classNames} is {@code null}
     */
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

    /**
     * The number of classes, which is the number of rows and of columns.
     *
     * @return the number of classes, at least 1
     */
    public int numClasses() {
        return counts.length;
    }

    /**
     * Class names, or empty when the classes are only numbered.
     *
     * @return an unmodifiable list of {@link #numClasses()} names in class order, or an empty list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Samples of class {@code actual} predicted as {@code predicted}.
     *
     * @param actual the true class (row), in [0, numClasses)
     * @param predicted the predicted class (column), in [0, numClasses)
     * @return the count in that cell, {@code >= 0}
     * @throws ArrayIndexOutOfBoundsException if either class is out of range
     */
    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * The counts as a new array, [actual][predicted].
     *
     * @return a fresh {@code numClasses x numClasses} copy; changing it does not change this matrix
     */
    public int[][] toArray() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * Number of samples counted.
     *
     * @return the sum of all cells, at least 1
     */
    public long total() {
        return total;
    }

    /**
     * Samples whose actual class is {@code c} (scikit-learn's "support").
     *
     * @param c the class, in [0, numClasses)
     * @return the sum of row {@code c}, {@code >= 0}
     * @throws ArrayIndexOutOfBoundsException if {@code c} is out of range
     */
    public long support(int c) {
        long s = 0;
        for (int v : counts[c]) {
            s += v;
        }
        return s;
    }

    /**
     * Samples predicted as class {@code c}.
     *
     * @param c the class, in [0, numClasses)
     * @return the sum of column {@code c}, {@code >= 0}
     * @throws ArrayIndexOutOfBoundsException if {@code c} is out of range
     */
    public long predictedCount(int c) {
        long s = 0;
        for (int[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /**
     * Fraction of all samples on the diagonal.
     *
     * @return the share of correct predictions, in [0, 1]
     */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return (double) correct / total;
    }

    /**
     * Precision of class {@code c}: correct c / predicted c, the share of samples called c that were c.
     *
     * @param c the class, in [0, numClasses)
     * @return the ratio in [0, 1]; 0 when its denominator is 0
     * @throws ArrayIndexOutOfBoundsException if {@code c} is out of range
     */
    public double precision(int c) {
        return ratio(counts[c][c], predictedCount(c));
    }

    /**
     * Recall of class {@code c}: correct c / actual c, the share of the samples of class c that were found.
     *
     * @param c the class, in [0, numClasses)
     * @return the ratio in [0, 1]; 0 when its denominator is 0
     * @throws ArrayIndexOutOfBoundsException if {@code c} is out of range
     */
    public double recall(int c) {
        return ratio(counts[c][c], support(c));
    }

    /**
     * F1 score of class {@code c}: the harmonic mean of its {@link #precision(int) precision} and
     * {@link #recall(int) recall}.
     *
     * @param c the class, in [0, numClasses)
     * @return the score in [0, 1]; 0 when precision and recall are both 0
     * @throws ArrayIndexOutOfBoundsException if {@code c} is out of range
     */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Unweighted mean of the per-class precisions.
     *
     * @return the macro-averaged precision, in [0, 1]; classes never predicted count as 0
     */
    public double macroPrecision() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += precision(c);
        }
        return s / counts.length;
    }

    /**
     * Unweighted mean of the per-class recalls.
     *
     * @return the macro-averaged recall, in [0, 1]; classes absent from the data count as 0
     */
    public double macroRecall() {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += recall(c);
        }
        return s / counts.length;
    }

    /**
     * Unweighted mean of the per-class F1 scores (not the F1 of the macro precision and recall).
     *
     * @return the macro-averaged F1 score, in [0, 1]
     */
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
