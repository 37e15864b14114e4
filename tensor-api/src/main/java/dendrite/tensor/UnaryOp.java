package dendrite.tensor;

/** Parameterless elementwise functions for {@link Backend#unary}. */
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
    SIGN;

    /** The lower-case name used in messages and kernel names. */
    /** The lower-case name, kept rather than computed: kernels pass it to their checks on every call. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The name in error messages: "exp". */
    public String label() {
        return label;
    }
}
