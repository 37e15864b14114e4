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

    /** The least bytes this thread allocated over 20 calls of {@code kernel}, in up to 200 rounds. */
    static long leastBytes(Runnable kernel) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 200 && least > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                kernel.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
