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
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
