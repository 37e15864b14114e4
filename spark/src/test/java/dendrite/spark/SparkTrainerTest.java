package dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training on Spark in {@code local[2]}: two tasks in one barrier stage, a ring between them. */
class SparkTrainerTest {
    private static final int FEATURES = 10;
    private static final int CLASSES = 3;
    private static final int PER_TASK = 96;
    private static final int BATCH = 32;
    private static final int EPOCHS = 3;
    private static final long SEED = 5;

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("dendrite-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        spark = new JavaSparkContext(conf);
        spark.setLogLevel("WARN");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Sequential model(Backend be) {
        return Sequential.builder(FEATURES).dense(24).relu().dense(CLASSES).build(be, 3);
    }

    private static Optimizer optimizer() {
        return new Sgd(0.05, 0.9, false);
    }

    /** Samples whose class shows in their features; shard r is samples [r * PER_TASK, (r + 1) * PER_TASK). */
    private static List<Example> samples(int n) {
        Random random = new Random(17);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(CLASSES);
            float[] x = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) random.nextGaussian() + (j % CLASSES == c ? 1f : 0f);
            }
            out.add(Example.classified(x, c));
        }
        return out;
    }

    /**
     * The reference: one process, whose global batch k of each epoch holds rank 0's k-th local batch,
     * then rank 1's, exactly the samples the two tasks see together.
     */
    private static double[] trainInOneProcess(Sequential m, List<Example> data) {
        return trainInOneProcess(m, data, false);
    }

    private static double[] trainInOneProcess(Sequential m, List<Example> data, boolean cosine) {
        Loss loss = Losses.softmaxCrossEntropy();
        Optimizer opt = optimizer();
        Backend be = m.backend();
        int local = BATCH / 2;
        int steps = PER_TASK / local;
        if (cosine) {
            opt.schedule(dendrite.nn.optim.Schedules.cosine(0, (long) steps * EPOCHS, 0));
        }
        double[] losses = new double[EPOCHS];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            int[][] orders = {ShardPlan.order(SEED, epoch, 0, PER_TASK), ShardPlan.order(SEED, epoch, 1, PER_TASK)};
            for (int s = 0; s < steps; s++) {
                float[] xs = new float[BATCH * FEATURES];
                float[] ys = new float[BATCH];
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < local; i++) {
                        Example e = data.get(r * PER_TASK + orders[r][s * local + i]);
                        int row = r * local + i;
                        System.arraycopy(e.features(), 0, xs, row * FEATURES, FEATURES);
                        ys[row] = e.target()[0];
                    }
                }
                try (Tensor x = be.tensor(xs, BATCH, FEATURES); Tensor y = be.tensor(ys, BATCH)) {
                    losses[epoch] += loss.forward(m.forward(x, true), y).item() / steps;
                    m.backward(loss.backward());
                    opt.step(m.namedParameters());
                }
            }
            opt.epochEnded(epoch, losses[epoch]);
        }
        return losses;
    }

    @Test
    void twoTasksAtHalfTheBatchTrainAsOneProcessAtTheWholeBatch() {
        List<Example> data = samples(2 * PER_TASK);
        Backend be = Backends.get("scalar");
        Sequential distributed = model(be);
        SparkTrainer.Run run = SparkTrainer.builder(distributed)
                .loss(Losses::softmaxCrossEntropy)
                .optimizer(SparkTrainerTest::optimizer)
                .tasks(2).batchSize(BATCH).epochs(EPOCHS).seed(SEED).backend("scalar")
                .build()
                .fit(spark.parallelize(data, 2));

        Sequential alone = model(be);
        double[] aloneLosses = trainInOneProcess(alone, data);

        assertEquals(PER_TASK / (BATCH / 2), run.stepsPerEpoch());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(aloneLosses[e], run.losses()[e], 1e-5 * Math.abs(aloneLosses[e]), "epoch " + e + "'s loss");
        }
        assertTrue(run.losses()[EPOCHS - 1] < run.losses()[0], "the loss falls: " + java.util.Arrays.toString(run.losses()));
        Map<String, Tensor> expected = alone.stateDict();
        Map<String, Tensor> got = distributed.stateDict();
        double worst = 0;
        for (String name : expected.keySet()) {
            float[] e = expected.get(name).toArray();
            float[] g = got.get(name).toArray();
            for (int i = 0; i < e.length; i++) {
                worst = Math.max(worst, Math.abs(e[i] - g[i]) / Math.max(1e-2, Math.abs(e[i])));
            }
        }
        assertTrue(worst < 1e-4, "largest relative difference from one process: " + worst);
    }

    /**
     * A run stopped after 2 of 4 epochs and started again with the same checkpoint folder continues at
     * epoch 2 and ends with the same bits as a run that never stopped (weights, momentum, data order).
     */
    @Test
    void aRunStartedAgainContinuesFromItsLastCheckpointToTheSameBits(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        List<Example> data = samples(2 * PER_TASK);
        Backend be = Backends.get("scalar");
        Sequential straight = model(be);
        trainer(straight, 4).build().fit(spark.parallelize(data, 2));

        String folder = dir.resolve("checkpoints").toUri().toString();
        Sequential stopped = model(be);
        SparkTrainer.Run firstHalf = trainer(stopped, 2).checkpoints(folder).build().fit(spark.parallelize(data, 2));
        assertEquals(0, firstHalf.firstEpoch());
        Sequential resumed = model(be);                                 // a new driver: fresh weights
        SparkTrainer.Run secondHalf = trainer(resumed, 4).checkpoints(folder).build().fit(spark.parallelize(data, 2));
        assertEquals(2, secondHalf.firstEpoch());
        assertEquals(2, secondHalf.losses().length);

        for (Map.Entry<String, Tensor> e : straight.stateDict().entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().toArray(),
                    resumed.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
        try (var files = java.nio.file.Files.list(dir.resolve("checkpoints"))) {
            // Hadoop's local file system keeps a .crc file beside each file it writes.
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
                    .sorted().toList();
            assertEquals(List.of("epoch-00003.safetensors", "epoch-00004.safetensors"), names,
                    "the newest two, no partial file");
        }
    }

    /**
     * Labels that are pure noise: the training loss keeps falling while the validation loss soon
     * rises, so early stopping must end the run, on both tasks after the same epoch, and hand back the
     * weights of the best validation epoch.
     */
    @Test
    void earlyStoppingEndsEveryTaskAfterTheSameEpochAndRestoresTheBestWeights() {
        Random random = new Random(9);
        List<Example> noise = new ArrayList<>();
        for (int i = 0; i < 2 * PER_TASK + 64; i++) {
            float[] x = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) random.nextGaussian();
            }
            noise.add(Example.classified(x, random.nextInt(CLASSES)));
        }
        List<Example> train = noise.subList(0, 2 * PER_TASK);
        List<Example> validation = noise.subList(2 * PER_TASK, noise.size());
        Sequential m = Sequential.builder(FEATURES).dense(64).relu().dense(CLASSES).build(Backends.get("scalar"), 3);
        int epochs = 60;
        SparkTrainer.Run run = SparkTrainer.builder(m).loss(Losses::softmaxCrossEntropy)
                .optimizer(() -> new dendrite.nn.optim.Adam(1e-2))
                .tasks(2).batchSize(BATCH).epochs(epochs).seed(SEED).backend("scalar")
                .validation(validation).earlyStopping(3, true)
                .build().fit(spark.parallelize(train, 2));

        assertTrue(run.stoppedEarly(epochs), "stopped before epoch " + epochs + ": " + run.losses().length);
        double[] v = run.validationLosses();
        int bestEpoch = 0;
        for (int e = 1; e < v.length; e++) {
            bestEpoch = v[e] < v[bestEpoch] ? e : bestEpoch;
        }
        assertEquals(v.length - 1 - 3, bestEpoch, "three epochs without improvement after the best: "
                + java.util.Arrays.toString(v));
        assertTrue(run.losses()[run.losses().length - 1] < run.losses()[bestEpoch], "the training loss kept falling");
        double restored = Validation.measure(m, Losses.softmaxCrossEntropy(), validation)[0];
        assertEquals(v[bestEpoch], restored, 1e-6 * Math.abs(restored), "the model returned is the best epoch's");
        for (double a : run.validationAccuracies()) {
            assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        }
    }

    /** A CSV read by Spark into a DataFrame trains and predicts through its columns. */
    @Test
    void aDataFrameReadFromCsvTrainsAndPredicts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path csv = dir.resolve("points.csv");
        Random random = new Random(4);
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 256; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            text.append(a).append(',').append(b).append(',').append(a + b > 0 ? 1 : 0).append('\n');
        }
        java.nio.file.Files.writeString(csv, text);
        org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().getOrCreate();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table = session.read().option("header", true)
                .option("inferSchema", true).csv(csv.toString());
        JavaRDD<Example> data = Examples.fromRows(table, "label", "a", "b").repartition(2);
        Sequential m = Sequential.builder(2).dense(8).relu().dense(2).build(Backends.get("scalar"), 2);
        SparkTrainer.builder(m).loss(Losses::softmaxCrossEntropy).optimizer(() -> new Sgd(0.1, 0.9, false))
                .tasks(2).batchSize(32).epochs(5).backend("scalar").build().fit(data);
        List<float[]> outputs = SparkPredictor.predict(m, Examples.features(table, "a", "b"), 64, "scalar").collect();
        List<org.apache.spark.sql.Row> rows = table.collectAsList();
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
            int predicted = outputs.get(i)[1] > outputs.get(i)[0] ? 1 : 0;
            right += predicted == rows.get(i).getInt(2) ? 1 : 0;
        }
        assertTrue(right > 0.9 * rows.size(), right + " of " + rows.size());
    }

    /** Array columns (an image's pixels in Parquet) are flattened in order; a text column is named. */
    @Test
    void arrayColumnsAreFlattenedAndATextColumnIsRefusedByName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.apache.spark.sql.SparkSession session = org.apache.spark.sql.SparkSession.builder().getOrCreate();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table = session.sql(
                "SELECT array(1.5, 2.5, 3.5) AS pixels, 7 AS extra, 2 AS label, 'x' AS name");
        String parquet = dir.resolve("t.parquet").toString();
        table.write().parquet(parquet);
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read = session.read().parquet(parquet);
        Example e = Examples.fromRows(read, "label", "pixels", "extra").first();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 7f}, e.features());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2f}, e.target());
        Exception x = assertThrows(Exception.class, () -> Examples.fromRows(read, "label", "name").first());
        assertTrue(String.valueOf(x.getMessage()).contains("column name holds String values"), x.getMessage());
    }

    private static SparkTrainer.Builder trainer(Sequential m, int epochs) {
        return SparkTrainer.builder(m).loss(Losses::softmaxCrossEntropy).optimizer(SparkTrainerTest::optimizer)
                .tasks(2).batchSize(BATCH).epochs(epochs).seed(SEED).backend("scalar");
    }

    /** Prediction over an RDD of 3 partitions, in batches of 7: the local model's outputs, in order. */
    @Test
    void predictionOverAnRddGivesTheLocalModelsOutputsInOrder() {
        Backend be = Backends.get("scalar");
        Sequential m = model(be);
        List<Example> data = samples(50);
        List<float[]> features = data.stream().map(Example::features).toList();
        List<float[]> got = SparkPredictor.predict(m, spark.parallelize(features, 3), 7, "scalar").collect();
        assertEquals(50, got.size());
        float[] xs = new float[50 * FEATURES];
        for (int i = 0; i < 50; i++) {
            System.arraycopy(features.get(i), 0, xs, i * FEATURES, FEATURES);
        }
        try (Tensor x = be.tensor(xs, 50, FEATURES)) {
            float[] expected = m.forward(x, false).toArray();
            for (int i = 0; i < 50; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        java.util.Arrays.copyOfRange(expected, i * CLASSES, (i + 1) * CLASSES), got.get(i), 1e-6f,
                        "sample " + i);
            }
        }
    }

    @Test
    void aSampleOfTheWrongSizeIsNamedWithTheModelsInput() {
        Sequential m = model(Backends.get("scalar"));
        Exception e = assertThrows(Exception.class, () -> SparkPredictor.predict(m,
                spark.parallelize(List.of(new float[FEATURES + 1]), 1), 4, "scalar").collect());
        assertTrue(String.valueOf(e.getMessage()).contains("a sample of 11 features for a model whose input takes 10"),
                e.getMessage());
    }

    /** A graph model (fan-out, a merge, a concatenation) travels in its model file and trains as in one process. */
    @Test
    void aGraphModelTrainsAsOneProcess() {
        java.util.function.Function<Backend, Sequential> graph = be -> Sequential.builder(FEATURES)
                .add(dendrite.nn.graph.Graph.builder()
                        .layer("h", new dendrite.nn.layers.Dense(12), "input")
                        .layer("g", new dendrite.nn.layers.Dense(12), "input")
                        .add("sum", "h", "g")
                        .concat("both", 0, "sum", "input")
                        .layer("out", new dendrite.nn.layers.Dense(CLASSES), "both")
                        .build())
                .build(be, 8);
        List<Example> data = samples(2 * PER_TASK);
        Backend be = Backends.get("scalar");
        Sequential distributed = graph.apply(be);
        SparkTrainer.Run run = trainer(distributed, EPOCHS).build().fit(spark.parallelize(data, 2));
        Sequential alone = graph.apply(be);
        double[] aloneLosses = trainInOneProcess(alone, data);
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(aloneLosses[e], run.losses()[e], 1e-5 * Math.abs(aloneLosses[e]), "epoch " + e + "'s loss");
        }
        for (Map.Entry<String, Tensor> e : alone.stateDict().entrySet()) {
            float[] a = e.getValue().toArray();
            float[] d = distributed.stateDict().get(e.getKey()).toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], d[i], 1e-4 * Math.max(1e-2, Math.abs(a[i])), e.getKey() + "[" + i + "]");
            }
        }
    }

    /**
     * The driver's listener hears every epoch while the stage runs (the first one long before fit
     * returns), in order, with the numbers the run returns; validation metrics when there is validation.
     */
    @Test
    void listenersOnTheDriverHearEachEpochAndStepWhileTheTasksTrain() {
        List<Example> data = samples(2 * PER_TASK);
        List<Integer> epochs = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Map<String, Double>> metrics = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<double[]> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] firstHeard = {0};
        SparkTrainer.Run run = trainer(model(Backends.get("scalar")), 6)
                .validation(data.subList(0, 40))
                .stepListener((epoch, step, loss) -> steps.add(new double[] {epoch, step, loss}))
                .listener((epoch, m) -> {
                    if (epochs.isEmpty()) {
                        firstHeard[0] = System.nanoTime();
                    }
                    epochs.add(epoch);
                    metrics.add(m);
                })
                .build().fit(spark.parallelize(data, 2));
        long returned = System.nanoTime();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), epochs);
        assertEquals(6 * run.stepsPerEpoch(), steps.size(), "every step heard");
        for (int e = 0; e < 6; e++) {
            double sum = 0;
            for (int k = 0; k < run.stepsPerEpoch(); k++) {
                double[] st = steps.get(e * run.stepsPerEpoch() + k);
                assertEquals(e, (int) st[0]);
                assertEquals(k, (int) st[1]);
                sum += st[2];
            }
            assertEquals(run.losses()[e], sum / run.stepsPerEpoch(), 1e-9, "the steps' losses average to the epoch's");
        }
        for (int e = 0; e < 6; e++) {
            assertEquals(run.losses()[e], metrics.get(e).get("loss"), 1e-12, "epoch " + e);
            assertEquals(run.validationLosses()[e], metrics.get(e).get("val_loss"), 1e-6, "epoch " + e);
            assertTrue(metrics.get(e).containsKey("val_accuracy") && metrics.get(e).containsKey("sync_seconds"));
        }
        double lastFive = 0;
        for (int e = 1; e < 6; e++) {
            lastFive += run.seconds()[e];
        }
        assertTrue(returned - firstHeard[0] > 0.5 * lastFive * 1e9, "heard epoch 0 while the other five were still"
                + " to run: " + (returned - firstHeard[0]) / 1e9 + " s before fit returned, epochs 1-5 took " + lastFive + " s");
    }

    /** A cosine schedule over the run, made on each task from the run's step count, as one process has it. */
    @Test
    void aScheduleOverTheWholeRunMatchesOneProcess() {
        List<Example> data = samples(2 * PER_TASK);
        Backend be = Backends.get("scalar");
        Sequential distributed = model(be);
        SparkTrainer.Run run = trainer(distributed, EPOCHS).schedule(total -> dendrite.nn.optim.Schedules.cosine(0, total, 0))
                .build().fit(spark.parallelize(data, 2));
        Sequential alone = model(be);
        double[] aloneLosses = trainInOneProcess(alone, data, true);
        double[] plain = trainInOneProcess(model(be), data, false);
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(aloneLosses[e], run.losses()[e], 1e-5 * Math.abs(aloneLosses[e]), "epoch " + e + "'s loss");
        }
        assertTrue(Math.abs(plain[EPOCHS - 1] - aloneLosses[EPOCHS - 1]) > 1e-3, "the schedule changes the run");
    }

    @Test
    void moreTasksThanTheClusterCanRunAtOnceAreRefusedSayingSo() {
        JavaRDD<Example> data = spark.parallelize(samples(64), 2);
        SparkTrainer trainer = SparkTrainer.builder(model(Backends.get("scalar")))
                .loss(Losses::softmaxCrossEntropy).optimizer(SparkTrainerTest::optimizer).tasks(3).backend("scalar")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(data));
        assertTrue(e.getMessage().contains("3 tasks") && e.getMessage().contains("2 task slots"), e.getMessage());
    }
}
