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
     * Softmax cross-entropy with a weight per class: PyTorch's
     * {@code CrossEntropyLoss(weight=classWeights, label_smoothing=labelSmoothing)}. For data where some
     * classes are rare; {@link dendrite.nn.data.Dataset#balancedClassWeights()} gives weights that even
     * them out.
     *
     * @param classWeights one weight per class, finite and at least 0 (copied)
     * @param labelSmoothing the share of each target spread evenly over the classes, in [0, 1) (0: none)
     * @return a new loss, named {@code softmax_cross_entropy}; its mean is over the weights of the
     *         samples' classes, as PyTorch's
     * @throws IllegalArgumentException if {@code classWeights} is null or empty, a weight is negative or not
     *         finite, or {@code labelSmoothing} is outside [0, 1)
     */
    public static Loss softmaxCrossEntropy(float[] classWeights, double labelSmoothing) {
        if (classWeights == null) {
            throw new IllegalArgumentException("softmax_cross_entropy: class weights are null; use"
                    + " softmaxCrossEntropy(labelSmoothing) for none");
        }
        return new SoftmaxCrossEntropy(classWeights, labelSmoothing);
    }

    /**
     * Binary cross-entropy on logits with the positive targets weighted: PyTorch's
     * {@code BCEWithLogitsLoss(pos_weight=posWeight)}.
     *
     * @param posWeight one weight for all outputs or one per output, finite and at least 0 (copied);
     *                  p = negatives / positives makes a rare positive label count as much as its negatives
     * @return a new loss, named {@code bce_with_logits}
     * @throws IllegalArgumentException if {@code posWeight} is null or empty, or a weight is negative or not finite
     */
    public static Loss binaryCrossEntropyWithLogits(float... posWeight) {
        return new BinaryCrossEntropyWithLogits(posWeight);
    }

    /**
     * A loss by its {@link Loss#name()}; {@code huber} reads {@code delta}, cross-entropy {@code label_smoothing}
     * and {@code weight}, bce_with_logits {@code pos_weight} (PyTorch's argument names).
     *
     * @param name   {@code mse}, {@code mae}, {@code huber}, {@code bce}, {@code bce_with_logits}, or
     *               {@code softmax_cross_entropy} (also {@code cross_entropy})
     * @param config the options: {@code delta} for huber (default 1.0), {@code label_smoothing} for
     *               cross-entropy (default 0), as numbers; {@code weight} (cross-entropy's class weights) and
     *               {@code pos_weight} (bce_with_logits) as lists of numbers; may be {@code null} or empty
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
            case "bce_with_logits" -> {
                float[] p = numbers(config, "bce_with_logits", "pos_weight");
                yield p == null ? binaryCrossEntropyWithLogits() : binaryCrossEntropyWithLogits(p);
            }
            case "softmax_cross_entropy", "cross_entropy" -> new SoftmaxCrossEntropy(
                    numbers(config, "softmax_cross_entropy", "weight"),
                    number(config, "softmax_cross_entropy", "label_smoothing", 0));
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; known: mse, mae, huber, bce, bce_with_logits, softmax_cross_entropy");
        };
    }

    /** A list of numbers under {@code key}, or null when it is absent. */
    private static float[] numbers(Map<String, ?> config, String loss, String key) {
        Object v = config == null ? null : config.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof java.util.List<?> list)) {
            throw new IllegalArgumentException(loss + ": '" + key + "' must be a list of numbers, got " + v);
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(loss + ": '" + key + "' must be a list of numbers; item " + i
                        + " is " + list.get(i));
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    private static double number(Map<String, ?> config, String loss, String key, double orElse) {
        return config == null ? orElse : Configs.doubleValue(config, loss, key, orElse);
    }
}
