package dendrite.bench;

import java.util.function.Supplier;

/**
 * How a benchmark says that a backend cannot run here: one line on standard output, then an
 * exception from setup, on which JMH abandons this parameter combination and moves on to the next.
 */
final class Skips {
    private Skips() {
    }

    /** {@code what.get()}, or the skip line and an exception when {@code backend} cannot start. */
    static <T> T unlessUnavailable(String backend, Supplier<T> what) {
        try {
            return what.get();
        } catch (RuntimeException | LinkageError e) {
            String why = "backend " + backend + " unavailable, skipped: " + e.getMessage();
            System.out.println(why);
            throw new IllegalStateException(why, e);
        }
    }
}
