package dendrite.bench;

import dendrite.nn.data.Dataset;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
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
 * One training epoch of the 784-256-128-10 MLP (see {@link Mlp}), or of the preset CNN
 * ({@code model=cnn}, see {@link Cnn}), on Fashion-MNIST's 60,000 training images (or a synthetic set of that shape, said so in the output): 469 shuffled
 * mini-batches of 128, each forward, softmax cross-entropy, backward and an Adam step.
 *
 * <p>Each invocation is one whole epoch, timed once ({@link Mode#SingleShotTime}); every
 * invocation trains on, with the next epoch's shuffle, as a real run would. The dataset is
 * uploaded in setup, not timed. peers/torch_mlp.py times the same epoch in PyTorch.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class EpochBenchmark {
    @Param({"scalar", "vector", "opencl"})
    public String backend;

    /** {@code mlp} or {@code cnn}; backend-scalar's CNN epoch takes about half an hour, so run.sh leaves it out. */
    @Param({"mlp", "cnn"})
    public String model;

    private TrainingLoop loop;
    private int epoch;
    private double lastLoss;

    @Setup(Level.Trial)
    public void setup() {
        Dataset data = TrainingData.get();
        Backend be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        Workload workload = Workload.named(model);
        Checks.trainingMatchesScalar(be, data, workload);
        loop = new TrainingLoop(be, data, workload);
    }

    @Benchmark
    public double epoch() {
        lastLoss = loop.epoch(epoch++);
        return lastLoss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // A loss that falls from about 2.3 says the timed epochs really trained.
        System.out.println("\n" + backend + " " + model + ": mean training loss of epoch " + epoch + " was " + lastLoss);
        loop.close();
    }
}
