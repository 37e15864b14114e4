package dendrite.backend.vector;

/**
 * Helpers for the math kernels' tests ({@link VectorTanhTest}, {@link VectorSoftplusTest},
 * {@link VectorLogTest}, {@link VectorGeluTest}): the worst error of a kernel over a sweep of floats, and the bytes a compiled
 * kernel allocates.
 */
final class MathKernelChecks {
    private static final int CHUNK = 1 << 16;

    private MathKernelChecks() {
    }

    /**
     * The worst error, in ulp of the double reference rounded to float, of {@code kernel} over the
     * floats with bit patterns 0, step, 2 step, ... up to {@code lastBits}, and their negations;
     * returns {worst ulp, the x where it occurred}.
     */
    static float[] worst(int lastBits, int step, java.util.function.BiConsumer<float[], float[]> kernel,
            java.util.function.DoubleUnaryOperator reference) {
        float worst = 0f;
        float at = Float.NaN;
        float[] x = new float[CHUNK];
        float[] y = new float[CHUNK];
        for (int sign = 0; sign < 2; sign++) {
            for (long start = 0; start <= lastBits; start += (long) CHUNK * step) {
                int len = (int) Math.min(CHUNK, (lastBits - start) / step + 1);
                float[] xs = len == CHUNK ? x : new float[len];
                float[] ys = len == CHUNK ? y : new float[len];
                for (int i = 0; i < len; i++) {
                    xs[i] = Float.intBitsToFloat((int) (start + (long) i * step) | (sign << 31));
                }
                kernel.accept(xs, ys);
                for (int i = 0; i < len; i++) {
                    float expected = (float) reference.applyAsDouble(xs[i]);
                    float ulps = ys[i] == expected ? 0f : (float) (Math.abs((double) ys[i] - expected) / Math.ulp(expected));
                    if (ulps > worst) {
                        worst = ulps;
                        at = xs[i];
                    }
                }
            }
        }
        return new float[] {worst, at};
    }

    /** An activation's forward and backward passes over n values, as a test calls them. */
    interface ForwardBackward {
        void run(int n, float[] x, float[] y, float[] dy, float[] dx);
    }

    /**
     * {@link #leastBytes} of an activation's forward and backward passes over 64 x 256 + 5 values in
     * [-6, 6] (a sine, so every range of the kernels' blends is met), with an upstream gradient of ones.
     */
    static long leastBytesForwardBackward(ForwardBackward passes) {
        int n = 64 * 256 + 5;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i) * 6;
        }
        float[] y = new float[n];
        float[] dy = new float[n];
        java.util.Arrays.fill(dy, 1f);
        float[] dx = new float[n];
        return leastBytes(() -> passes.run(n, x, y, dy, dx));
    }

    /**
     * The least bytes this thread allocated over 20 calls of {@code kernel}, in at least 200 rounds and
     * at least 10 seconds (stopping at the first round of none). The time matters for a cheap kernel:
     * its 200 rounds once ended, on a busy 2-core host, before C2 had compiled it, and the interpreter's
     * boxed vectors read as an allocation (VectorHardswishTest in CI, 6,400 bytes).
     */
    static long leastBytes(Runnable kernel) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int round = 0; least > 0 && (round < 200 || System.nanoTime() - start < 10_000_000_000L); round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                kernel.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    /** The same float bits, or both NaN: a NaN's sign and payload mean nothing. */
    static void assertSameBits(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(actual), what);
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(expected),
                    Float.floatToRawIntBits(actual), what);
        }
    }
}
