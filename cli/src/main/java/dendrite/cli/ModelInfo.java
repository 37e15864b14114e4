package dendrite.cli;

import dendrite.nn.data.Scaler;
import dendrite.nn.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the command line stores beside the weights, in the model file's metadata, so that
 * {@code eval} and {@code predict} treat new data exactly as {@code train} treated its data:
 * the task, the class names, the feature scaling fitted on the training part, and where the
 * data came from (dataset, seed and split fractions, to find the same test part again).
 *
 * @param scaler null when features were used as they are
 */
record ModelInfo(boolean classification, List<String> classNames, Scaler scaler, String dataset, long seed,
        double validationFraction, double testFraction, String label, String target, String dataFingerprint) {

    private static final String PREFIX = "cli.";   // nn-core owns the "dendrite." keys

    /** As safetensors metadata: string pairs, all keys starting with {@code dendrite.}. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "task", classification ? "classification" : "regression");
        if (!classNames.isEmpty()) {
            // A JSON array: a CSV field may hold commas, quotes and line breaks, and keeps them all.
            m.put(PREFIX + "class_names", Json.write(classNames));
        }
        if (scaler != null) {
            scaler.toMap().forEach((k, v) -> m.put(PREFIX + "scaler." + k, v));
        }
        m.put(PREFIX + "dataset", dataset);
        m.put(PREFIX + "seed", Long.toString(seed));
        m.put(PREFIX + "validation_fraction", Double.toString(validationFraction));
        m.put(PREFIX + "test_fraction", Double.toString(testFraction));
        if (label != null) {
            m.put(PREFIX + "label", label);
        }
        if (target != null) {
            m.put(PREFIX + "target", target);
        }
        if (dataFingerprint != null) {
            m.put(PREFIX + "data_fingerprint", dataFingerprint);
        }
        return m;
    }

    /**
     * Reads the metadata written by {@link #toMetadata()}. A file from elsewhere (e.g. saved from
     * PyTorch) has none of it; it is then taken as a classifier of unnamed classes on unscaled
     * features, with no dataset of its own.
     */
    static ModelInfo fromMetadata(Map<String, String> m, String file) {
        boolean classification = !"regression".equals(m.get(PREFIX + "task"));
        List<String> classNames = classNames(m.get(PREFIX + "class_names"), file);
        Map<String, String> scalerMap = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(PREFIX + "scaler.")) {
                scalerMap.put(k.substring((PREFIX + "scaler.").length()), v);
            }
        });
        Scaler scaler;
        try {
            scaler = scalerMap.isEmpty() ? null : Scaler.fromMap(scalerMap);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": bad scaler metadata: " + e.getMessage(), e);
        }
        return new ModelInfo(classification, classNames, scaler, m.get(PREFIX + "dataset"),
                parseLong(m.get(PREFIX + "seed"), 42, file), parseDouble(m.get(PREFIX + "validation_fraction"), 0.1, file),
                parseDouble(m.get(PREFIX + "test_fraction"), 0.2, file), m.get(PREFIX + "label"), m.get(PREFIX + "target"),
                m.get(PREFIX + "data_fingerprint"));
    }

    /** A JSON array of names; files written before it held the names one per line. */
    private static List<String> classNames(String stored, String file) {
        if (stored == null) {
            return List.of();
        }
        if (!stored.startsWith("[")) {
            return List.of(stored.split("\n", -1));
        }
        Object parsed;
        try {
            parsed = Json.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": bad class names in its metadata: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String name)) {
                    throw new BadInputException(file + ": bad class names in its metadata: " + Json.typeName(o)
                            + " where a name belongs");
                }
                names.add(name);
            }
            return List.copyOf(names);
        }
        throw new BadInputException(file + ": bad class names in its metadata: " + Json.typeName(parsed)
                + " instead of a list of names");
    }

    /** The class names, numbered where none were stored. */
    List<String> classNamesOrNumbers(int numClasses) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            out.add(i < classNames.size() ? classNames.get(i) : String.valueOf(i));
        }
        return out;
    }

    private static long parseLong(String s, long orElse, String file) {
        try {
            return s == null ? orElse : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(file + ": metadata value '" + s + "' is not an integer");
        }
    }

    private static double parseDouble(String s, double orElse, String file) {
        try {
            return s == null ? orElse : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(file + ": metadata value '" + s + "' is not a number");
        }
    }

    String task() {
        return (classification ? "classification" : "regression").toLowerCase(Locale.ROOT);
    }
}
