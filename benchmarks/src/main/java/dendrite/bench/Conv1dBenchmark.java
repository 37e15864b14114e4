package dendrite.bench;

import dendrite.nn.layers.Conv1d;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
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
 * Forward plus backward (dL/dx, the weight and bias gradients) of one {@link Conv1d} on a text CNN's
 * shape: batch 64, 128 channels (an embedding's dimension) over 100 steps, 128 filters of width 5,
 * padding {@code same}. Conv1d runs on the backends' 2-D convolution with a one-row image, so this
 * measures that path on the shape a 1-D model gives it. peers/torch_conv1d.py times the same in
 * PyTorch ({@code nn.Conv1d}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class Conv1dBenchmark {
    static final int BATCH = 64;
    static final int CHANNELS = 128;
    static final int LENGTH = 100;
    static final int FILTERS = 128;
    static final int WIDTH = 5;

    @Param({"vector", "opencl"})
    public String backend;

    private Backend be;
    private Conv1d layer;
    private Tensor x;
    private Tensor dOut;

    @Setup(Level.Trial)
    public void setup() {
        be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        layer = new Conv1d(CHANNELS, FILTERS, WIDTH, 1, 0, true, 1, 1, true, null);
        layer.build(be, Shape.of(CHANNELS, LENGTH), 1);
        float[] xs = new float[BATCH * CHANNELS * LENGTH];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.1 * i);
        }
        x = be.tensor(xs, BATCH, CHANNELS, LENGTH);
        dOut = be.full(0.01f, BATCH, FILTERS, LENGTH);
    }

    @Benchmark
    public Tensor forwardBackward() {
        layer.forward(x, true);
        Tensor dx = layer.backward(dOut);
        be.synchronize();
        return dx;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        dOut.close();
    }
}
