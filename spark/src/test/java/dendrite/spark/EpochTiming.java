package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backends;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The measurement in spark/README.md: one epoch of the 784-256-128-10 MLP on Fashion-MNIST's 60,000
 * training images with 1 and then 2 tasks in {@code local[2]}, the wall time of each epoch and the
 * share rank 0 spent in the all-reduce. Not a test: run it by hand (the command is in the README).
 *
 * <p>Arguments: epochs (default 2; the first one includes the JIT's warm-up), the global batch (128).
 */
public final class EpochTiming {
    private EpochTiming() {
    }

    private static double accuracy(Sequential model, dendrite.nn.data.Dataset test) {
        return new dendrite.nn.train.Evaluator(model, Losses.softmaxCrossEntropy()).evaluate(test).accuracy();
    }

    /** The ring on its own: two ranks (threads) on loopback summing {@code length} floats, repeatedly. */
    private static void allReduceAlone(int length, int repeats) throws Exception {
        List<long[]> times = Rings.run(2, java.time.Duration.ofSeconds(30), ring -> {
            float[] data = new float[length];
            long[] nanos = new long[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                ring.sum(data, length);
                nanos[i] = System.nanoTime() - start;
            }
            return nanos;
        });
        long[] t = times.get(0).clone();
        java.util.Arrays.sort(t);
        double median = t[t.length / 2] / 1e6;
        System.out.printf(Locale.ROOT, "all-reduce alone, 2 ranks on loopback, %,d floats: median %.2f ms, best %.2f ms"
                + " (%.0f MB/s of gradient per rank)%n", length, median, t[0] / 1e6, length * 4 / 1e6 / (median / 1e3));
    }

    /**
     * Prints the timings.
     *
     * @param args epochs, then the global batch
     * @throws Exception if Fashion-MNIST is missing or Spark fails
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        allReduceAlone(235_147, 300);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        dendrite.nn.data.TrainTest fashion = FashionMnist.load();
        List<Example> data = Examples.of(fashion.train());
        {
            Sequential alone = Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10)
                    .build(Backends.get("vector"), 42);
            long start = System.nanoTime();
            dendrite.nn.train.Trainer.builder(alone).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-3))
                    .batchSize(batch).epochs(epochs).seed(42).build().fit(fashion.train());
            System.out.printf(Locale.ROOT, "Trainer in one process: %d epochs in %.2f s, test accuracy %.4f%n", epochs,
                    (System.nanoTime() - start) / 1e9, accuracy(alone, fashion.test()));
        }
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("dendrite-epoch-timing")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            for (int tasks : new int[] {1, 2}) {
                Sequential model = Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10)
                        .build(Backends.get("vector"), 42);
                SparkTrainer.Run run = SparkTrainer.builder(model).loss(Losses::softmaxCrossEntropy)
                        .optimizer(() -> new Adam(1e-3)).tasks(tasks).batchSize(batch).epochs(epochs)
                        .backend("vector").build().fit(spark.parallelize(data, tasks));
                System.out.printf(Locale.ROOT, "tasks %d  test accuracy %.4f%n", tasks, accuracy(model, fashion.test()));
                for (int e = 0; e < run.losses().length; e++) {
                    System.out.printf(Locale.ROOT, "tasks %d  epoch %d  loss %.4f  %.2f s  all-reduce %.2f s (%.0f %%)"
                                    + "  %d steps of %d floats%n", tasks, e + 1, run.losses()[e], run.seconds()[e],
                            run.syncSeconds()[e], 100 * run.syncSeconds()[e] / run.seconds()[e], run.stepsPerEpoch(),
                            model.parameterCount() + 1);
                }
            }
        }
    }
}
