package dendrite.tensor;

/** Reductions for {@link Backend#reduce} and {@link Backend#reduceAll}. */
public enum ReduceOp {
    /** sum of x */
    SUM,
    /** sum of x divided by the count */
    MEAN,
    /** largest x; NaN if any is NaN */
    MAX,
    /** sum of x squared */
    SUM_SQUARES;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
