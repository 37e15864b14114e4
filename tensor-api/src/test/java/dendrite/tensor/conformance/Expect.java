package dendrite.tensor.conformance;

import dendrite.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.opentest4j.AssertionFailedError;

/**
 * Element-by-element comparison of a backend's output with the expected values, failing with a
 * message that names what was computed, the first elements that differ (with their indices in
 * the shape) and the tolerance they broke.
 */
final class Expect {
    private static final int SHOWN = 5;

    private Expect() {
    }

    /** Each element of {@code actual} within {@code tol} of {@code expected}. */
    static void close(String what, Shape shape, double[] expected, float[] actual, Tolerance tol) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        StringBuilder bad = new StringBuilder();
        int wrong = 0;
        for (int i = 0; i < expected.length; i++) {
            if (!tol.accepts(i, expected[i], actual[i])) {
                if (wrong++ < SHOWN) {
                    bad.append(String.format(Locale.ROOT, "%n  at %s: expected %s, got %s (difference %.3g, allowed %.3g)",
                            index(shape, i), expected[i], actual[i], Math.abs(actual[i] - expected[i]),
                            tol.allowed(i, expected[i])));
                }
            }
        }
        if (wrong > 0) {
            throw new AssertionFailedError(what + " " + shape + ": " + wrong + " of " + expected.length
                    + " values differ (tolerance: " + tol + ")" + bad
                    + (wrong > SHOWN ? "\n  ..." : ""));
        }
    }

    /** As {@link #close(String, Shape, double[], float[], Tolerance)} with float expectations. */
    static void close(String what, Shape shape, float[] expected, float[] actual, Tolerance tol) {
        close(what, shape, toDouble(expected), actual, tol);
    }

    /** The same values exactly (integers, copies, random bits). */
    static void exact(String what, Shape shape, float[] expected, float[] actual) {
        close(what, shape, expected, actual, Tolerance.exact());
    }

    static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** The multi-index of flat position {@code i}, e.g. {@code [2, 0, 5]}. */
    static String index(Shape shape, int i) {
        int[] dims = shape.dims();
        if (dims.length == 0 || shape.size() <= i) {
            return "[" + i + "]";
        }
        int[] idx = new int[dims.length];
        int rest = i;
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = rest % dims[d];
            rest /= dims[d];
        }
        return Arrays.toString(idx);
    }
}
