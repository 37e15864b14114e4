package dendrite.cli;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite bench}: a quick, in-process GFLOPS figure for square GEMM on each backend
 * that can run here. A few seconds in all: each size is warmed up, then timed for a fixed
 * budget. It is a sanity check (is the vector backend faster than scalar on this machine?);
 * the numbers to quote come from the JMH benchmarks in {@code benchmarks/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Quick matrix-multiply speed (GFLOPS) of each available backend.",
                "A few seconds of warm-up and timing per size; the JMH benchmarks (benchmarks/) give the careful numbers."})
final class BenchCommand implements Callable<Integer> {
    private static final int MAX_SIZE = 4096;

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--sizes", split = ",", paramLabel = "<n>",
            description = "Square matrix sizes, comma-separated (default: ${DEFAULT-VALUE}).", defaultValue = "128,256,512")
    int[] sizes;

    // No -b: in train it means --batch, and one short flag means one thing in every command.
    @Option(names = "--backend", paramLabel = "<name>",
            description = "Measure only this backend (default: every available one).")
    String backend;

    @Option(names = "--seconds", paramLabel = "<s>", defaultValue = "0.25",
            description = "Timing budget per backend and size, after warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        for (int n : sizes) {
            if (n < 1 || n > MAX_SIZE) {
                throw new BadInputException("bench: size " + n + " is out of range 1.." + MAX_SIZE);
            }
        }
        if (!(seconds > 0 && seconds <= 60)) {
            throw new BadInputException("bench: --seconds " + seconds + " is out of range (0, 60]");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Backends.Candidate> candidates = new ArrayList<>();
        if (backend != null) {
            Backends.get(backend);   // unknown or unavailable: fails here with the reason
            candidates.add(Backends.candidates().stream().filter(c -> c.name().equals(backend.trim().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow());
        } else {
            candidates.addAll(Backends.candidates());
        }
        out.println("GEMM C = A x B, float32, n x n; GFLOPS = 2n^3 / median time (quick in-process measure)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s", "backend"));
        for (int n : sizes) {
            header.append(String.format(Locale.ROOT, " %9s", "n=" + n));
        }
        out.println(header);
        out.flush();
        List<String> failed = new ArrayList<>();
        for (Backends.Candidate c : candidates) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-8s", c.name()));
            if (!c.availability().available()) {
                out.println(row.append(" unavailable: ").append(c.availability().explain()));
                continue;
            }
            Backend b = Backends.get(c.name());
            try {
                for (int n : sizes) {
                    row.append(String.format(Locale.ROOT, " %9.2f", gflops(b, n, seconds)));
                }
                row.append("   ").append(b.description());
            } catch (RuntimeException e) {
                // One broken backend should not hide the others' numbers; the exit code still says so.
                failed.add(c.name() + ": " + OneLineErrors.describe(e));
                row.append(" failed: ").append(OneLineErrors.describe(e));
            }
            out.println(row);
            out.flush();
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("bench: GEMM failed on " + String.join("; ", failed));
        }
        return 0;
    }

    /**
     * Warms up, then times {@code C = A B} repeatedly for about {@code budget} seconds and takes
     * the median time of one product: on a shared machine the median shrugs off the runs another
     * process interrupted, where a mean would not.
     */
    static double gflops(Backend b, int n, double budget) {
        Shape shape = Shape.of(n, n);
        try (Tensor a = b.allocate(shape); Tensor m = b.allocate(shape); Tensor c = b.allocate(shape)) {
            b.randomUniform(1, -1, 1, a);
            b.randomUniform(2, -1, 1, m);
            // Warm-up: long enough for the JIT's optimizing compiler (and an OpenCL kernel build).
            long warmEnd = System.nanoTime() + (long) (Math.max(0.3, budget) * 1e9);
            int warm = 0;
            while (warm < 3 || System.nanoTime() < warmEnd) {
                multiply(b, a, m, c);
                warm++;
            }
            List<Long> times = new ArrayList<>();
            long deadline = System.nanoTime() + (long) (budget * 1e9);
            while (times.size() < 5 || System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                multiply(b, a, m, c);
                times.add(System.nanoTime() - t0);
            }
            times.sort(null);
            double median = times.get(times.size() / 2) / 1e9;
            return 2.0 * n * n * n / median / 1e9;
        }
    }

    private static void multiply(Backend b, Tensor a, Tensor m, Tensor c) {
        b.gemm(false, false, 1f, a, m, 0f, c);
        b.synchronize();
    }
}
