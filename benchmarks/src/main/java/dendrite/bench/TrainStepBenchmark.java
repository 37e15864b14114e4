package dendrite.bench;

import com.sun.management.ThreadMXBean;
import dendrite.nn.data.Dataset;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.MemoryStats;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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

/**
 * One training step of the MLP or the preset CNN ({@code model}) at batch 128 (gather, forward, loss, backward, Adam), the unit
 * {@link EpochBenchmark} repeats 469 times. Run it with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the heap bytes one step allocates, and a steady step should allocate no tensors and under
 * 1 KB.
 *
 * <p>Tear-down also measures that itself, once the JIT has settled after JMH's iterations, so the
 * figure is printed even without the profiler: the bytes all threads allocated per step (the vector
 * backend computes on a pool), window after window of steps until the count stops falling, and on
 * backends that count their device buffers, how many more are live afterwards.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class TrainStepBenchmark {
    /** Steps in tear-down's own allocation measurement (and as many before it). */
    private static final int MEASURED_STEPS = 200;
    /** Windows of {@link #MEASURED_STEPS} steps at most in tear-down's measurement. */
    private static final int MAX_WINDOWS = 8;

    @Param({"scalar", "vector", "opencl"})
    public String backend;

    @Param({"mlp", "cnn"})
    public String model;

    private TrainingLoop loop;
    private int[] order;
    private int batch;

    @Setup(Level.Trial)
    public void setup() {
        Dataset data = TrainingData.get();
        Backend be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        Workload workload = Workload.named(model);
        Checks.trainingMatchesScalar(be, data, workload);
        loop = new TrainingLoop(be, data, workload);
        order = loop.batches.permutation(0);
    }

    /** One step on the next full batch of the epoch's order, wrapping around. */
    @Benchmark
    public float step() {
        int from = batch * Mlp.BATCH;
        batch = (batch + 1) % (loop.batches.size() / Mlp.BATCH);
        return loop.step(order, from, from + Mlp.BATCH);
    }

    /**
     * Measures windows of steps one after another until one allocates as little as the window
     * before it (or {@link #MAX_WINDOWS} have run), and prints every window's figure. A kernel called
     * once a step (the loss's element-wise product) reaches C2 only after several hundred steps, and
     * until then runs as allocating C1 code: a single window right after JMH's short iterations
     * caught it there in some runs and not in others (1 B to 46 KB a step), which is warm-up, not
     * a steady step.
     */
    private void reportSteadyAllocation() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Slow backends get shorter windows so tear-down stays short.
        int steps = backend.equals("scalar") ? MEASURED_STEPS / 10 : MEASURED_STEPS;
        for (int i = 0; i < steps; i++) {
            step();
        }
        loop.backend.synchronize();
        MemoryStats before = loop.backend.memory();
        StringBuilder windows = new StringBuilder();
        double previous = Double.MAX_VALUE;
        double perStep = 0;
        int window = 0;
        while (window < MAX_WINDOWS) {
            long bytes = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) {
                step();
            }
            loop.backend.synchronize();
            perStep = (threads.getTotalThreadAllocatedBytes() - bytes) / (double) steps;
            window++;
            windows.append(window == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", perStep));
            if (perStep >= previous || perStep < 1) {
                break;
            }
            previous = perStep;
        }
        MemoryStats after = loop.backend.memory();
        String buffers = before.tracked()
                ? ", live device buffers " + before.liveBuffers() + " -> " + after.liveBuffers()
                : " (heap backend: no device buffers to count)";
        System.out.printf(Locale.ROOT, "%nsteady state on %s: %.0f bytes allocated per step (all threads, the last of %d"
                + " windows of %d steps after the measurement: %s bytes a step)%s%n",
                backend, perStep, window, steps, windows, buffers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reportSteadyAllocation();
        loop.close();
    }
}
