package dendrite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A backend's GEMM and a reference's (OpenBLAS by default) on the same product, in turns within one
 * loop, so that both are timed in the same state of the machine. {@link MatmulBenchmark} measures
 * each backend in a trial of its own, seconds apart; on the cloud machines we run on, the host moves
 * the two virtual CPUs between near and far cores every few seconds to minutes (benchmarks/README.md,
 * "Two threads far apart"), and a ratio of two trials can then compare two states rather than two
 * libraries. Here one operation is a turn of each, the order alternating. A turn starts with a
 * pause ({@link #PAUSE_MS}), so that the other library's idle threads have stopped spinning, then
 * calls untimed for {@link #WARM_NANOS} (threads waking, caches holding the other's data), then
 * timed calls for at least {@link #TURN_NANOS}. A state of the machine lasts seconds, so both turns
 * of an operation (under a second) see the same one. Each iteration reports, besides the operation's
 * time (pauses included, of no interest):
 *
 * <ul>
 *   <li>{@code ratio}: the reference's time per call over the backend's (above 1: the backend is
 *       faster);
 *   <li>{@code backendUs} and {@code referenceUs}: each one's mean time per call.
 * </ul>
 *
 * JMH adds such counters up over the iterations in its summary line, so their per-iteration values
 * are what to read: in the JSON ({@code rawData} of each secondary metric) and in the line the
 * trial prints at its end (median and range of the iterations' ratios and times).
 *
 * <p>{@code product} is {@code 512}, {@code 1024} or {@code 2048} (a square product), or one of the
 * MLP's products as named in {@link MatmulBenchmark#mlpShape}. {@code load=busy} runs it with another
 * process burning one core ({@link Burner}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulPairBenchmark {

    /** The two products. */
    @State(Scope.Benchmark)
    public static class Pair {
        @Param({"vector"})
        public String backend;

        @Param({"netlib-native"})
        public String reference;

        @Param({"512", "1024", "2048", "fc1.fwd", "fc1.dW", "fc2.fwd", "fc2.dW", "fc2.dX", "fc3.fwd", "fc3.dW",
            "fc3.dX"})
        public String product;

        /** {@code quiet}, or {@code busy}: another process burns one core meanwhile. */
        @Param({"quiet"})
        public String load;

        Gemm backendGemm;
        Gemm referenceGemm;
        Burner burner;
        /** Operations so far: even ones give the backend the first turn, odd ones the reference. */
        long operations;

        @Setup(Level.Trial)
        public void setup() {
            int[] d = shape(product);
            backendGemm = MatmulBenchmark.prepare(backend, d[0], d[1], d[2], d[3] == 1, d[4] == 1);
            referenceGemm = MatmulBenchmark.prepare(reference, d[0], d[1], d[2], d[3] == 1, d[4] == 1);
            burner = MatmulBenchmark.startLoad(load);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            MatmulBenchmark.stopLoad(burner);
            referenceGemm.close();
            backendGemm.close();
        }
    }

    /** What one iteration measured (JMH reads the public fields at its end). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** The reference's time per call over the backend's in this iteration. */
        public double ratio;
        /** The backend's mean time per call in this iteration, in microseconds. */
        public double backendUs;
        /** The reference's mean time per call in this iteration, in microseconds. */
        public double referenceUs;

        private long backendNanos;
        private long backendCalls;
        private long referenceNanos;
        private long referenceCalls;
        private final List<double[]> iterations = new ArrayList<>();

        @Setup(Level.Iteration)
        public void reset() {
            backendNanos = 0;
            backendCalls = 0;
            referenceNanos = 0;
            referenceCalls = 0;
            ratio = 0;
            backendUs = 0;
            referenceUs = 0;
        }

        void add(long backend, long backendN, long reference, long referenceN) {
            backendNanos += backend;
            backendCalls += backendN;
            referenceNanos += reference;
            referenceCalls += referenceN;
            backendUs = backendNanos / 1e3 / backendCalls;
            referenceUs = referenceNanos / 1e3 / referenceCalls;
            ratio = referenceUs / backendUs;
        }

        @TearDown(Level.Iteration)
        public void record() {
            iterations.add(new double[] {ratio, backendUs, referenceUs});
        }

        /** Prints the median and range of the iterations' ratios and times (warm-up included, marked). */
        @TearDown(Level.Trial)
        public void summary(BenchmarkParams params) {
            int warmups = params.getWarmup().getCount();
            if (iterations.size() <= warmups) {
                return;
            }
            List<double[]> measured = iterations.subList(warmups, iterations.size());
            System.out.printf(Locale.ROOT, "%n%s over %d iterations: ratio %s, %s %s us, reference %s us%n",
                    params.getBenchmark(), measured.size(), spread(measured, 0, "%.3f"), params.getParam("backend"),
                    spread(measured, 1, "%.1f"), spread(measured, 2, "%.1f"));
        }

        private static String spread(List<double[]> rows, int column, String format) {
            double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            return String.format(Locale.ROOT, "median " + format + " (" + format + " .. " + format + ")",
                    v[v.length / 2], v[0], v[v.length - 1]);
        }
    }

    /** m, n, k, transA, transB of a square product ("512") or of an MLP's product ("fc1.fwd"). */
    static int[] shape(String product) {
        if (product.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(product);
            return new int[] {n, n, n, 0, 0};
        }
        return MatmulBenchmark.mlpShape(product);
    }

    /** Timed calls of each turn last at least this long (a state of the machine lasts seconds). */
    static final long TURN_NANOS = 100_000_000L;
    /**
     * The pause before each turn, in milliseconds: longer than OpenBLAS's worker threads spin after
     * their last call (2^28 cycles by default, about 0.1 s) before they sleep. Without it the
     * reference's idle workers spin through the backend's turn, taking a core from it.
     */
    static final long PAUSE_MS = 250;
    /** Untimed calls of each turn last at least this long. */
    static final long WARM_NANOS = 30_000_000L;

    @Benchmark
    public void pair(Pair p, Times t) {
        boolean backendFirst = (p.operations++ & 1) == 0;
        Gemm first = backendFirst ? p.backendGemm : p.referenceGemm;
        Gemm second = backendFirst ? p.referenceGemm : p.backendGemm;
        long[] a = turn(first);
        long[] b = turn(second);
        long[] backend = backendFirst ? a : b;
        long[] reference = backendFirst ? b : a;
        t.add(backend[0], backend[1], reference[0], reference[1]);
    }

    /** A turn of {@code g} (see the class comment): {timed nanoseconds, timed calls}. */
    private static long[] turn(Gemm g) {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between turns", e);
        }
        // Untimed calls first: after the pause the threads of both libraries wake from sleep, and
        // the caches hold the other library's data.
        long warm = System.nanoTime();
        do {
            g.run();
        } while (System.nanoTime() - warm < WARM_NANOS);
        long start = System.nanoTime();
        long now;
        long calls = 0;
        do {
            g.run();
            calls++;
            now = System.nanoTime();
        } while (now - start < TURN_NANOS);
        return new long[] {now - start, calls};
    }
}
