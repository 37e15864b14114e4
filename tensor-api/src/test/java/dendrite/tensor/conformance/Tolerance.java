package dendrite.tensor.conformance;

import java.util.Locale;

/**
 * How far a backend's value may be from the expected one: element i passes when
 * {@code |actual - expected| <= allowed(i, expected)}. NaN must meet NaN and an infinity the same
 * infinity, whatever the tolerance.
 */
final class Tolerance {
    /** The allowance for element i with expected value e. */
    @FunctionalInterface
    private interface Allowance {
        double allowed(int i, double expected);
    }

    private final String description;
    private final Allowance allowance;

    private Tolerance(String description, Allowance allowance) {
        this.description = description;
        this.allowance = allowance;
    }

    /** The same value (but -0 equals 0, and any NaN equals any NaN). */
    static Tolerance exact() {
        return new Tolerance("exact", (i, e) -> 0);
    }

    /** {@code abs + rel * |expected|}. */
    static Tolerance relative(double rel, double abs) {
        return new Tolerance(String.format(Locale.ROOT, "relative %.1e + absolute %.1e", rel, abs),
                (i, e) -> abs + rel * Math.abs(e));
    }

    /**
     * {@code factor * scale[i]}, where scale is the magnitude of the terms that made element i
     * (e.g. {@code sum |a||b|} for a dot product): the error bound of a float sum depends on the
     * terms, not on the result, which cancellation can make arbitrarily small.
     */
    static Tolerance scaled(double factor, double[] scale, String why) {
        return new Tolerance(String.format(Locale.ROOT, "%.2e x %s", factor, why), (i, e) -> factor * scale[i]);
    }

    /** Both allowances added: the error of a composite op is at most the sum of its parts'. */
    Tolerance plus(Tolerance other) {
        return new Tolerance(description + " + " + other.description,
                (i, e) -> allowance.allowed(i, e) + other.allowance.allowed(i, e));
    }

    /** The largest difference allowed for element i whose expected value is {@code expected}. */
    double allowed(int i, double expected) {
        return allowance.allowed(i, expected);
    }

    /** Whether {@code actual} is acceptable for element i. */
    boolean accepts(int i, double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= allowed(i, expected);
    }

    @Override
    public String toString() {
        return description;
    }
}
