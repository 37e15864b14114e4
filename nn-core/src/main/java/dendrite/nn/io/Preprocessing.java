package dendrite.nn.io;

import dendrite.nn.data.Scaler;
import dendrite.nn.internal.Json;
import dendrite.nn.internal.JsonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model needs around it to be used on new data, saved in its model file beside the weights:
 * the input scaling fitted on the training data (Keras keeps it as a {@code Normalization} layer,
 * DL4J as the normalizer in its model file), the names of the classes, and for a regression the
 * scaling of its targets (the network learns standardized targets; {@link #restore} gives its
 * outputs back in the target's units, as scikit-learn's {@code TransformedTargetRegressor} does).
 *
 * <pre>{@code
 * ModelFile.save(model, file, Preprocessing.of(scaler, data.classNames()));
 * ...
 * SavedModel saved = ModelFile.loadSaved(file, backend);       // in another program
 * String label = saved.predictClassNames(rawFeatures, 1).get(0);
 * }</pre>
 *
 * <p>Java and the {@code dendrite} command read and write the same keys ({@code dendrite.input_scaler.*},
 * {@code dendrite.target_scaler.*} and {@code dendrite.class_names}, a JSON array, so names keep their commas, quotes and line
 * breaks), so a model saved from either predicts identically through the other. Files the command
 * wrote before these keys existed ({@code cli.scaler.*}, {@code cli.class_names}) are read too.
 */
public final class Preprocessing {
    /** Metadata key prefix of the input scaler's string pairs ({@link Scaler#toMap()}). */
    public static final String INPUT_SCALER_PREFIX = "dendrite.input_scaler.";
    /** Metadata key of the class names, a JSON array of strings. */
    public static final String CLASS_NAMES_KEY = "dendrite.class_names";
    /** Metadata key prefix of the target scaler's string pairs (regression only). */
    public static final String TARGET_SCALER_PREFIX = "dendrite.target_scaler.";
    private static final String LEGACY_SCALER_PREFIX = "cli.scaler.";
    private static final String LEGACY_CLASS_NAMES_KEY = "cli.class_names";
    private static final Preprocessing NONE = new Preprocessing(null, List.of(), null);

    private final Scaler inputScaler;
    private final List<String> classNames;
    private final Scaler targetScaler;

    private Preprocessing(Scaler inputScaler, List<String> classNames, Scaler targetScaler) {
        this.inputScaler = inputScaler;
        this.classNames = List.copyOf(classNames);
        this.targetScaler = targetScaler;
    }

    /**
     * Nothing: features used as they are, classes unnamed.
     *
     * @return the shared empty instance, which writes no metadata
     */
    public static Preprocessing none() {
        return NONE;
    }

    /**
     * For a classifier (or a regression without target scaling): the input scaling and the class names.
     *
     * @param inputScaler the scaling applied to features before the model sees them, or null for none
     * @param classNames  the classes in output order; empty for unnamed classes or a regression. Copied; neither
     *                    the list nor any name may be {@code null}
     * @return a new preprocessing with no target scaler
     * @throws NullPointerException if {@code classNames} or one of its names is {@code null}
     */
    public static Preprocessing of(Scaler inputScaler, List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames (use List.of() for none)");
        for (String n : classNames) {
            Objects.requireNonNull(n, "a class name is null");
        }
        return new Preprocessing(inputScaler, classNames, null);
    }

    /**
     * For a regression: the model learned targets scaled by {@code targetScaler} (e.g.
     * {@link Scaler#standardizeTargets}), and {@link #restore} turns its outputs back into the
     * target's units.
     *
     * @param inputScaler  the scaling of the features, or null for none
     * @param targetScaler the scaling of the targets, or null for none
     * @return a new preprocessing with no class names
     */
    public static Preprocessing forRegression(Scaler inputScaler, Scaler targetScaler) {
        return new Preprocessing(inputScaler, List.of(), targetScaler);
    }

    /**
     * The target scaling of a regression, or null when the model's outputs are in the target's units.
     *
     * @return the target scaler (shared, not a copy), or {@code null}
     */
    public Scaler targetScaler() {
        return targetScaler;
    }

    /**
     * Outputs in the target's units: {@code outputs} unscaled in place by the target scaler, or left
     * as they are when there is none; returns {@code outputs}.
     *
     * @param outputs the model's outputs, row-major, as many per sample as the target scaler has targets;
     *        overwritten
     * @return {@code outputs} itself, not a copy
     * @throws IllegalArgumentException if the target scaler cannot unscale that many values
     */
    public float[] restore(float[] outputs) {
        if (targetScaler != null) {
            targetScaler.inverseTransformInPlace(outputs);
        }
        return outputs;
    }

    /**
     * The input scaling, or null when the features are used as they are.
     *
     * @return the input scaler (shared, not a copy), or {@code null}
     */
    public Scaler inputScaler() {
        return inputScaler;
    }

    /**
     * The class names in output order; empty when none were given.
     *
     * @return an unmodifiable list of the names, index {@code i} naming output {@code i}
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * {@code features} as the model expects them: scaled when there is a scaler, else the array itself.
     *
     * @param features raw features, row-major, the input scaler's feature count per sample; not changed
     * @return a new scaled array when there is an input scaler, otherwise {@code features} itself
     * @throws IllegalArgumentException if the length is not a whole number of samples for the input scaler
     */
    public float[] prepare(float[] features) {
        return inputScaler == null ? features : inputScaler.transform(features);
    }

    /** As model-file metadata: the keys named above, none when there is nothing to keep. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        if (inputScaler != null) {
            inputScaler.toMap().forEach((k, v) -> m.put(INPUT_SCALER_PREFIX + k, v));
        }
        if (!classNames.isEmpty()) {
            m.put(CLASS_NAMES_KEY, Json.write(classNames));
        }
        if (targetScaler != null) {
            targetScaler.toMap().forEach((k, v) -> m.put(TARGET_SCALER_PREFIX + k, v));
        }
        return m;
    }

    /**
     * Reads what {@link #toMetadata()} wrote (or the command line's older keys); nothing for a file
     * without them, such as one PyTorch wrote.
     *
     * @throws ModelFormatException naming {@code file} and the bad value
     */
    static Preprocessing fromMetadata(Map<String, String> metadata, String file) throws ModelFormatException {
        Map<String, String> scaler = withPrefix(metadata, INPUT_SCALER_PREFIX);
        if (scaler.isEmpty()) {
            scaler = withPrefix(metadata, LEGACY_SCALER_PREFIX);
        }
        Scaler inputScaler;
        try {
            inputScaler = scaler.isEmpty() ? null : Scaler.fromMap(scaler);
        } catch (IllegalArgumentException e) {
            throw ModelFormatException.of(file, "bad input scaler in its metadata: " + e.getMessage(), e);
        }
        Map<String, String> target = withPrefix(metadata, TARGET_SCALER_PREFIX);
        Scaler targetScaler;
        try {
            targetScaler = target.isEmpty() ? null : Scaler.fromMap(target);
        } catch (IllegalArgumentException e) {
            throw ModelFormatException.of(file, "bad target scaler in its metadata: " + e.getMessage(), e);
        }
        String names = metadata.get(CLASS_NAMES_KEY);
        if (names == null) {
            names = metadata.get(LEGACY_CLASS_NAMES_KEY);
        }
        return new Preprocessing(inputScaler, classNames(names, file), targetScaler);
    }

    private static Map<String, String> withPrefix(Map<String, String> metadata, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    /** A JSON array of names; the command line's first files held them one per line. */
    private static List<String> classNames(String stored, String file) throws ModelFormatException {
        if (stored == null) {
            return List.of();
        }
        if (!stored.startsWith("[")) {
            return List.of(stored.split("\n", -1));
        }
        Object parsed;
        try {
            parsed = Json.parse(stored);
        } catch (JsonException e) {
            throw ModelFormatException.of(file, "bad class names in its metadata: " + e.getMessage(), e);
        }
        if (!(parsed instanceof List<?> list)) {
            throw ModelFormatException.of(file, "bad class names in its metadata: " + Json.typeName(parsed)
                    + " instead of a list of names");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String name)) {
                throw ModelFormatException.of(file, "bad class names in its metadata: " + Json.typeName(o)
                        + " where a name belongs");
            }
            out.add(name);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Preprocessing[scaler=" + (inputScaler == null ? "none" : inputScaler.kind()) + ", classes=" + classNames
                + (targetScaler == null ? "" : ", target scaler=" + targetScaler.kind()) + "]";
    }
}
