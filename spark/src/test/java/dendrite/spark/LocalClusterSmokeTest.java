package dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backends;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training and prediction with executors in separate JVMs ({@code local-cluster[2,1,1024]}: two
 * workers of one core each), as on a real cluster: everything a task needs is serialised across a
 * process boundary, and the ring's sockets join two processes. {@code local[2]} runs tasks as threads
 * of the test's own JVM, which would hide a class or a lambda that does not travel.
 *
 * <p>Slow (executors take about a minute to start), so it runs in its own surefire execution
 * ({@code local-cluster} in spark/pom.xml), which sets what Spark's scripts would: {@code SPARK_HOME}
 * (a folder with an empty {@code jars/}: the executors' classes come from the class path given here)
 * and {@code SPARK_SCALA_VERSION}.
 */
class LocalClusterSmokeTest {
    /** The retry test's checkpoints and marker file: removed after the test. */
    @TempDir
    static Path checkpoints;

    @Test
    void twoExecutorJvmsTrainInLockStepAndPredict() throws Exception {
        Path home = Path.of(System.getenv().getOrDefault("SPARK_HOME", "target/spark-home")).toAbsolutePath();
        Files.createDirectories(home.resolve("jars"));
        String classPath = Stream.of(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("dendrite-local-cluster")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.home", home.toString())
                .set("spark.executor.extraClassPath", classPath)
                .set("spark.executor.extraJavaOptions", JavaModuleOptions.defaultModuleOptions()
                        + " --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            List<Example> data = samples(256);
            Sequential model = Sequential.builder(6).dense(16).relu().dense(2).build(Backends.get("scalar"), 1);
            SparkTrainer.Run run = SparkTrainer.builder(model)
                    .loss(Losses::softmaxCrossEntropy)
                    .optimizer(() -> new Sgd(0.1, 0.9, false))
                    .tasks(2).batchSize(32).epochs(3).backend("scalar")
                    .build()
                    .fit(spark.parallelize(data, 2));
            assertEquals(3, run.losses().length);
            assertTrue(run.losses()[2] < 0.5 * run.losses()[0], "the loss falls: " + java.util.Arrays.toString(run.losses()));

            List<float[]> features = data.stream().map(Example::features).toList();
            List<float[]> outputs = SparkPredictor.predict(model, spark.parallelize(features, 2), 50, "scalar").collect();
            int right = 0;
            for (int i = 0; i < data.size(); i++) {
                float[] o = outputs.get(i);
                right += (o[1] > o[0] ? 1 : 0) == (int) data.get(i).target()[0] ? 1 : 0;
            }
            assertTrue(right > 0.9 * data.size(), right + " of " + data.size() + " right");

            aTaskThatDiesMidRunIsRetriedFromTheLastCheckpointToTheSameBits(spark, data);
        }
    }

    /**
     * Rank 1 throws in epoch 2, once: Spark retries the whole barrier stage on fresh tasks, which resume
     * from the newest checkpoint and end with the bits of a run that never failed.
     */
    private static void aTaskThatDiesMidRunIsRetriedFromTheLastCheckpointToTheSameBits(JavaSparkContext spark,
            List<Example> data) throws Exception {
        Path dir = Files.createDirectories(checkpoints.resolve("retry"));
        Sequential straight = Sequential.builder(6).dense(16).relu().dense(2).build(Backends.get("scalar"), 5);
        retryTrainer(straight, dir.resolve("a").toUri().toString(), null).fit(spark.parallelize(data, 2));

        String marker = dir.resolve("died").toString();
        Sequential retried = Sequential.builder(6).dense(16).relu().dense(2).build(Backends.get("scalar"), 5);
        SparkTrainer.Run run = retryTrainer(retried, dir.resolve("b").toUri().toString(), marker)
                .fit(spark.parallelize(data, 2));
        assertTrue(Files.exists(Path.of(marker)), "rank 1 died once");
        assertTrue(run.firstEpoch() == 1 || run.firstEpoch() == 2, "resumed after epoch 1 or 2: " + run.firstEpoch());
        for (var e : straight.stateDict().entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().toArray(),
                    retried.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }

    private static SparkTrainer retryTrainer(Sequential m, String checkpoints, String marker) {
        // 128 samples a task, 16 a step: 8 steps an epoch; the 17th forward pass is epoch 2's first.
        return SparkTrainer.builder(m)
                .loss(() -> marker == null ? Losses.softmaxCrossEntropy() : new DiesOnce(marker, 17))
                .optimizer(() -> new Sgd(0.1, 0.9, false))
                .tasks(2).batchSize(32).epochs(4).backend("scalar").checkpoints(checkpoints)
                .build();
    }

    /** Softmax cross-entropy that throws at its n-th forward pass on rank 1, the first time only (a marker file). */
    private static final class DiesOnce implements dendrite.nn.losses.Loss {
        private final dendrite.nn.losses.Loss loss = Losses.softmaxCrossEntropy();
        private final String marker;
        private final int failAt;
        private int calls;

        DiesOnce(String marker, int failAt) {
            this.marker = marker;
            this.failAt = failAt;
        }

        @Override
        public String name() {
            return loss.name();
        }

        @Override
        public dendrite.tensor.Tensor forward(dendrite.tensor.Tensor prediction, dendrite.tensor.Tensor target) {
            if (++calls == failAt && org.apache.spark.TaskContext.get().partitionId() == 1) {
                try {
                    Files.createFile(Path.of(marker));
                    throw new IllegalStateException("rank 1 dies here, once");
                } catch (java.nio.file.FileAlreadyExistsException retried) {
                    // the retried stage: carry on
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return loss.forward(prediction, target);
        }

        @Override
        public dendrite.tensor.Tensor backward() {
            return loss.backward();
        }
    }

    /** Two classes: the sign of the features' sum. */
    private static List<Example> samples(int n) {
        Random random = new Random(3);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[6];
            float sum = 0;
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
                sum += x[j];
            }
            out.add(Example.classified(x, sum > 0 ? 1 : 0));
        }
        return out;
    }
}
