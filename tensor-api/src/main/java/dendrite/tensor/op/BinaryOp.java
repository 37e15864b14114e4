package dendrite.tensor.op;

/** Elementwise functions of two tensors for {@link dendrite.tensor.Backend#binary}. */
public enum BinaryOp {
    /** a + b */
    ADD,
    /** a - b */
    SUB,
    /** a * b */
    MUL,
    /** a / b */
    DIV,
    /** a ^ b ({@link Math#pow}) */
    POW,
    /** max(a, b); NaN if either is NaN */
    MAX,
    /** min(a, b); NaN if either is NaN */
    MIN;

    /** The lower-case name, kept rather than computed: kernels pass it to their checks on every call. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /**
     * The name in error messages: "add".
     *
     * @return the constant's name in lower case
     */
    public String label() {
        return label;
    }
}
