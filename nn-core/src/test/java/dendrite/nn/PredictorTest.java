package dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.graph.Blocks;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Layer;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Promise: a {@link Predictor} predicts exactly what its model predicted when it was made, bit for
 * bit, on every backend and for every batch size (one sample, fewer rows than a GEMM tile, a batch of
 * 64, more than one prediction batch), from any number of threads; the model's later training does
 * not reach it; and its prepared layers refuse to train.
 */
class PredictorTest {
    /** The MLP of the benchmarks (784-256-128-10), a small CNN with batch norm, and a transformer block (dense layers inside a graph). */
    private static List<Sequential> models(Backend be) {
        Sequential mlp = Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10).build(be, 5);
        Sequential cnn = Sequential.builder(1, 12, 12).conv2d(4, 3).batchNorm2d().relu().maxPool2d(2).flatten()
                .dense(33).relu().dense(10).build(be, 6);
        Sequential transformer = Sequential.builder(7, 16)
                .add(Blocks.transformerEncoder(16, 2, 40, 0.0, false, false, false)).flatten().dense(3).build(be, 7);
        return List.of(mlp, cnn, transformer);
    }

    /** n samples of the given size, standard normal, from seed (the fusion test draws its inputs here too). */
    static float[] samples(long seed, int n, int size) {
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(seed, i);
        }
        return x;
    }

    @OnEveryBackend
    void predictsTheModelsValuesBitForBit(String backend) {
        Backend be = EveryBackend.get(backend);
        for (Sequential model : models(be)) {
            Predictor predictor = model.predictor();
            int in = model.inputShape().size();
            for (int n : new int[] {1, 5, 64, 300}) {
                float[] x = samples(n, n, in);
                String what = backend + ", " + model.layers().size() + "-layer model, " + n + " samples";
                assertArrayEquals(model.predict(x, n), predictor.predict(x, n), what);
                assertArrayEquals(model.predictProba(x, n), predictor.predictProba(x, n), what);
                assertArrayEquals(model.predictClasses(x, n), predictor.predictClasses(x, n), what);
            }
            assertTrue(predictor.outputShape().equals(model.outputShape()) && predictor.inputShape().equals(model.inputShape()));
        }
    }

    @OnEveryBackend
    void theModelsLaterTrainingDoesNotReachThePredictor(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = Sequential.builder(20).dense(30).relu().dense(4).build(be, 9);
        float[] x = samples(3, 16, 20);
        float[] before = model.predict(x, 16);
        Predictor predictor = model.predictor();
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.05))
                .batchSize(16).build();
        float[] labels = new float[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        try (Tensor xt = be.tensor(x, 16, 20); Tensor yt = be.tensor(labels, 16)) {
            for (int step = 0; step < 5; step++) {
                trainer.step(xt, yt);
            }
        }
        assertFalse(java.util.Arrays.equals(before, model.predict(x, 16)), "training changed the model");
        assertArrayEquals(before, predictor.predict(x, 16), "the predictor kept the weights it was made with");
    }

    @OnEveryBackend
    void threadsPredictingAtOnceGetTheSerialValues(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential model = models(be).get(0);
        Predictor predictor = model.predictor();
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int rows = 1 + 21 * s;
            inputs.add(samples(40 + s, rows, 784));
            expected.add(model.predict(inputs.get(s), rows));
        }
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 12; round++) {
                        int s = (thread + round) % inputs.size();
                        assertArrayEquals(expected.get(s), predictor.predict(inputs.get(s), inputs.get(s).length / 784),
                                backend + ", thread " + thread + ", round " + round);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLayerPreparedForPredictionRefusesToTrain() {
        Backend be = EveryBackend.get("scalar");
        Dense dense = new Dense(3, 2);
        dense.build(be, Shape.of(3), 1);
        dense.prepareForPrediction();
        try (Tensor x = be.tensor(new float[] {1, 2, 3}, 1, 3)) {
            dense.forward(x, false);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dense.forward(x, true));
            assertTrue(e.getMessage().startsWith("dense: this layer was prepared for prediction only"), e.getMessage());
        }
    }

    @Test
    void aPredictorIsRefusedWhileAnotherThreadTrains() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential model = Sequential.builder(4).dense(2).build(be, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Sequential.TrainingLease lease = model.beginTraining()) {
            Future<?> attempt = pool.submit(model::predictor);
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> attempt.get(1, TimeUnit.MINUTES));
            assertTrue(e.getCause() instanceof IllegalStateException
                    && e.getCause().getMessage().startsWith("predictor: the model is being trained"), e.getCause().toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aModelThatCannotBeRebuiltSaysSo() {
        Backend be = EveryBackend.get("scalar");
        Layer unregistered = new Layer() {
            @Override
            public String type() {
                return "test_not_registered";
            }

            @Override
            public Shape outputShape(Shape inputShape) {
                return inputShape;
            }

            @Override
            public void build(Backend backend, Shape inputShape, long seed) {
            }

            @Override
            public Tensor forward(Tensor x, boolean training) {
                return x;
            }

            @Override
            public Tensor backward(Tensor dOut) {
                return dOut;
            }
        };
        Sequential model = Sequential.builder(4).add(unregistered).dense(2).build(be, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, model::predictor);
        assertTrue(e.getMessage().startsWith("predictor: the model cannot be rebuilt from its architecture"),
                e.getMessage());
    }
}
