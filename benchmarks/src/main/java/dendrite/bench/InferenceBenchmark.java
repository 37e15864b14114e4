package dendrite.bench;

import dendrite.nn.Predictor;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prediction latency of the MLP (see {@link Mlp}) or the preset CNN ({@code model=cnn}, see {@link Cnn}) through the public API a service would call,
 * {@code Sequential.predict(float[], n)}: host values in, host values out, so the copies to and
 * from the backend are part of the time. {@code single} predicts one sample, {@code batch64} 64.
 * peers/torch_mlp.py times the same in PyTorch.
 *
 * <p>{@code singleThroughput1} and {@code singleThroughput2} count single-sample predictions per
 * millisecond from one and from two threads sharing the one model, as a service's request threads
 * would: their ratio is how prediction scales (issue 19 asks for at least 1.7 on 2 cores).
 *
 * <p>{@code predictorSingle} and {@code predictorBatch64} predict the same through a
 * {@code Predictor} made from the model ({@code Sequential.predictor()}: the dense layers' weights
 * packed once, as ONNX Runtime's session does, instead of on every call), with the same values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class InferenceBenchmark {
    static final int BATCH = 64;

    @Param({"scalar", "vector", "opencl"})
    public String backend;

    @Param({"mlp", "cnn"})
    public String model;

    private Sequential network;
    private Predictor predictor;
    private float[] one;
    private float[] batch;

    @Setup(Level.Trial)
    public void setup() {
        Dataset data = TrainingData.get();
        Backend be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        Workload workload = Workload.named(model);
        network = workload.build(be);
        batch = Arrays.copyOf(data.features(), BATCH * Mlp.INPUTS);
        one = Arrays.copyOf(batch, Mlp.INPUTS);
        Checks.predictionsMatchScalar(be, workload, network, batch, BATCH);
        predictor = network.predictor();
        if (!Arrays.equals(network.predict(batch, BATCH), predictor.predict(batch, BATCH))) {
            throw new IllegalStateException(backend + ": the predictor's outputs differ from the model's");
        }
    }

    @Benchmark
    public float[] single() {
        return network.predict(one, 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(1)
    public float[] singleThroughput1() {
        return network.predict(one, 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Threads(2)
    public float[] singleThroughput2() {
        return network.predict(one, 1);
    }

    @Benchmark
    public float[] batch64() {
        return network.predict(batch, BATCH);
    }

    @Benchmark
    public float[] predictorSingle() {
        return predictor.predict(one, 1);
    }

    @Benchmark
    public float[] predictorBatch64() {
        return predictor.predict(batch, BATCH);
    }
}
