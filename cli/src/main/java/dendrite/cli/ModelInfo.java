package dendrite.cli;

import dendrite.nn.data.Scaler;
import dendrite.nn.io.Preprocessing;
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
 * @param scaler       null when features were used as they are
 * @param targetScaler a regression's target scaling (the model's outputs are scaled targets); null for none
 */
record ModelInfo(boolean classification, List<String> classNames, Scaler scaler, Scaler targetScaler, String dataset, long seed,
        double validationFraction, double testFraction, String label, String target, String dataFingerprint,
        char delimiter, Integer limit, List<String> dropped, Integer window, Integer horizon, Integer stride,
        Integer wordVocabulary) {

    private static final String PREFIX = "cli.";   // nn-core owns the "dendrite." keys

    /**
     * The scaler and class names, which nn-core keeps under its own keys: a model saved from Java
     * with them predicts the same through {@code dendrite predict}, and the reverse.
     */
    Preprocessing preprocessing() {
        return classification ? Preprocessing.of(scaler, classNames) : Preprocessing.forRegression(scaler, targetScaler);
    }

    /** A regression's outputs in the target's units (unscaled in place); returns {@code outputs}. */
    float[] restore(float[] outputs) {
        if (targetScaler != null) {
            targetScaler.inverseTransformInPlace(outputs);
        }
        return outputs;
    }

    /** {@code data} with its features scaled as in training, and a regression's targets too. */
    dendrite.nn.data.Dataset prepare(dendrite.nn.data.Dataset data) {
        return prepare(data, scaler, targetScaler);
    }

    /** {@code data} with its features scaled by {@code scaler} and a regression's targets by {@code targetScaler} (either may be null). */
    static dendrite.nn.data.Dataset prepare(dendrite.nn.data.Dataset data, Scaler scaler, Scaler targetScaler) {
        dendrite.nn.data.Dataset d = scaler == null ? data : scaler.transform(data);
        return targetScaler == null || d.isClassification() ? d : targetScaler.transformTargets(d);
    }

    /** The rest, as safetensors metadata: string pairs, all keys starting with {@code cli.}. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "task", classification ? "classification" : "regression");
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
        if (delimiter != ',') {
            m.put(PREFIX + "delimiter", String.valueOf(delimiter));
        }
        if (limit != null) {
            m.put(PREFIX + "limit", Integer.toString(limit));
        }
        if (!dropped.isEmpty()) {
            m.put(PREFIX + "dropped_columns", String.join("\n", dropped));
        }
        if (window != null) {
            m.put(PREFIX + "window", Integer.toString(window));
        }
        if (horizon != null) {
            m.put(PREFIX + "horizon", Integer.toString(horizon));
        }
        if (stride != null) {
            m.put(PREFIX + "stride", Integer.toString(stride));
        }
        if (wordVocabulary != null) {
            m.put(PREFIX + "word_vocabulary", Integer.toString(wordVocabulary));
        }
        return m;
    }

    /**
     * Reads the metadata written by {@link #toMetadata()}, with the scaler and class names nn-core
     * read from the same file. A file from elsewhere (e.g. saved from PyTorch) has none of it; it is
     * then taken as a classifier of unnamed classes on unscaled features, with no dataset of its own.
     */
    static ModelInfo fromMetadata(Map<String, String> m, String file, Preprocessing preprocessing) {
        boolean classification = !"regression".equals(m.get(PREFIX + "task"));
        return new ModelInfo(classification, preprocessing.classNames(), preprocessing.inputScaler(),
                preprocessing.targetScaler(),
                m.get(PREFIX + "dataset"), parseLong(m.get(PREFIX + "seed"), 42, file),
                parseDouble(m.get(PREFIX + "validation_fraction"), 0.1, file),
                parseDouble(m.get(PREFIX + "test_fraction"), 0.2, file), m.get(PREFIX + "label"), m.get(PREFIX + "target"),
                m.get(PREFIX + "data_fingerprint"), delimiter(m.get(PREFIX + "delimiter"), file),
                m.containsKey(PREFIX + "limit") ? (int) parseLong(m.get(PREFIX + "limit"), 0, file) : null,
                m.containsKey(PREFIX + "dropped_columns") ? List.of(m.get(PREFIX + "dropped_columns").split("\n")) : List.of(),
                m.containsKey(PREFIX + "window") ? (int) parseLong(m.get(PREFIX + "window"), 0, file) : null,
                m.containsKey(PREFIX + "horizon") ? (int) parseLong(m.get(PREFIX + "horizon"), 1, file) : null,
                m.containsKey(PREFIX + "stride") ? (int) parseLong(m.get(PREFIX + "stride"), 1, file) : null,
                m.containsKey(PREFIX + "word_vocabulary") ? (int) parseLong(m.get(PREFIX + "word_vocabulary"), 2, file) : null);
    }

    private static char delimiter(String stored, String file) {
        if (stored == null) {
            return ',';
        }
        if (stored.length() != 1) {
            throw new BadInputException(file + ": metadata value '" + stored + "' is not a CSV delimiter");
        }
        return stored.charAt(0);
    }

    /** How eval reads the data train read: the columns, and a series' window and horizon. */
    DataSource.CsvColumns columns(String label, String target, char delimiter, List<String> drop) {
        return window == null ? new DataSource.CsvColumns(label, target, delimiter, drop)
                : new DataSource.CsvColumns(label, target, delimiter, drop, window, horizon == null ? 1 : horizon,
                        stride == null ? DataSource.CsvColumns.DEFAULT_STRIDE : stride,
                        wordVocabulary == null ? 0 : wordVocabulary);
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
