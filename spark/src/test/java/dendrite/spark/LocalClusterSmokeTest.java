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
