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
 * figure is printed even without the profiler: the bytes all threads allocated over a run of steps
 * (the vector backend computes on a pool), and on backends that count their device buffers, how
 * many more are live afterwards.
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

    private void reportSteadyAllocation() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Steps before measuring, in case a fresh buffer is still to be made; slow backends get
        // fewer so tear-down stays short.
        int steps = backend.equals("scalar") ? MEASURED_STEPS / 10 : MEASURED_STEPS;
        for (int i = 0; i < steps; i++) {
            step();
        }
        loop.backend.synchronize();
        MemoryStats before = loop.backend.memory();
        long bytes = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            step();
        }
        loop.backend.synchronize();
        bytes = threads.getTotalThreadAllocatedBytes() - bytes;
        MemoryStats after = loop.backend.memory();
        String buffers = before.tracked()
                ? ", live device buffers " + before.liveBuffers() + " -> " + after.liveBuffers()
                : " (heap backend: no device buffers to count)";
        System.out.printf(Locale.ROOT, "%nsteady state on %s: %.0f bytes allocated per step (all threads, over %d steps"
                + " after the measurement)%s%n", backend, bytes / (double) steps, steps, buffers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reportSteadyAllocation();
        loop.close();
    }
}
