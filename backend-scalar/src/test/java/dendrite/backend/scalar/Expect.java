package dendrite.backend.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dendrite.tensor.Tensor;
import java.util.Arrays;

/** Assertions on tensor contents for the scalar backend's tests. */
final class Expect {
    private Expect() {
    }

    /** Each value of {@code actual} within {@code tol} of {@code expected} (NaN must match NaN). */
    static void values(Tensor actual, float tol, float... expected) {
        values(actual.toArray(), tol, expected);
    }

    static void values(float[] actual, float tol, float... expected) {
        assertEquals(expected.length, actual.length, "number of values");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok = Float.isNaN(e) ? Float.isNaN(a) : (e == a || Math.abs(e - a) <= tol);
            if (!ok) {
                fail("value " + i + ": expected " + e + " but was " + a + " (tolerance " + tol + ")\nexpected "
                        + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
        }
    }
}
