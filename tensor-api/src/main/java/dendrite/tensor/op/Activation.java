package dendrite.tensor.op;

/**
 * Activation functions with a forward kernel and a backward kernel that reuses the
 * forward's input or output ({@link dendrite.tensor.Backend#activation}, {@link dendrite.tensor.Backend#activationBackward}).
 *
 * <p>{@code param} is the negative slope of {@link #LEAKY_RELU}, the alpha of {@link #ELU}, and ignored by
 * the others. New constants go at the end: the OpenCL kernels' codes are the ordinals.
 */
public enum Activation {
    /** y = x */
    IDENTITY,
    /** y = max(0, x); dy/dx = [y > 0] */
    RELU,
    /** y = x if x > 0 else param * x; dy/dx = 1 or param */
    LEAKY_RELU,
    /** y = 1 / (1 + e^-x); dy/dx = y (1 - y) */
    SIGMOID,
    /** y = tanh x; dy/dx = 1 - y^2 */
    TANH,
    /**
     * y = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), the Gaussian error linear unit in its exact form
     * (PyTorch's default, {@code approximate='none'}), with Phi the standard normal distribution
     * function; dy/dx = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi). Its derivative needs x.
     */
    GELU,
    /**
     * y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the tanh approximation of {@link #GELU}
     * (PyTorch's {@code approximate='tanh'}); its derivative needs x.
     */
    GELU_TANH,
    /** y = ln(1 + e^x), computed stably; dy/dx = sigmoid(x) = 1 - e^-y */
    SOFTPLUS,
    /**
     * y = x sigmoid(x) = x / (1 + e^-x), the sigmoid linear unit (Swish with beta 1, PyTorch's
     * {@code SiLU}); dy/dx = s (1 + x (1 - s)) with s = sigmoid(x). Its derivative needs x. Both
     * formulas are PyTorch's, so it shares their values at the infinities: NaN where they multiply
     * an infinity by 0 (y at -inf, dy/dx at either infinity), where the limits are 0, 0 and 1.
     */
    SILU,
    /**
     * y = x if x > 0 else param (e^x - 1), the exponential linear unit with alpha = param (PyTorch's
     * {@code ELU(alpha)}); dy/dx = 1 if x > 0 else param e^x, so param at 0, as PyTorch's. Its derivative
     * needs x: from y it would be y + param, which cancels where y nears -param. e^x - 1 is expm1,
     * which keeps its relative precision near 0 (PyTorch 1.13 subtracts, and its ELU of -1e-30 is 0;
     * later versions call expm1). NaN gives NaN both ways.
     */
    ELU,
    /**
     * y = scale (x if x > 0 else alpha (e^x - 1)), the scaled exponential linear unit (PyTorch's
     * {@code SELU}) with its fixed {@link #SELU_ALPHA} and {@link #SELU_SCALE}, which keep activations
     * near mean 0 and variance 1 through layers initialized LeCun normal; dy/dx = scale if x > 0 else
     * scale alpha e^x (scale alpha at 0, as PyTorch's). {@link #ELU} scaled, computed as it is; param
     * is ignored.
     */
    SELU,
    /**
     * y = x tanh(softplus(x)), Misra's (2019) Mish (PyTorch's {@code Mish}); dy/dx = t + x sigmoid(x)
     * (1 - t^2) with t = tanh(softplus(x)), PyTorch's form, which needs x. As PyTorch's: NaN at -inf,
     * where it multiplies -inf by 0, and for the derivative at both infinities, where the limits are 0, 0
     * and 1.
     */
    MISH,
    /**
     * y = x min(max(x + 3, 0), 6) / 6, the hard swish of MobileNetV3 (PyTorch's {@code Hardswish}), without
     * transcendentals; dy/dx = 0 below -3, x / 3 + 1/2 from -3 to 3, 1 above: at the kinks PyTorch's, -1/2
     * at -3 and 3/2 at 3, as its scalar CPU and CUDA kernels give them (its vectorized CPU loop returns 1 at
     * 3). Its derivative needs x. NaN at -inf (-inf times 0), as PyTorch's; NaN gives NaN both ways.
     */
    HARDSWISH;

    /**
     * SELU's alpha, PyTorch's constant: with {@link #SELU_SCALE}, the fixed point of mean 0 and variance
     * 1 that Klambauer et al. (2017) derived.
     */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale, PyTorch's constant (see {@link #SELU_ALPHA}). */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * Whether the backward pass reads the forward input x: leaky ReLU, both GELUs, SiLU, ELU, SELU, Mish
     * and hard swish do; the others read the forward output y (identity reads neither). The front
     * refuses a null tensor that the derivative needs, so every backend accepts the same arguments.
     *
     * @return {@code true} when {@link dendrite.tensor.Backend#activationBackward} needs x
     */
    public boolean backwardReadsInput() {
        return this == LEAKY_RELU || this == GELU || this == GELU_TANH || this == SILU || this == ELU
                || this == SELU || this == MISH || this == HARDSWISH;
    }

    /**
     * Whether the backward pass reads the forward output y: ReLU, sigmoid, tanh and softplus.
     *
     * @return {@code true} when {@link dendrite.tensor.Backend#activationBackward} needs y
     */
    public boolean backwardReadsOutput() {
        return this == RELU || this == SIGMOID || this == TANH || this == SOFTPLUS;
    }

    /** The lower-case name, kept rather than computed: kernels pass it to their checks on every call. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /**
     * The name in error messages: "relu".
     *
     * @return the constant's name in lower case
     */
    public String label() {
        return label;
    }

    private final String backwardLabel = label + " backward";

    /**
     * The backward kernel's name in error messages: "relu backward".
     *
     * @return {@link #label()} followed by {@code " backward"}
     */
    public String backwardLabel() {
        return backwardLabel;
    }
}
