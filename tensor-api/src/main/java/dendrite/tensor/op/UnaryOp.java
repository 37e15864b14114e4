package dendrite.tensor.op;

/** Parameterless elementwise functions for {@link dendrite.tensor.Backend#unary}. */
public enum UnaryOp {
    /** -x */
    NEG,
    /** e^x */
    EXP,
    /** ln x (NaN below 0, -inf at 0) */
    LOG,
    /** sqrt x */
    SQRT,
    /** |x| */
    ABS,
    /** x * x */
    SQUARE,
    /** 1 / x */
    RECIPROCAL,
    /** -1, 0 or 1 by the sign of x (NaN stays NaN) */
    SIGN,
    /**
     * 1 / sqrt x: the scale of a normalisation layer (BatchNorm, LayerNorm) from a variance; +inf at
     * +0, -inf at -0, NaN below 0
     */
    RSQRT;

    /**
     * The lower-case name used in messages and kernel names, kept rather than computed: kernels pass it
     * to their checks on every call.
     */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /**
     * The name in error messages: "exp".
     *
     * @return the constant's name in lower case
     */
    public String label() {
        return label;
    }
}
