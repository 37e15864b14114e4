package dendrite.backend.vector;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.function.IntFunction;

/**
 * The child JVM of {@link NarrowRowsFirstTest}: one kernel (the argument) on 64 rows narrower than a
 * vector until C2 has compiled it, then on wide rows, where a steady call must allocate nothing. It
 * prints the least bytes that 20 wide calls allocated and in how many rounds, and exits 1 if that
 * never got to 0 within the rounds and seconds allowed. One kernel a JVM: the row kernels share the
 * row maximum, which one kernel's wide rows would compile first for the others.
 */
public final class NarrowRowsFirstMain {
    private static final int ROWS = 64;
    private static final int NARROW = 3;
    private static final int NARROW_CALLS = 20_000;
    private static final int MAX_ROUNDS = 20_000;
    private static final long MAX_NANOS = 30_000_000_000L;

    private NarrowRowsFirstMain() {
    }

    interface RowKernel {
        void run(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff);
    }

    public static void main(String[] args) {
        IntFunction<Runnable> kernel = switch (args[0]) {
            case "softmax" -> rows(VectorReductions::softmax);
            case "logSoftmax" -> rows(VectorReductions::logSoftmax);
            case "argmax" -> rows(VectorReductions::argmax);
            case "geluTanhBackward" -> geluTanhBackward();
            case "layerNorm" -> layerNorm();
            default -> throw new IllegalArgumentException(args[0]);
        };
        System.exit(report(args[0], kernel) ? 0 : 1);
    }

    /** A row kernel on 64 rows of {@code cols}. */
    private static IntFunction<Runnable> rows(RowKernel kernel) {
        return cols -> {
            float[] x = values(ROWS * cols);
            float[] out = new float[ROWS * cols];
            return () -> kernel.run(0, ROWS, cols, x, 0, out, 0);
        };
    }

    /**
     * GELU-tanh's derivative through the backend's front, on a 64 x cols tensor: called directly, the
     * chain of calls was short enough for C2 to inline its helpers whatever ran first.
     */
    private static IntFunction<Runnable> geluTanhBackward() {
        Backend be = Backends.get("vector");
        return cols -> {
            Tensor x = be.tensor(values(ROWS * cols), ROWS, cols);
            Tensor y = be.zeros(ROWS, cols);
            Tensor dy = be.tensor(values(ROWS * cols), ROWS, cols);
            Tensor dx = be.zeros(ROWS, cols);
            return () -> be.activationBackward(Activation.GELU_TANH, 0f, x, y, dy, dx);
        };
    }

    /** Layer normalization through the backend's front (whose checks allocated 32 bytes a call). */
    private static IntFunction<Runnable> layerNorm() {
        Backend be = Backends.get("vector");
        return cols -> {
            Tensor x = be.tensor(values(ROWS * cols), ROWS, cols);
            Tensor gamma = be.full(1f, cols);
            Tensor beta = be.zeros(cols);
            Tensor out = be.zeros(ROWS, cols);
            Tensor mean = be.zeros(ROWS);
            Tensor rstd = be.zeros(ROWS);
            return () -> be.layerNorm(x, gamma, beta, 1e-5f, out, mean, rstd);
        };
    }

    private static boolean report(String name, IntFunction<Runnable> kernel) {
        int wide = 2 * Simd.L + 3;
        Runnable narrow = kernel.apply(NARROW);
        for (int i = 0; i < NARROW_CALLS; i++) {
            narrow.run();
        }
        Runnable wideCall = kernel.apply(wide);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        int round = 0;
        while (least > 0 && round < MAX_ROUNDS && System.nanoTime() - start < MAX_NANOS) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                wideCall.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
            round++;
        }
        System.out.printf("%s: rows of %d after %d calls on rows of %d: least %d bytes a 20 calls, in %d rounds, %.1f s%n",
                name, wide, NARROW_CALLS, NARROW, least, round, (System.nanoTime() - start) / 1e9);
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
