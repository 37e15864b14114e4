package dendrite.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link InferenceBenchmark}'s predictions in Deeplearning4j ({@link Dl4jMlp}, untrained: the time
 * does not depend on the weights): host values in (a {@code float[]} made into an ND4J array),
 * {@code MultiLayerNetwork.output}, host values out, as Dendrite's {@code Sequential.predict(float[], n)}.
 * {@code single} predicts one sample, {@code batch64} 64.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class Dl4jInferenceBenchmark {
    private MultiLayerNetwork net;
    private float[] one;
    private float[] batch;

    @Setup(Level.Trial)
    public void setup() {
        net = Dl4jMlp.build();
        batch = PeerPredictions.batch();
        one = Arrays.copyOf(batch, Mlp.INPUTS);
        PeerPredictions.checkBatch("dl4j", predict(batch, InferenceBenchmark.BATCH));
    }

    private float[] predict(float[] x, int n) {
        INDArray in = Nd4j.create(x, new long[] {n, Mlp.INPUTS}, DataType.FLOAT);
        return PeerPredictions.flatten(net.output(in).toFloatMatrix());
    }

    @Benchmark
    public float[] single() {
        return predict(one, 1);
    }

    @Benchmark
    public float[] batch64() {
        return predict(batch, InferenceBenchmark.BATCH);
    }
}
