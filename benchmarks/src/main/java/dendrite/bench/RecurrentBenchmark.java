package dendrite.bench;

import dendrite.nn.layers.GRU;
import dendrite.nn.layers.LSTM;
import dendrite.nn.layers.Recurrent;
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
 * Forward plus backward (through time, all weight gradients and dL/dx) of one recurrent layer on
 * issue 15's speed shape: batch 64, 50 steps, 64 inputs, 256 hidden units, every step's output
 * returned and given a gradient. peers/torch_rnn.py times the same in PyTorch
 * ({@code nn.LSTM}/{@code nn.GRU}, {@code batch_first=True}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class RecurrentBenchmark {
    static final int BATCH = 64;
    static final int STEPS = 50;
    static final int INPUTS = 64;
    static final int HIDDEN = 256;

    @Param({"vector", "opencl"})
    public String backend;

    @Param({"lstm", "gru"})
    public String cell;

    private Backend be;
    private Recurrent layer;
    private Tensor x;
    private Tensor dOut;

    @Setup(Level.Trial)
    public void setup() {
        be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        layer = cell.equals("lstm") ? new LSTM(INPUTS, HIDDEN, true) : new GRU(INPUTS, HIDDEN, true);
        layer.build(be, Shape.of(STEPS, INPUTS), 1);
        float[] xs = new float[BATCH * STEPS * INPUTS];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.1 * i);
        }
        x = be.tensor(xs, BATCH, STEPS, INPUTS);
        dOut = be.full(0.01f, BATCH, STEPS, HIDDEN);
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
