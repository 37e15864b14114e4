package dendrite.nn.data;

import java.util.Arrays;
import java.util.List;

/**
 * An in-memory dataset on the host: {@code n} samples of a fixed shape, each with a target.
 *
 * <p>Features are row-major floats, sample after sample. For classification the target of a
 * sample is its class index (stored as a float, one per sample) and {@link #numClasses()} is
 * positive; for regression each sample has {@link #targetSize()} target values and
 * {@link #numClasses()} is 0. Tensors are made from it one mini-batch at a time, so a dataset
 * is independent of any backend. A NaN or infinite value, in features or targets, is refused with
 * an {@link IllegalArgumentException} naming the row when the dataset is made.
 */
public final class Dataset {
    /** The most elements a Java array can have (as {@link dendrite.tensor.Shape} allows a tensor). */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final String name;
    private final float[] features;
    private final int[] sampleShape;
    private final int sampleSize;
    private final float[] targets;
    private final int targetSize;
    private final int numClasses;
    private final List<String> classNames;

    private Dataset(String name, float[] features, int[] sampleShape, float[] targets, int targetSize,
            int numClasses, List<String> classNames) {
        if (name == null) {
            throw new IllegalArgumentException("dataset: name is null");
        }
        present(name, "features", features);
        present(name, "sampleShape", sampleShape);
        present(name, "targets", targets);
        this.name = name;
        this.features = features;
        this.sampleShape = sampleShape.clone();
        long s = 1;
        for (int d : sampleShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("dataset " + name + ": sample shape " + Arrays.toString(sampleShape)
                        + " must have positive dimensions");
            }
        }
        for (int d : sampleShape) {
            s *= d;
            if (s > MAX_ARRAY) {
                throw new IllegalArgumentException("dataset " + name + ": sample shape " + Arrays.toString(sampleShape)
                        + " holds more values than an array can (at most " + MAX_ARRAY + ")");
            }
        }
        this.sampleSize = (int) s;
        if (targetSize < 0) {
            throw new IllegalArgumentException("dataset " + name + ": targetSize must be at least 0, got " + targetSize);
        }
        this.targets = targets;
        this.targetSize = targetSize;
        this.numClasses = numClasses;
        this.classNames = classNames(name, numClasses, classNames);
        if (features.length % sampleSize != 0) {
            throw new IllegalArgumentException("dataset " + name + ": " + features.length
                    + " feature values are not a whole number of samples of shape " + Arrays.toString(sampleShape));
        }
        int n = features.length / sampleSize;
        if (targets.length != (long) n * targetSize) {
            throw new IllegalArgumentException("dataset " + name + ": " + n + " samples but " + targets.length
                    + " target values (expected " + (long) n * targetSize + ")");
        }
        refuseNonFinite(name, "feature", features, sampleSize);
        refuseNonFinite(name, "target", targets, targetSize);
        if (numClasses > 0) {
            for (int i = 0; i < targets.length; i++) {
                float t = targets[i];
                if (t != (int) t || t < 0 || t >= numClasses) {
                    throw new IllegalArgumentException("dataset " + name + ": sample " + i + " has label " + t
                            + ", not a class in [0, " + numClasses + ")");
                }
            }
        }
    }

    private static void present(String name, String what, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("dataset " + name + ": " + what + " is null");
        }
    }

    /** The class names, copied: none (unnamed classes), or one per class, none of them null. */
    private static List<String> classNames(String name, int numClasses, List<String> classNames) {
        if (classNames == null || classNames.isEmpty()) {
            return List.of();
        }
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException("dataset " + name + ": " + classNames.size() + " class names "
                    + classNames + " for " + numClasses + " classes");
        }
        for (int i = 0; i < classNames.size(); i++) {
            if (classNames.get(i) == null) {
                throw new IllegalArgumentException("dataset " + name + ": class name " + i + " is null");
            }
        }
        return List.copyOf(classNames);
    }

    /**
     * NaN and infinity are refused when a dataset is made, naming the row, so that bad numbers are
     * caught where they enter rather than as a NaN loss many steps into training.
     */
    private static void refuseNonFinite(String name, String what, float[] values, int perSample) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("dataset " + name + ": row " + i / perSample + " (0-based) has "
                        + what + " " + i % perSample + " = " + values[i]
                        + "; NaN and infinity are refused in data (clean or impute them first)");
            }
        }
    }

    /**
     * A classification set: one class index per sample in [0, numClasses).
     *
     * @param name a name for messages and {@link #toString()}, e.g. {@code mnist-train}
     * @param features the features, row-major, {@code n * product(sampleShape)} finite values; kept, not copied
     * @param sampleShape the shape of one sample, every dimension {@code >= 1}, e.g. {@code [784]} or
     *        {@code [1, 28, 28]}; copied
     * @param labels the class index of each of the {@code n} samples, each in [0, numClasses); copied
     * @param numClasses the number of classes, at least 1
     * @param classNames the class names in class order, one per class, or empty (or {@code null}) when unnamed;
     *        copied
     * @return a new dataset with {@link #targetSize()} 1
     * @throws IllegalArgumentException if the features are not a whole number of samples, the labels are not
     *         one per sample or out of range, there is no class, the class names are not one per class, a
     *         dimension is below 1, a sample holds more values than an array can, a value is NaN or infinite,
     *         or an argument other than {@code classNames} is null
     */
    public static Dataset classification(String name, float[] features, int[] sampleShape, int[] labels,
            int numClasses, List<String> classNames) {
        present(name, "labels", labels);
        if (numClasses < 1) {
            throw new IllegalArgumentException("dataset " + name + ": a classification set needs at least 1 class, got "
                    + numClasses);
        }
        float[] t = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            t[i] = labels[i];
        }
        return new Dataset(name, features, sampleShape, t, 1, numClasses, classNames);
    }

    /**
     * A regression set: {@code targetSize} values per sample.
     *
     * @param name a name for messages and {@link #toString()}
     * @param features the features, row-major, {@code n * product(sampleShape)} finite values; kept, not copied
     * @param sampleShape the shape of one sample, every dimension {@code >= 1}; copied
     * @param targets the targets, row-major, {@code n * targetSize} finite values; kept, not copied
     * @param targetSize the number of target values per sample, at least 1 (0 for features only, such as
     *        inputs to predict, with no targets)
     * @return a new dataset with {@link #numClasses()} 0
     * @throws IllegalArgumentException if the features are not a whole number of samples, the targets are not
     *         {@code targetSize} per sample, {@code targetSize} is negative, a dimension is below 1, a sample holds more
     *         values than an array can, a value is NaN or infinite, or an argument is null
     */
    public static Dataset regression(String name, float[] features, int[] sampleShape, float[] targets, int targetSize) {
        return new Dataset(name, features, sampleShape, targets, targetSize, 0, List.of());
    }

    /**
     * The dataset's name, as used in messages and {@link #toString()}.
     *
     * @return the name given when the dataset was made
     */
    public String name() {
        return name;
    }

    /**
     * Number of samples.
     *
     * @return the number of samples, {@code >= 0}
     */
    public int size() {
        return features.length / sampleSize;
    }

    /**
     * The shape of one sample, e.g. [784] or [1, 28, 28].
     *
     * @return a new copy of the dimensions, outermost first
     */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /**
     * Values per sample.
     *
     * @return the product of {@link #sampleShape()}
     */
    public int sampleSize() {
        return sampleSize;
    }

    /**
     * Values per target: 1 for classification.
     *
     * @return the number of target values per sample
     */
    public int targetSize() {
        return targetSize;
    }

    /**
     * Number of classes, or 0 for regression.
     *
     * @return the number of classes, or 0
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Whether this is a classification set, with one class index per sample.
     *
     * @return {@code true} when {@link #numClasses()} is positive, {@code false} for a regression set
     */
    public boolean isClassification() {
        return numClasses > 0;
    }

    /**
     * Class names when known (e.g. "T-shirt/top"), else empty.
     *
     * @return an unmodifiable list of names in class order, or an empty list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The features, row-major, sample after sample. Shared, not copied: do not modify.
     *
     * @return the dataset's own array of {@code size() * sampleSize()} values
     */
    public float[] features() {
        return features;
    }

    /**
     * The targets (class indices as floats for classification). Shared, not copied: do not modify.
     *
     * @return the dataset's own array of {@code size() * targetSize()} values
     */
    public float[] targets() {
        return targets;
    }

    /**
     * Class label of sample {@code i}.
     *
     * @param i the sample's index, in [0, size())
     * @return its class index, in [0, numClasses())
     * @throws IllegalStateException if this is a regression set
     * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
     */
    public int label(int i) {
        if (numClasses == 0) {
            throw new IllegalStateException("dataset " + name + " is a regression set: it has no class labels");
        }
        return (int) targets[i];
    }

    /**
     * All class labels, one per sample (a new array).
     *
     * @return a new array of {@link #size()} class indices, in sample order
     * @throws IllegalStateException if this is a regression set
     */
    public int[] labels() {
        if (numClasses == 0) {
            throw new IllegalStateException("dataset " + name + " is a regression set: it has no class labels");
        }
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) targets[i];
        }
        return out;
    }

    /**
     * How many samples each class has (index = class).
     *
     * @return a new array of {@link #numClasses()} counts
     * @throws IllegalStateException if this is a non-empty regression set
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = 0, n = size(); i < n; i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /**
     * Class weights that make every class count as much in a weighted loss, however rare it is:
     * {@code size / (numClasses * count)} for each class, scikit-learn's {@code "balanced"} (what Keras
     * users pass as {@code class_weight}). Give them to
     * {@link dendrite.nn.losses.Losses#softmaxCrossEntropy(float[], double)}.
     *
     * @return a new array of {@link #numClasses()} weights, 1 for every class when all are equally common
     * @throws IllegalStateException if this is a regression set, or a class has no samples (its weight
     *         would be infinite), naming the class
     */
    public float[] balancedClassWeights() {
        if (!isClassification()) {
            throw new IllegalStateException(name + ": balanced class weights need a classification set");
        }
        int[] counts = classCounts();
        float[] weights = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                throw new IllegalStateException(name + ": class " + c + (classNames.isEmpty() ? "" : " ("
                        + classNames.get(c) + ")") + " has no samples, so no finite weight balances it");
            }
            weights[c] = (float) ((double) size() / ((double) counts.length * counts[c]));
        }
        return weights;
    }

    /**
     * Copies the features of samples {@code indices[from .. to)} into the first rows of
     * {@code out}, without allocating: how a training loop fills its reused batch buffer.
     *
     * @param indices sample indices, each in [0, size())
     * @param from the first position of {@code indices} to copy, {@code >= 0}
     * @param to one past the last position to copy, in [from, indices.length]
     * @param out the buffer to fill, at least {@code (to - from) * sampleSize()} long; values past those are
     *        left as they are
     * @throws IndexOutOfBoundsException if {@code from} or {@code to} is out of range, or an index is not a sample
     * @throws IllegalArgumentException if {@code out} is too short
     */
    public void copyFeatures(int[] indices, int from, int to, float[] out) {
        copyRows(features, sampleSize, indices, from, to, out, "features");
    }

    /**
     * As {@link #copyFeatures}, for the targets ({@link #targetSize()} values per sample).
     *
     * @param indices sample indices, each in [0, size())
     * @param from the first position of {@code indices} to copy, {@code >= 0}
     * @param to one past the last position to copy, in [from, indices.length]
     * @param out the buffer to fill, at least {@code (to - from) * targetSize()} long; values past those are
     *        left as they are
     * @throws IndexOutOfBoundsException if {@code from} or {@code to} is out of range, or an index is not a sample
     * @throws IllegalArgumentException if {@code out} is too short
     */
    public void copyTargets(int[] indices, int from, int to, float[] out) {
        copyRows(targets, targetSize, indices, from, to, out, "targets");
    }

    private void copyRows(float[] src, int width, int[] indices, int from, int to, float[] out, String what) {
        if (from < 0 || to > indices.length || from > to) {
            throw new IndexOutOfBoundsException("dataset " + name + ": batch [" + from + ", " + to + ") of "
                    + indices.length + " indices");
        }
        if ((long) (to - from) * width > out.length) {
            throw new IllegalArgumentException("dataset " + name + ": a batch of " + (to - from) + " samples needs "
                    + (long) (to - from) * width + " " + what + " values, buffer holds " + out.length);
        }
        int n = size();
        for (int r = 0; r < to - from; r++) {
            int i = indices[from + r];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("dataset " + name + ": sample " + i + " of " + n);
            }
            System.arraycopy(src, i * width, out, r * width, width);
        }
    }

    /**
     * A new dataset of the samples at {@code indices}, in that order.
     *
     * @param indices sample indices, each in [0, size()); may repeat
     * @return a new dataset of the same name with copies of those samples
     * @throws IndexOutOfBoundsException if an index is not a sample
     * @throws IllegalArgumentException if the samples hold more values than an array can
     */
    public Dataset subset(int[] indices) {
        return subset(indices, 0, indices.length, name);
    }

    /**
     * A new dataset of {@code indices[from .. to)}, named {@code newName}.
     *
     * @param indices sample indices, each in [0, size()); may repeat
     * @param from the first position of {@code indices} to take, {@code >= 0}
     * @param to one past the last position to take, in [from, indices.length]
     * @param newName the new dataset's name
     * @return a new dataset with copies of those samples, in that order
     * @throws IndexOutOfBoundsException if {@code from} or {@code to} is out of range, or an index is not a sample
     * @throws IllegalArgumentException if the samples hold more values than an array can
     */
    public Dataset subset(int[] indices, int from, int to, String newName) {
        if (from < 0 || to > indices.length || from > to) {
            throw new IndexOutOfBoundsException("dataset " + name + ": subset [" + from + ", " + to + ") of "
                    + indices.length + " indices");
        }
        int count = to - from;
        if ((long) count * sampleSize > MAX_ARRAY || (long) count * targetSize > MAX_ARRAY) {
            throw new IllegalArgumentException("dataset " + name + ": " + count + " samples of " + sampleSize
                    + " values and " + targetSize + " targets are more than an array can hold (at most " + MAX_ARRAY
                    + " values)");
        }
        float[] f = new float[count * sampleSize];
        float[] t = new float[count * targetSize];
        for (int r = 0; r < count; r++) {
            int i = indices[from + r];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("dataset " + name + ": sample " + i + " of " + size());
            }
            System.arraycopy(features, i * sampleSize, f, r * sampleSize, sampleSize);
            System.arraycopy(targets, i * targetSize, t, r * targetSize, targetSize);
        }
        return new Dataset(newName, f, sampleShape, t, targetSize, numClasses, classNames);
    }

    /**
     * The first {@code n} samples (or all, if fewer).
     *
     * @param n the number of samples to keep, {@code >= 0}
     * @return a new dataset of the same name with copies of the first {@code min(n, size())} samples
     */
    public Dataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return subset(idx, 0, idx.length, name);
    }

    /**
     * This dataset with other features (same samples and targets), e.g. after scaling.
     *
     * @param newFeatures the new features, row-major, {@code size() * sampleSize()} finite values; kept, not copied
     * @return a new dataset of the same name, shape and targets (the targets are shared)
     * @throws IllegalArgumentException if the length is not a whole number of samples matching the targets, or a
     *         value is NaN or infinite
     */
    public Dataset withFeatures(float[] newFeatures) {
        return new Dataset(name, newFeatures, sampleShape, targets, targetSize, numClasses, classNames);
    }

    /**
     * This regression set with other targets, {@link #targetSize()} per sample (the features are shared).
     *
     * @param newTargets the new targets, row-major, {@code size() * targetSize()} finite values; kept, not copied
     * @return a new dataset of the same name, features and shape
     * @throws IllegalArgumentException if this is a classification set, the length is wrong, or a value is NaN or
     *         infinite
     */
    public Dataset withTargets(float[] newTargets) {
        if (isClassification()) {
            throw new IllegalArgumentException("dataset " + name + ": a classification set keeps its class indices");
        }
        return new Dataset(name, features, sampleShape, newTargets, targetSize, numClasses, classNames);
    }

    /**
     * This dataset with each sample seen as {@code shape} (the same number of values): a CSV of
     * pixels as images, {@code withSampleShape(1, 28, 28)}. The values are shared, not copied.
     *
     * @param shape the new shape of one sample, every dimension at least 1, holding {@link #sampleSize()} values
     * @return a new dataset with the same name, values and targets
     * @throws IllegalArgumentException when the sizes differ, or a dimension is below 1
     */
    public Dataset withSampleShape(int... shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("withSampleShape: dimension " + d + " in " + Arrays.toString(shape)
                        + " must be at least 1");
            }
            size *= d;
        }
        if (size != sampleSize()) {
            throw new IllegalArgumentException("withSampleShape: " + Arrays.toString(shape) + " holds " + size
                    + " values, but the samples of " + name + " have " + sampleSize() + " " + Arrays.toString(sampleShape));
        }
        return new Dataset(name, features, shape.clone(), targets, targetSize, numClasses, classNames);
    }

    @Override
    public String toString() {
        return name + ": " + size() + " samples of " + Arrays.toString(sampleShape)
                + (numClasses > 0 ? ", " + numClasses + " classes" : ", " + targetSize + " targets");
    }
}
