package dendrite.nn.losses;

import java.util.Map;

/**
 * The built-in losses by name, for code and for configuration.
 *
 * <pre>{@code
 * Loss loss = Losses.softmaxCrossEntropy();
 * Loss same = Losses.byName("softmax_cross_entropy", Map.of());
 * }</pre>
 */
public final class Losses {
    private Losses() {
    }

    public static Loss mse() {
        return new MeanSquaredError();
    }

    public static Loss mae() {
        return new MeanAbsoluteError();
    }

    public static Loss huber(double delta) {
        return new Huber(delta);
    }

    /** Binary cross-entropy on probabilities (after a sigmoid layer). */
    public static Loss binaryCrossEntropy() {
        return new BinaryCrossEntropy();
    }

    /** Binary cross-entropy on logits, the stable choice for binary classification. */
    public static Loss binaryCrossEntropyWithLogits() {
        return new BinaryCrossEntropyWithLogits();
    }

    /** Softmax cross-entropy on logits, with class indices or one-hot targets. */
    public static Loss softmaxCrossEntropy() {
        return new SoftmaxCrossEntropy();
    }

    public static Loss softmaxCrossEntropy(double labelSmoothing) {
        return new SoftmaxCrossEntropy(labelSmoothing);
    }

    /** A loss by its {@link Loss#name()}; {@code huber} reads {@code delta}, cross-entropy {@code label_smoothing}. */
    public static Loss byName(String name, Map<String, ?> config) {
        return switch (name) {
            case "mse" -> mse();
            case "mae" -> mae();
            case "huber" -> huber(number(config, "delta", 1.0));
            case "bce" -> binaryCrossEntropy();
            case "bce_with_logits" -> binaryCrossEntropyWithLogits();
            case "softmax_cross_entropy", "cross_entropy" -> softmaxCrossEntropy(number(config, "label_smoothing", 0));
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; known: mse, mae, huber, bce, bce_with_logits, softmax_cross_entropy");
        };
    }

    private static double number(Map<String, ?> config, String key, double orElse) {
        Object v = config == null ? null : config.get(key);
        return v == null ? orElse : ((Number) v).doubleValue();
    }
}
