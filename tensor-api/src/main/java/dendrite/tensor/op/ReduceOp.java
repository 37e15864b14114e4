package dendrite.tensor.op;

/** Reductions for {@link dendrite.tensor.Backend#reduce} and {@link dendrite.tensor.Backend#reduceAll}. */
public enum ReduceOp {
    /** sum of x */
    SUM,
    /** sum of x divided by the count */
    MEAN,
    /** largest x; NaN if any is NaN */
    MAX,
    /** sum of x squared */
    SUM_SQUARES;

    /** The lower-case name, kept rather than computed: kernels pass it to their checks on every call. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /**
     * The name in error messages: "sum".
     *
     * @return the constant's name in lower case
     */
    public String label() {
        return label;
    }
}
