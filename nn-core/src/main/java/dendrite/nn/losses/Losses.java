package dendrite.nn.losses;

import dendrite.nn.layers.Configs;

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

    /**
     * Mean squared error, {@code mean (p - y)^2}: PyTorch's {@code MSELoss}, for regression.
     *
     * @return a new loss, named {@code mse}
     */
    public static Loss mse() {
        return new MeanSquaredError();
    }

    /**
     * Mean absolute error, {@code mean |p - y|}: PyTorch's {@code L1Loss}, for regression robust to outliers.
     *
     * @return a new loss, named {@code mae}
     */
    public static Loss mae() {
        return new MeanAbsoluteError();
    }

    /**
     * Huber loss: quadratic for errors up to {@code delta}, linear beyond; PyTorch's {@code HuberLoss(delta)}.
     *
     * @param delta the error at which the loss turns from quadratic to linear, positive, in the target's units
     *              (PyTorch's default is 1.0)
     * @return a new loss, named {@code huber}
     * @throws IllegalArgumentException if {@code delta} is not positive
     */
    public static Loss huber(double delta) {
        return new Huber(delta);
    }

    /**
     * Binary cross-entropy on probabilities (after a sigmoid layer).
     *
     * @return a new loss, named {@code bce}: PyTorch's {@code BCELoss}
     */
    public static Loss binaryCrossEntropy() {
        return new BinaryCrossEntropy();
    }

    /**
     * Binary cross-entropy on logits, the stable choice for binary classification.
     *
     * @return a new loss, named {@code bce_with_logits}: PyTorch's {@code BCEWithLogitsLoss}
     */
    public static Loss binaryCrossEntropyWithLogits() {
        return new BinaryCrossEntropyWithLogits();
    }

    /**
     * Softmax cross-entropy on logits, with class indices or one-hot targets.
     *
     * @return a new loss without label smoothing, named {@code softmax_cross_entropy}: PyTorch's
     *         {@code CrossEntropyLoss}
     */
    public static Loss softmaxCrossEntropy() {
        return new SoftmaxCrossEntropy();
    }

    /**
     * Softmax cross-entropy on logits with label smoothing: PyTorch's
     * {@code CrossEntropyLoss(label_smoothing=labelSmoothing)}.
     *
     * @param labelSmoothing the share s of each target spread evenly over the classes, in [0, 1) (0: none);
     *                       the target becomes {@code (1 - s) y + s / C}
     * @return a new loss, named {@code softmax_cross_entropy}
     * @throws IllegalArgumentException if {@code labelSmoothing} is outside [0, 1)
     */
    public static Loss softmaxCrossEntropy(double labelSmoothing) {
        return new SoftmaxCrossEntropy(labelSmoothing);
    }

    /**
     * A loss by its {@link Loss#name()}; {@code huber} reads {@code delta}, cross-entropy {@code label_smoothing}.
     *
     * @param name   {@code mse}, {@code mae}, {@code huber}, {@code bce}, {@code bce_with_logits}, or
     *               {@code softmax_cross_entropy} (also {@code cross_entropy})
     * @param config the options: {@code delta} for huber (default 1.0), {@code label_smoothing} for
     *               cross-entropy (default 0), as numbers; may be {@code null} or empty
     * @return a new loss of that name
     * @throws IllegalArgumentException for an unknown (or null) name, listing the known ones, or an option that is
     *                                  not a number or out of range
     */
    public static Loss byName(String name, Map<String, ?> config) {
        return switch (String.valueOf(name)) {     // null: "null", refused as unknown
            case "mse" -> mse();
            case "mae" -> mae();
            case "huber" -> huber(number(config, "huber", "delta", 1.0));
            case "bce" -> binaryCrossEntropy();
            case "bce_with_logits" -> binaryCrossEntropyWithLogits();
            case "softmax_cross_entropy", "cross_entropy" ->
                    softmaxCrossEntropy(number(config, "softmax_cross_entropy", "label_smoothing", 0));
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; known: mse, mae, huber, bce, bce_with_logits, softmax_cross_entropy");
        };
    }

    private static double number(Map<String, ?> config, String loss, String key, double orElse) {
        return config == null ? orElse : Configs.doubleValue(config, loss, key, orElse);
    }
}
