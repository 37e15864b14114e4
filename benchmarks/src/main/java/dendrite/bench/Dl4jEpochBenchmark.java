package dendrite.bench;

import dendrite.nn.data.Dataset;
import dendrite.nn.data.MiniBatches;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EpochBenchmark}'s MLP epoch in Deeplearning4j ({@link Dl4jMlp}): the same 60,000 images in
 * the same 469 shuffled mini-batches of 128, each gathered from the whole set ({@code Nd4j.pullRows}, as
 * Dendrite gathers its rows and PyTorch's DataLoader its samples) and passed to
 * {@code MultiLayerNetwork.fit(DataSet)}: forward, loss, backward and an Adam step. One epoch per
 * invocation, timed once; the data is put into ND4J arrays in setup, not timed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class Dl4jEpochBenchmark {
    private MultiLayerNetwork net;
    private INDArray x;
    private INDArray y;
    private int size;
    /** Dendrite's own shuffle, so DL4J sees the batches {@link EpochBenchmark} trains on. */
    private MiniBatches batches;
    private int epoch;
    private double lastLoss;

    @Setup(Level.Trial)
    public void setup() {
        Dataset data = TrainingData.get();
        net = Dl4jMlp.build();
        INDArray[] xy = Dl4jMlp.arrays(data);
        x = xy[0];
        y = xy[1];
        size = data.size();
        batches = new MiniBatches(size, Mlp.BATCH, Mlp.SEED);
    }

    @Benchmark
    public double epoch() {
        int[] order = batches.permutation(epoch++);
        double lossSum = 0;
        for (int from = 0; from < size; from += Mlp.BATCH) {
            int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(size, from + Mlp.BATCH));
            DataSet batch = new DataSet(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows));
            net.fit(batch);
            lossSum += net.score() * rows.length;
        }
        lastLoss = lossSum / size;
        return lastLoss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // A loss that falls from about 2.3 says the timed epochs really trained.
        System.out.println("\ndl4j mlp: mean training loss of epoch " + epoch + " was " + lastLoss);
    }
}
