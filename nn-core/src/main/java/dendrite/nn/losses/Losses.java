package dendrite.nn.losses;

import dendrite.nn.layers.Configs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
     * Smooth L1 loss, PyTorch's {@code SmoothL1Loss(beta)}: Huber loss with {@code delta = beta}, divided by
     * beta (the same at beta = 1).
     *
     * @param beta the error at which the loss turns from quadratic to linear, positive (PyTorch's default is
     *             1.0; its beta = 0 is {@link #mae()})
     * @return a new loss, named {@code smooth_l1}
     * @throws IllegalArgumentException if {@code beta} is not positive and finite
     */
    public static Loss smoothL1(double beta) {
        return new SmoothL1(beta);
    }

    /**
     * Negative log-likelihood of class indices under log-probabilities, PyTorch's {@code NLLLoss()}: the loss
     * after a {@link dendrite.nn.layers.LogSoftmax} layer ({@code Sequential.Builder.logSoftmax()}).
     *
     * @return a new loss without class weights, ignore index -100, the mean; named {@code nll}
     */
    public static Loss nll() {
        return new NegativeLogLikelihood();
    }

    /**
     * Negative log-likelihood with class weights and an ignore index, PyTorch's
     * {@code NLLLoss(weight=classWeights, ignore_index=ignoreIndex)}: the mean over the counted rows' weights.
     *
     * @param classWeights one weight per class, finite and at least 0 (copied), or {@code null} for all 1
     * @param ignoreIndex  the label of rows that do not count (-100, PyTorch's default, for none)
     * @return a new loss, named {@code nll}
     * @throws IllegalArgumentException if {@code classWeights} is empty or a weight is negative or not finite
     */
    public static Loss nll(float[] classWeights, int ignoreIndex) {
        return new NegativeLogLikelihood(classWeights, ignoreIndex, Reduction.MEAN);
    }

    /**
     * Kullback-Leibler divergence of probability targets from log-probabilities, per sample: PyTorch's
     * {@code KLDivLoss(reduction='batchmean')}, the reduction its documentation recommends (its default,
     * {@code 'mean'}, also divides by the number of classes).
     *
     * @return a new loss, named {@code kl_div}
     */
    public static Loss klDiv() {
        return new KLDivergence();
    }

    /**
     * Kullback-Leibler divergence, PyTorch's {@code KLDivLoss(reduction=..., log_target=logTarget)}.
     *
     * @param reduction {@link Reduction#BATCHMEAN}, {@link Reduction#MEAN} or {@link Reduction#SUM}
     * @param logTarget whether the targets are log-probabilities
     * @return a new loss, named {@code kl_div}
     * @throws IllegalArgumentException if {@code reduction} is null
     */
    public static Loss klDiv(Reduction reduction, boolean logTarget) {
        return new KLDivergence(reduction, logTarget);
    }

    /**
     * Poisson negative log-likelihood of counts, the prediction being the log of the rate: PyTorch's
     * {@code PoissonNLLLoss()}.
     *
     * @return a new loss, named {@code poisson_nll}
     */
    public static Loss poissonNll() {
        return new PoissonNegativeLogLikelihood();
    }

    /**
     * Poisson negative log-likelihood, PyTorch's {@code PoissonNLLLoss(log_input=logInput, full=full, eps=eps)}.
     *
     * @param logInput whether the prediction is the log of the rate (PyTorch's default) or the rate
     * @param full     whether to add the Stirling approximation of {@code ln y!} to the value
     * @param eps      added to the rate before its logarithm without log input (PyTorch's default is 1e-8)
     * @return a new loss taking the mean, named {@code poisson_nll}
     * @throws IllegalArgumentException if {@code eps} is negative or not finite
     */
    public static Loss poissonNll(boolean logInput, boolean full, double eps) {
        return new PoissonNegativeLogLikelihood(logInput, full, eps, Reduction.MEAN);
    }

    /**
     * Focal loss on logits with torchvision's defaults, {@code sigmoid_focal_loss(alpha=0.25, gamma=2,
     * reduction='mean')}: binary cross-entropy weighted towards the cases not yet learned.
     *
     * @return a new loss, named {@code sigmoid_focal}
     */
    public static Loss sigmoidFocal() {
        return new SigmoidFocal();
    }

    /**
     * Focal loss on logits, torchvision's {@code sigmoid_focal_loss(alpha=alpha, gamma=gamma, reduction='mean')}.
     *
     * @param alpha the weight of the positive targets in [0, 1], or negative for none
     * @param gamma the focusing exponent, at least 0 (0 with a negative alpha: binary cross-entropy on logits)
     * @return a new loss, named {@code sigmoid_focal}
     * @throws IllegalArgumentException if alpha is above 1 or gamma is negative, or either is not finite
     */
    public static Loss sigmoidFocal(double alpha, double gamma) {
        return new SigmoidFocal(alpha, gamma, Reduction.MEAN);
    }

    /**
     * A loss by its {@link Loss#name()} and {@link Loss#config()}, with PyTorch's argument names:
     * {@code Losses.byName(loss.name(), loss.config())} makes the same loss.
     *
     * @param name   {@code mse}, {@code mae}, {@code huber}, {@code smooth_l1}, {@code bce},
     *               {@code bce_with_logits}, {@code softmax_cross_entropy} (also {@code cross_entropy}),
     *               {@code nll}, {@code kl_div}, {@code poisson_nll} or {@code sigmoid_focal}
     * @param config the options, may be {@code null} or empty (each absent one its default): huber's
     *               {@code delta} and smooth_l1's {@code beta} (1.0); cross-entropy's {@code label_smoothing} (0)
     *               and {@code weight}; bce_with_logits's {@code pos_weight}; nll's {@code weight},
     *               {@code ignore_index} (-100) and {@code reduction} ({@code "mean"}, {@code "sum"}); kl_div's
     *               {@code reduction} ({@code "batchmean"}, {@code "mean"}, {@code "sum"}) and {@code log_target}
     *               (false); poisson_nll's {@code log_input} (true), {@code full} (false), {@code eps} (1e-8) and
     *               {@code reduction}; sigmoid_focal's {@code alpha} (0.25), {@code gamma} (2) and
     *               {@code reduction}. Numbers as numbers, weights as lists of numbers, flags as booleans,
     *               reductions as text
     * @return a new loss of that name
     * @throws IllegalArgumentException for an unknown (or null) name, listing the known ones, or an option that is
     *                                  of the wrong kind or out of range
     */
    public static Loss byName(String name, Map<String, ?> config) {
        return switch (String.valueOf(name)) {     // null: "null", refused as unknown
            case "mse" -> mse();
            case "mae" -> mae();
            case "huber" -> huber(number(config, "huber", "delta", 1.0));
            case "smooth_l1" -> smoothL1(number(config, "smooth_l1", "beta", 1.0));
            case "bce" -> binaryCrossEntropy();
            case "bce_with_logits" -> {
                float[] p = numbers(config, "bce_with_logits", "pos_weight");
                yield p == null ? binaryCrossEntropyWithLogits() : binaryCrossEntropyWithLogits(p);
            }
            case "softmax_cross_entropy", "cross_entropy" -> new SoftmaxCrossEntropy(
                    numbers(config, "softmax_cross_entropy", "weight"),
                    number(config, "softmax_cross_entropy", "label_smoothing", 0));
            case "nll" -> new NegativeLogLikelihood(numbers(config, "nll", "weight"),
                    config == null || config.get("ignore_index") == null ? NegativeLogLikelihood.DEFAULT_IGNORE_INDEX
                            : Configs.intValue(config, "nll", "ignore_index"),
                    reduction(config, "nll", "mean", Reduction.MEAN, Reduction.SUM));
            case "kl_div" -> new KLDivergence(reduction(config, "kl_div", "batchmean", Reduction.BATCHMEAN,
                    Reduction.MEAN, Reduction.SUM),
                    flag(config, "kl_div", "log_target", false));
            case "poisson_nll" -> new PoissonNegativeLogLikelihood(flag(config, "poisson_nll", "log_input", true),
                    flag(config, "poisson_nll", "full", false),
                    number(config, "poisson_nll", "eps", PoissonNegativeLogLikelihood.DEFAULT_EPS),
                    reduction(config, "poisson_nll", "mean", Reduction.MEAN, Reduction.SUM));
            case "sigmoid_focal" -> new SigmoidFocal(number(config, "sigmoid_focal", "alpha", SigmoidFocal.DEFAULT_ALPHA),
                    number(config, "sigmoid_focal", "gamma", SigmoidFocal.DEFAULT_GAMMA),
                    reduction(config, "sigmoid_focal", "mean", Reduction.MEAN, Reduction.SUM));
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; known: mse, mae, huber,"
                    + " smooth_l1, bce, bce_with_logits, softmax_cross_entropy, nll, kl_div, poisson_nll, sigmoid_focal");
        };
    }

    /** {@code weights} as a list, the form {@link #byName} reads them in. */
    static List<Float> list(float[] weights) {
        List<Float> out = new ArrayList<>(weights.length);
        for (float w : weights) {
            out.add(w);
        }
        return Collections.unmodifiableList(out);
    }

    private static Reduction reduction(Map<String, ?> config, String loss, String orElse, Reduction... allowed) {
        String r = config == null ? orElse : Configs.stringValue(config, loss, "reduction", orElse);
        return Reduction.of(r, loss, allowed);
    }

    private static boolean flag(Map<String, ?> config, String loss, String key, boolean orElse) {
        return config == null ? orElse : Configs.booleanValue(config, loss, key, orElse);
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
