package dendrite.backend.vector;

/**
 * The child JVM of {@link NarrowRowsFirstTest}: one kernel (softmax, logSoftmax or argmax, the argument) on
 * rows narrower than a vector until C2 has compiled it, then on wide rows, where a steady call must
 * allocate nothing. It prints the least bytes that 20 wide calls allocated and in how many rounds, and
 * exits 1 if that never got to 0 within the rounds and seconds allowed. One kernel a JVM: they share
 * the row maximum, which one kernel's wide rows would compile first for the others.
 */
public final class NarrowRowsFirstMain {
    private static final int ROWS = 64;
    private static final int NARROW_CALLS = 20_000;
    private static final int MAX_ROUNDS = 20_000;
    private static final long MAX_NANOS = 30_000_000_000L;

    private NarrowRowsFirstMain() {
    }

    interface RowKernel {
        void run(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff);
    }

    public static void main(String[] args) {
        RowKernel kernel = switch (args[0]) {
            case "softmax" -> VectorReductions::softmax;
            case "logSoftmax" -> VectorReductions::logSoftmax;
            case "argmax" -> VectorReductions::argmax;
            default -> throw new IllegalArgumentException(args[0]);
        };
        System.exit(report(args[0], kernel) ? 0 : 1);
    }

    private static boolean report(String name, RowKernel kernel) {
        int narrow = 3;
        int wide = 2 * Simd.L + 3;
        float[] xn = values(ROWS * narrow);
        float[] yn = new float[ROWS * narrow];
        for (int i = 0; i < NARROW_CALLS; i++) {
            kernel.run(0, ROWS, narrow, xn, 0, yn, 0);
        }
        float[] xw = values(ROWS * wide);
        float[] yw = new float[ROWS * wide];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        int round = 0;
        while (least > 0 && round < MAX_ROUNDS && System.nanoTime() - start < MAX_NANOS) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                kernel.run(0, ROWS, wide, xw, 0, yw, 0);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
            round++;
        }
        System.out.printf("%s: rows of %d after %d calls on rows of %d: least %d bytes a 20 calls, in %d rounds, %.1f s%n",
                name, wide, NARROW_CALLS, narrow, least, round, (System.nanoTime() - start) / 1e9);
        return least == 0;
    }

    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 37 % 23) / 7f - 1.5f;
        }
        return v;
    }
}
