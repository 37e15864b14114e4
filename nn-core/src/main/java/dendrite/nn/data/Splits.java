package dendrite.nn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded train/validation/test splits. Sizes are rounded: with n samples the test part has
 * round(n · testFraction) samples and the validation part round(n · validationFraction); the
 * training part has the rest. A stratified split does the same per class, so each part keeps
 * the class proportions of the whole to within one sample per class.
 *
 * <pre>{@code
 * DataSplit s = Splits.stratified(Digits.load(), 0.1, 0.2, 42);
 * Scaler scaler = Scaler.standardize(s.train());   // fitted on the training part only
 * }</pre>
 */
public final class Splits {
    private Splits() {
    }

    /**
     * A seeded random split of any dataset.
     *
     * @param data the dataset to split; not changed
     * @param validationFraction the share of samples held out for validation, in [0, 1)
     * @param testFraction the share of samples held out for testing, in [0, 1); with {@code validationFraction}
     *        below 1 in all
     * @param seed the seed of the shuffle; the same data and seed give the same split
     * @return new train, validation and test datasets of copied samples, each in shuffled order, named after
     *         {@code data} with {@code (train)}, {@code (validation)} and {@code (test)} appended
     * @throws IllegalArgumentException if a fraction is negative or NaN, or the two sum to 1 or more
     */
    public static DataSplit random(Dataset data, double validationFraction, double testFraction, long seed) {
        checkFractions(validationFraction, testFraction);
        int n = data.size();
        int[] order = MiniBatches.shuffle(n, new SplittableRandom(seed));
        int test = (int) Math.round(n * testFraction);
        int validation = Math.min(n - test, (int) Math.round(n * validationFraction));
        return new DataSplit(
                data.subset(order, test + validation, n, data.name() + " (train)"),
                data.subset(order, test, test + validation, data.name() + " (validation)"),
                data.subset(order, 0, test, data.name() + " (test)"));
    }

    /**
     * A split in time order, for samples that follow each other (windows of a series): the first
     * samples train, the next validate, the last test, so no model is scored on a period it has
     * already seen the future of. Nothing is shuffled; sizes are rounded as in {@link #random}.
     *
     * @param data the dataset to split, samples in time order; not changed
     * @param validationFraction the share of samples held out for validation, in [0, 1)
     * @param testFraction the share of samples held out for testing, in [0, 1); with {@code validationFraction}
     *        below 1 in all
     * @return new train, validation and test datasets of copied samples, each in the original order
     * @throws IllegalArgumentException if a fraction is negative or NaN, or the two sum to 1 or more
     */
    public static DataSplit chronological(Dataset data, double validationFraction, double testFraction) {
        checkFractions(validationFraction, testFraction);
        int n = data.size();
        int test = (int) Math.round(n * testFraction);
        int validation = Math.min(n - test, (int) Math.round(n * validationFraction));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int trainEnd = n - test - validation;
        return new DataSplit(
                data.subset(order, 0, trainEnd, data.name() + " (train)"),
                data.subset(order, trainEnd, trainEnd + validation, data.name() + " (validation)"),
                data.subset(order, trainEnd + validation, n, data.name() + " (test)"));
    }

    /**
     * A seeded split of a classification set that keeps each class's share in every part.
     *
     * @param data the classification set to split; not changed
     * @param validationFraction the share of samples held out for validation, in [0, 1)
     * @param testFraction the share of samples held out for testing, in [0, 1); with {@code validationFraction}
     *        below 1 in all
     * @param seed the seed of the shuffles; the same data and seed give the same split
     * @return new train, validation and test datasets of copied samples, each in shuffled order (not grouped
     *         by class)
     * @throws IllegalArgumentException for a regression set, or if a fraction is negative or NaN, or the two sum
     *                                  to 1 or more
     */
    public static DataSplit stratified(Dataset data, double validationFraction, double testFraction, long seed) {
        checkFractions(validationFraction, testFraction);
        if (!data.isClassification()) {
            throw new IllegalArgumentException("stratified split: dataset " + data.name()
                    + " is a regression set; use Splits.random");
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        IntList train = new IntList();
        IntList validation = new IntList();
        IntList test = new IntList();
        for (List<Integer> members : byClass) {
            int m = members.size();
            int[] order = MiniBatches.shuffle(m, rnd);
            int t = (int) Math.round(m * testFraction);
            int v = Math.min(m - t, (int) Math.round(m * validationFraction));
            for (int k = 0; k < m; k++) {
                int sample = members.get(order[k]);
                (k < t ? test : k < t + v ? validation : train).add(sample);
            }
        }
        // Each part is shuffled again so that its samples are not grouped by class.
        return new DataSplit(
                part(data, train, rnd, " (train)"),
                part(data, validation, rnd, " (validation)"),
                part(data, test, rnd, " (test)"));
    }

    private static Dataset part(Dataset data, IntList members, SplittableRandom rnd, String suffix) {
        int[] order = MiniBatches.shuffle(members.size, rnd);
        int[] indices = new int[members.size];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = members.values[order[i]];
        }
        return data.subset(indices, 0, indices.length, data.name() + suffix);
    }

    private static void checkFractions(double validation, double test) {
        if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
            throw new IllegalArgumentException("split: validation fraction " + validation + " and test fraction " + test
                    + " must be non-negative and leave some training data (sum below 1)");
        }
    }

    /** A growable int array, to avoid boxing every sample index. */
    private static final class IntList {
        int[] values = new int[16];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }
    }
}
