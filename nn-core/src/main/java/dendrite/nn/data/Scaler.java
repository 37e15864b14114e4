package dendrite.nn.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A per-feature affine scaling, {@code x' = (x - offset) * scale}, fitted on a training split and
 * then applied unchanged to validation, test and prediction data (fitting on all the data would
 * leak test statistics into training).
 *
 * <ul>
 *   <li>{@link #standardize}: offset = mean, scale = 1 / standard deviation (population, as
 *       scikit-learn's {@code StandardScaler}); a constant feature keeps scale 1.</li>
 *   <li>{@link #minMax}: offset = minimum, scale = 1 / (max - min), mapping the training range to
 *       [0, 1]; a constant feature keeps scale 1.</li>
 * </ul>
 * A scaler is plain numbers: {@link #toMap()} and {@link #fromMap} turn it into string pairs
 * that fit a model file's metadata, so a saved model can scale its inputs as it was trained.
 *
 * <pre>{@code
 * Scaler scaler = Scaler.standardize(split.train());
 * Dataset train = scaler.transform(split.train());
 * Dataset test = scaler.transform(split.test());
 * }</pre>
 */
public final class Scaler {
    /** How the numbers were fitted; the transform is the same affine map for both. */
    public enum Kind {
        /** Fitted by {@link Scaler#standardize}: offset = mean, scale = 1 / standard deviation. */
        STANDARD,
        /** Fitted by {@link Scaler#minMax}: offset = minimum, scale = 1 / (max - min). */
        MIN_MAX
    }

    private final Kind kind;
    private final float[] offset;
    private final float[] scale;

    private Scaler(Kind kind, float[] offset, float[] scale) {
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("scaler: " + offset.length + " offsets but " + scale.length + " scales");
        }
        if (offset.length == 0) {
            throw new IllegalArgumentException("scaler: no features (offset and scale are empty)");
        }
        for (int j = 0; j < offset.length; j++) {
            if (!Float.isFinite(offset[j]) || !Float.isFinite(scale[j])) {
                throw new IllegalArgumentException("scaler: feature " + j + " has offset " + offset[j]
                        + " and scale " + scale[j] + "; both must be finite");
            }
        }
        this.kind = kind;
        this.offset = offset;
        this.scale = scale;
    }

    /**
     * A scaler from known numbers (e.g. read back from a model file).
     *
     * @param kind how the numbers were fitted; recorded only, the transform is the same for both kinds
     * @param offset the value subtracted from each feature, one per feature, finite; copied
     * @param scale the multiplier of each feature after the offset, one per feature, finite; copied
     * @return a new scaler of {@code offset.length} features
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold a NaN or infinity
     */
    public static Scaler of(Kind kind, float[] offset, float[] scale) {
        return new Scaler(kind, offset.clone(), scale.clone());
    }

    /**
     * Fits mean and standard deviation per feature on {@code train}.
     *
     * @param train the training split, with at least one sample; each value of a sample is a feature
     * @return a new {@link Kind#STANDARD} scaler of {@code train.sampleSize()} features
     * @throws IllegalArgumentException if {@code train} has no samples
     */
    public static Scaler standardize(Dataset train) {
        int d = requireSamples(train, "standardize");
        return standardize(train.features(), train.size(), d);
    }

    /**
     * Fits mean and standard deviation per target column of a regression set, so that a network
     * learns targets of unit scale (as scikit-learn's {@code TransformedTargetRegressor} does): a
     * target in the thousands, or one whose spread is small beside its mean (wine quality: 5.6 ±
     * 0.8), otherwise needs a learning rate tuned to its units. Predictions return to the target's
     * units through {@link #inverseTransform}.
     *
     * @param train the training split of a regression set, with at least one sample
     * @return a new {@link Kind#STANDARD} scaler of {@code train.targetSize()} columns, for
     *         {@link #transformTargets} and {@link #inverseTransform}
     * @throws IllegalArgumentException for a classification set, whose targets are class indices, or one
     *                                  without samples
     */
    public static Scaler standardizeTargets(Dataset train) {
        requireRegression(train, "standardize targets");
        requireSamples(train, "standardize targets");
        return standardize(train.targets(), train.size(), train.targetSize());
    }

    private static Scaler standardize(float[] x, int n, int d) {
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        // Two passes: summing squared deviations avoids the cancellation of E[x²] - E[x]².
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dev = x[i * d + j] - mean[j];
                sq[j] += dev * dev;
            }
        }
        float[] offset = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(sq[j] / n);
            offset[j] = (float) mean[j];
            scale[j] = std > 0 ? (float) (1 / std) : 1f;
        }
        return new Scaler(Kind.STANDARD, offset, scale);
    }

    /**
     * Fits the minimum and maximum per feature on {@code train}, mapping that range to [0, 1].
     *
     * @param train the training split, with at least one sample; each value of a sample is a feature
     * @return a new {@link Kind#MIN_MAX} scaler of {@code train.sampleSize()} features; values outside the
     *         training range map outside [0, 1]
     * @throws IllegalArgumentException if {@code train} has no samples
     */
    public static Scaler minMax(Dataset train) {
        int d = requireSamples(train, "min-max");
        float[] x = train.features();
        float[] min = new float[d];
        float[] max = new float[d];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], x[i * d + j]);
                max[j] = Math.max(max[j], x[i * d + j]);
            }
        }
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            double range = (double) max[j] - min[j];
            scale[j] = range > 0 ? (float) (1 / range) : 1f;
        }
        return new Scaler(Kind.MIN_MAX, min, scale);
    }

    private static void requireRegression(Dataset data, String what) {
        if (data.isClassification()) {
            throw new IllegalArgumentException(what + ": dataset " + data.name()
                    + " is a classification set; its targets are class indices, which are not scaled");
        }
    }

    private static int requireSamples(Dataset train, String what) {
        if (train.size() == 0) {
            throw new IllegalArgumentException(what + " scaler: dataset " + train.name() + " has no samples to fit on");
        }
        return train.sampleSize();
    }

    /**
     * How the scaler was fitted.
     *
     * @return {@link Kind#STANDARD} or {@link Kind#MIN_MAX}
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Number of features this scaler was fitted on.
     *
     * @return the number of offsets and scales, the values per sample it transforms
     */
    public int features() {
        return offset.length;
    }

    /**
     * The per-feature offsets (mean or minimum); a copy.
     *
     * @return a new array of {@link #features()} offsets
     */
    public float[] offsets() {
        return offset.clone();
    }

    /**
     * The per-feature multipliers (1/std or 1/range); a copy.
     *
     * @return a new array of {@link #features()} multipliers
     */
    public float[] scales() {
        return scale.clone();
    }

    /**
     * A dataset with the same samples and targets and scaled features.
     *
     * @param data the dataset to scale, with {@link #features()} values per sample; not changed
     * @return a new dataset of the same name with scaled copies of the features (the targets are shared)
     * @throws IllegalArgumentException if the dataset's sample size differs from {@link #features()}
     */
    public Dataset transform(Dataset data) {
        if (data.sampleSize() != offset.length) {
            throw new IllegalArgumentException("scaler fitted on " + offset.length + " features cannot transform dataset "
                    + data.name() + " with " + data.sampleSize() + " features per sample");
        }
        return data.withFeatures(transform(data.features()));
    }

    /**
     * Scaled copy of row-major features, {@link #features()} values per sample.
     *
     * @param features the features, row-major, a whole number of samples; not changed
     * @return a new array of the scaled values, in the same layout
     * @throws IllegalArgumentException if the length is not a multiple of {@link #features()}
     */
    public float[] transform(float[] features) {
        float[] out = features.clone();
        transformInPlace(out);
        return out;
    }

    /**
     * Scales row-major features in place (no allocation, e.g. for each prediction batch).
     *
     * @param features the features, row-major, a whole number of samples; overwritten with the scaled values
     * @throws IllegalArgumentException if the length is not a multiple of {@link #features()}
     */
    public void transformInPlace(float[] features) {
        int d = offset.length;
        if (features.length % d != 0) {
            throw new IllegalArgumentException("scaler fitted on " + d + " features: " + features.length
                    + " values are not a whole number of samples");
        }
        for (int i = 0; i < features.length; i += d) {
            for (int j = 0; j < d; j++) {
                features[i + j] = (features[i + j] - offset[j]) * scale[j];
            }
        }
    }

    /**
     * A regression set with the same features and its targets scaled by this scaler (fitted with
     * {@link #standardizeTargets}).
     *
     * @param data a regression set with as many targets per sample as this scaler has columns; not changed
     * @return a new dataset of the same name with scaled copies of the targets (the features are shared)
     * @throws IllegalArgumentException for a classification set, or a target size that differs
     */
    public Dataset transformTargets(Dataset data) {
        requireRegression(data, "transform targets");
        if (data.targetSize() != offset.length) {
            throw new IllegalArgumentException("target scaler fitted on " + offset.length + " target(s) cannot transform"
                    + " dataset " + data.name() + " with " + data.targetSize() + " target(s) per sample");
        }
        return data.withTargets(transform(data.targets()));
    }

    /**
     * The values this scaler's {@link #transform} was given back from its output: {@code x / scale + offset}.
     *
     * @param scaled scaled values, row-major, a whole number of rows of {@link #features()}; not changed
     * @return a new array of the values in the original units, in the same layout
     * @throws IllegalArgumentException if the length is not a multiple of {@link #features()}
     */
    public float[] inverseTransform(float[] scaled) {
        float[] out = scaled.clone();
        inverseTransformInPlace(out);
        return out;
    }

    /**
     * {@link #inverseTransform} in place.
     *
     * @param values scaled values, row-major, a whole number of rows; overwritten with the original units
     * @throws IllegalArgumentException if the length is not a multiple of {@link #features()}
     */
    public void inverseTransformInPlace(float[] values) {
        int d = offset.length;
        if (values.length % d != 0) {
            throw new IllegalArgumentException("scaler fitted on " + d + " columns: " + values.length
                    + " values are not a whole number of rows");
        }
        for (int i = 0; i < values.length; i += d) {
            for (int j = 0; j < d; j++) {
                values[i + j] = values[i + j] / scale[j] + offset[j];
            }
        }
    }

    /**
     * The scaler as string pairs: {@code kind} ({@code standard} or {@code min-max}), and
     * {@code offset} and {@code scale} as comma-separated floats that read back exactly.
     *
     * @return a new mutable map with the keys {@code kind}, {@code offset} and {@code scale}, in that order
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", kind == Kind.STANDARD ? "standard" : "min-max");
        m.put("offset", join(offset));
        m.put("scale", join(scale));
        return m;
    }

    /**
     * The scaler written by {@link #toMap()}.
     *
     * @param map string pairs with the keys {@code kind} ({@code standard} or {@code min-max}, any case),
     *        {@code offset} and {@code scale} (comma-separated floats, as many of each); other keys are ignored
     * @return a new scaler
     * @throws IllegalArgumentException if the map is null, a key is missing or blank, the kind is unknown, a
     *         value is empty, not a number or not finite, or the offsets and scales differ in count
     */
    public static Scaler fromMap(Map<String, String> map) {
        if (map == null) {
            throw new IllegalArgumentException("scaler: the map is null");
        }
        String k = require(map, "kind");
        Kind kind = switch (k.toLowerCase(Locale.ROOT)) {
            case "standard" -> Kind.STANDARD;
            case "min-max" -> Kind.MIN_MAX;
            default -> throw new IllegalArgumentException("scaler: unknown kind '" + k + "' (expected standard or min-max)");
        };
        return new Scaler(kind, split(require(map, "offset"), "offset"), split(require(map, "scale"), "scale"));
    }

    private static String require(Map<String, String> map, String key) {
        String v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException("scaler: missing '" + key + "' in " + map.keySet());
        }
        if (v.isBlank()) {
            throw new IllegalArgumentException("scaler: '" + key + "' is blank");
        }
        return v;
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.toString();
    }

    private static float[] split(String s, String key) {
        String[] parts = s.split(",", -1);   // -1: an empty value after the last comma is kept, and refused
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scaler: " + key + " value " + i + " '" + parts[i] + "' is not a number");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return "Scaler[" + kind + ", " + offset.length + " features]";
    }
}
