package dendrite.nn.metrics;

/**
 * Scalar metrics over whole arrays. Arguments follow scikit-learn's order, actual (true) values
 * first and predictions second, and sums are taken in double so that a large test set does not
 * lose precision. Lengths must match; an empty input is refused, since its score would be 0/0.
 *
 * <pre>{@code
 * int[] predicted = Metrics.argmax(probabilities, 10);
 * double acc = Metrics.accuracy(test.labels(), predicted);
 * }</pre>
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Fraction of samples whose predicted class equals the actual class.
     *
     * @param actual the true class index of each sample
     * @param predicted the predicted class index of each sample, as many as {@code actual}
     * @return the share of exact matches, in [0, 1]
     * @throws IllegalArgumentException if the lengths differ or are 0
     */
    public static double accuracy(int[] actual, int[] predicted) {
        checkLengths("accuracy", actual.length, predicted.length);
        int correct = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] == predicted[i]) {
                correct++;
            }
        }
        return (double) correct / actual.length;
    }

    /**
     * Mean squared error: mean of (predicted - actual)².
     *
     * @param actual the true values, one per sample and output (any layout, matched element by element)
     * @param predicted the predictions, in the same layout and length as {@code actual}
     * @return the mean squared difference, {@code >= 0}, in the square of the values' units
     * @throws IllegalArgumentException if the lengths differ or are 0
     */
    public static double meanSquaredError(float[] actual, float[] predicted) {
        checkLengths("mean squared error", actual.length, predicted.length);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = (double) predicted[i] - actual[i];
            sum += d * d;
        }
        return sum / actual.length;
    }

    /**
     * Mean absolute error: mean of |predicted - actual|.
     *
     * @param actual the true values, one per sample and output (any layout, matched element by element)
     * @param predicted the predictions, in the same layout and length as {@code actual}
     * @return the mean absolute difference, {@code >= 0}, in the values' units
     * @throws IllegalArgumentException if the lengths differ or are 0
     */
    public static double meanAbsoluteError(float[] actual, float[] predicted) {
        checkLengths("mean absolute error", actual.length, predicted.length);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs((double) predicted[i] - actual[i]);
        }
        return sum / actual.length;
    }

    /**
     * Coefficient of determination, R² = 1 - Σ(actual - predicted)² / Σ(actual - mean)², for one
     * target per sample. 1 is a perfect fit; 0 is no better than predicting the mean; it can be
     * negative. For constant actual values the ratio is undefined and, as in scikit-learn, the
     * score is 1 for a perfect prediction and 0 otherwise.
     *
     * @param actual the true value of each sample
     * @param predicted the predicted value of each sample, as many as {@code actual}
     * @return R², at most 1 and unbounded below
     * @throws IllegalArgumentException if the lengths differ or are 0
     */
    public static double r2(float[] actual, float[] predicted) {
        return r2(actual, predicted, 1);
    }

    /**
     * R² for {@code outputs} targets per sample (row-major): the mean of each output's R²
     * (scikit-learn's {@code multioutput='uniform_average'}).
     *
     * @param actual the true values, {@code [samples, outputs]} flattened row-major
     * @param predicted the predictions, in the same layout and length as {@code actual}
     * @param outputs the number of targets per sample, at least 1, dividing the arrays' length
     * @return the unweighted mean over outputs of each output's R², at most 1 and unbounded below
     * @throws IllegalArgumentException if the lengths differ or are 0, or {@code outputs} is below 1 or
     *         does not divide the length
     */
    public static double r2(float[] actual, float[] predicted, int outputs) {
        checkLengths("R²", actual.length, predicted.length);
        if (outputs < 1 || actual.length % outputs != 0) {
            throw new IllegalArgumentException("R²: " + actual.length + " values are not a whole number of samples of "
                    + outputs + " outputs");
        }
        int n = actual.length / outputs;
        double total = 0;
        for (int k = 0; k < outputs; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += actual[i * outputs + k];
            }
            mean /= n;
            double residual = 0;
            double spread = 0;
            for (int i = 0; i < n; i++) {
                double a = actual[i * outputs + k];
                double r = a - predicted[i * outputs + k];
                residual += r * r;
                spread += (a - mean) * (a - mean);
            }
            total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread;
        }
        return total / outputs;
    }

    /**
     * The predicted class of each sample from row-major scores (logits or probabilities),
     * {@code numClasses} per sample: the index of the largest, the first one on ties.
     *
     * @param scores the scores, {@code [samples, numClasses]} flattened row-major; may be empty
     * @param numClasses the number of classes (scores per sample), at least 1, dividing {@code scores.length}
     * @return a new array of {@code scores.length / numClasses} class indices in [0, numClasses), in sample order
     * @throws IllegalArgumentException if {@code numClasses} is below 1 or does not divide the length
     */
    public static int[] argmax(float[] scores, int numClasses) {
        if (numClasses < 1 || scores.length % numClasses != 0) {
            throw new IllegalArgumentException("argmax: " + scores.length + " scores are not a whole number of rows of "
                    + numClasses + " classes");
        }
        int[] out = new int[scores.length / numClasses];
        for (int i = 0; i < out.length; i++) {
            int base = i * numClasses;
            int best = 0;
            for (int c = 1; c < numClasses; c++) {
                if (scores[base + c] > scores[base + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Fraction of samples whose actual class is among the k highest scores (top-5 accuracy on
     * ImageNet; Keras' {@code TopKCategoricalAccuracy}). Ties count in the class's favour, as
     * TensorFlow's {@code in_top_k}: it is in the top k when fewer than k classes score strictly higher.
     * A sample with a NaN score in its row counts as a miss.
     *
     * @param actual the true class of each sample, in [0, numClasses)
     * @param scores the scores (logits or probabilities), {@code [samples, numClasses]} row-major
     * @param numClasses the scores per sample, at least 1
     * @param k how many of the highest count, in [1, numClasses]
     * @return the share of samples whose class is in their top k, in [0, 1]; 1 when k is numClasses
     *         and no score is NaN
     * @throws IllegalArgumentException if the lengths do not match, there are no samples, k is out of range
     *         or a class is outside [0, numClasses)
     */
    public static double topKAccuracy(int[] actual, float[] scores, int numClasses, int k) {
        if (numClasses < 1 || scores.length % numClasses != 0) {
            throw new IllegalArgumentException("top-k accuracy: " + scores.length + " scores are not a whole number"
                    + " of rows of " + numClasses + " classes");
        }
        checkLengths("top-k accuracy", actual.length, scores.length / numClasses);
        if (k < 1 || k > numClasses) {
            throw new IllegalArgumentException("top-k accuracy: k must be in [1, " + numClasses + "], got " + k);
        }
        int hits = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= numClasses) {
                throw new IllegalArgumentException("top-k accuracy: sample " + i + "'s class " + actual[i]
                        + " is not in [0, " + numClasses + ")");
            }
            hits += inTopK(scores, i, numClasses, actual[i], k) ? 1 : 0;
        }
        return (double) hits / actual.length;
    }

    /**
     * Whether {@code label} is among the k highest of one row's scores, ties in its favour (what
     * {@link #topKAccuracy} counts); false when the row has a NaN.
     *
     * @param scores rows of {@code numClasses} scores, row-major
     * @param row the row, from 0
     * @param numClasses the scores per row
     * @param label the class asked about, in [0, numClasses)
     * @param k how many of the highest count
     * @return whether fewer than k classes score strictly higher than {@code label} and no score is NaN
     */
    public static boolean inTopK(float[] scores, int row, int numClasses, int label, int k) {
        int base = row * numClasses;
        float own = scores[base + label];
        if (Float.isNaN(own)) {
            return false;
        }
        int higher = 0;
        for (int c = 0; c < numClasses; c++) {
            float v = scores[base + c];
            if (Float.isNaN(v)) {
                return false;
            }
            higher += v > own ? 1 : 0;
        }
        return higher < k;
    }

    /**
     * Area under the ROC curve of a binary classifier: the probability that a random positive
     * scores above a random negative, ties counting half (scikit-learn's {@code roc_auc_score}).
     * Unlike accuracy it needs no threshold and does not reward predicting the common class, so it
     * is the usual score for imbalanced binary data. Computed from ranks (Mann-Whitney U) in
     * O(n log n).
     *
     * @param actual each sample's class, 0 (negative) or 1 (positive); both must occur
     * @param scores each sample's score for the positive class (a probability, a logit: any
     *        increasing function of it gives the same area); none NaN
     * @return the area, in [0, 1]: 0.5 for scores that ignore the class, 1 for a perfect ranking
     * @throws IllegalArgumentException if the lengths differ, there are no samples, a class is not 0 or 1,
     *         only one class occurs, or a score is NaN
     */
    public static double rocAuc(int[] actual, float[] scores) {
        checkLengths("ROC AUC", actual.length, scores.length);
        int n = actual.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            if (actual[i] != 0 && actual[i] != 1) {
                throw new IllegalArgumentException("ROC AUC: sample " + i + "'s class is " + actual[i]
                        + "; binary classes are 0 and 1");
            }
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("ROC AUC: sample " + i + "'s score is NaN");
            }
            positives += actual[i];
            order[i] = i;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("ROC AUC: only class " + (positives == 0 ? 0 : 1) + " occurs; the"
                    + " area needs positives and negatives");
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        // Sum of the positives' ranks (1-based), tied scores sharing their average rank.
        double rankSum = 0;
        for (int start = 0; start < n;) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++) {
                rankSum += actual[order[j]] * averageRank;
            }
            start = end + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    static void checkLengths(String metric, int actual, int predicted) {
        if (actual != predicted) {
            throw new IllegalArgumentException(metric + ": " + actual + " actual values but " + predicted + " predictions");
        }
        if (actual == 0) {
            throw new IllegalArgumentException(metric + ": no samples");
        }
    }
}
