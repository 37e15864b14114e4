package dendrite.nn.reliability;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.io.ModelFile;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: shared models are safe to read. One trained model predicting from 8 threads at once
 * gives exactly the results of one thread, on every backend; training and prediction on one model
 * at the same time are refused with a clear error, as {@link Sequential}'s class comment documents.
 */
class SharedModelTest {
    /** Where the refused saves would have written: removed after each test. */
    @TempDir
    Path files;

    private static final int THREADS = 8;
    private static final int ROUNDS = 40;
    private static final int WARM_UP_CALLS = 1_500;

    private static Sequential trainedModel(Backend be) {
        Sequential model = Sequential.builder(2).dense(32).relu().dense(16).tanh().dense(3).build(be, 5);
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .epochs(3).batchSize(32).seed(2).build().fit(Synthetic.spirals(60, 3, 0.2, 4));
        return model;
    }

    /** Input sets of different sizes, one above the predict batch of 256, so threads' batches differ. */
    private static List<float[]> inputs() {
        int[] rows = {1, 7, 32, 33, 100, 257, 3, 64};
        List<float[]> sets = new ArrayList<>();
        for (int s = 0; s < rows.length; s++) {
            float[] x = new float[rows[s] * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = CounterRandom.normal(100 + s, i);
            }
            sets.add(x);
        }
        return sets;
    }

    /** What one prediction call returns, as values to compare exactly. */
    private record Answers(float[] outputs, float[] probabilities, int[] classes, float[] viaTensor) {
    }

    private static Answers predictAll(Sequential model, float[] x) {
        int n = x.length / 2;
        float[] viaTensor;
        try (Tensor input = model.backend().tensor(x, n, 2); Tensor out = model.predict(input)) {
            viaTensor = out.toArray();
        }
        return new Answers(model.predict(x, n), model.predictProba(x, n), model.predictClasses(x, n), viaTensor);
    }

    /**
     * Runs the kernels until the JIT has compiled them, before the reference is taken. The vector
     * backend's tanh (this model has a tanh layer) gives results up to 1 ulp apart before and after C2
     * compiles it (the Vector API's Java fallback against SVML; measured single-threaded: predictions
     * changed at about the 500th call of a 257-row batch, then stayed fixed), and this test is about
     * threads, not tiers. (exp no longer does: backend-vector's SameBitsTest.)
     */
    private static void warmUp(Sequential model, List<float[]> sets) {
        float[] largest = sets.get(5);
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            model.predictProba(largest, largest.length / 2);
        }
    }

    @OnEveryBackend
    void eightThreadsPredictingAtOnceGetExactlyWhatOneThreadGets(String backend) throws Exception {
        Sequential model = trainedModel(EveryBackend.get(backend));
        List<float[]> sets = inputs();
        warmUp(model, sets);
        List<Answers> expected = new ArrayList<>();
        for (float[] x : sets) {
            expected.add(predictAll(model, x));
        }

        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int compared = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        int s = (thread + round) % sets.size();     // each thread walks the sets from its own place
                        Answers got = predictAll(model, sets.get(s));
                        Answers want = expected.get(s);
                        String where = backend + ", thread " + thread + ", round " + round + ", set " + s;
                        assertArrayEquals(want.outputs(), got.outputs(), where + ": predict");
                        assertArrayEquals(want.probabilities(), got.probabilities(), where + ": predictProba");
                        assertArrayEquals(want.classes(), got.classes(), where + ": predictClasses");
                        assertArrayEquals(want.viaTensor(), got.viaTensor(), where + ": predict(Tensor)");
                        compared++;
                    }
                    return compared;
                }));
            }
            for (Future<Integer> f : done) {
                assertTrue(f.get(2, TimeUnit.MINUTES) == ROUNDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * While one thread trains the model, another thread's predict, evaluate, fit or save is refused with an
     * {@link IllegalStateException} that says the model is being trained; after fit returns, it works.
     */
    @OnEveryBackend
    void predictionWhileTrainingIsRefusedWithAClearError(String backend) throws Exception {
        Sequential model = trainedModel(EveryBackend.get(backend));
        Dataset data = Synthetic.spirals(30, 3, 0.2, 4);
        CountDownLatch training = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .epochs(1).batchSize(16).listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent s) {
                        training.countDown();
                        try {
                            mayFinish.await(1, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build();
        Thread trainerThread = new Thread(() -> trainer.fit(data), "the-trainer");
        trainerThread.start();
        try {
            assertTrue(training.await(1, TimeUnit.MINUTES), "training started");
            float[] x = {0.1f, 0.2f};
            Trainer other = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                    .epochs(1).build();
            try (Tensor input = model.backend().tensor(x, 1, 2)) {
                Path file = files.resolve("shared-model.safetensors");
                List<Executable> calls = List.of(() -> model.predict(x, 1), () -> model.predictProba(x, 1),
                        () -> model.predictClasses(x, 1), () -> model.predict(input).close(),
                        () -> other.evaluate(data), () -> other.fit(data),
                        // a save would write weights from no single step: refused like a prediction
                        () -> ModelFile.save(model, file),
                        () -> CheckpointFile.save(file, model, new Adam(0.01), 0, java.util.Map.of()));
                for (Executable call : calls) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, call);
                    assertTrue(e.getMessage().contains("being trained by thread the-trainer"), e.getMessage());
                }
            }
        } finally {
            mayFinish.countDown();
            trainerThread.join(60_000);
        }
        assertTrue(!trainerThread.isAlive(), "fit finished");
        assertTrue(model.predictClasses(new float[] {0.1f, 0.2f}, 1)[0] >= 0, "predict works once fit returns");
    }
}
