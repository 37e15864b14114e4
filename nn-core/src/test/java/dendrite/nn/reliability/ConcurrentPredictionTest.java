package dendrite.nn.reliability;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: concurrent predictions on one model run in parallel, each on its own copy of the layers'
 * buffers sharing the weights, and give exactly what one thread gets, for every kind of layer that
 * holds weights; training waits for the predictions in progress.
 */
class ConcurrentPredictionTest {
    /** A layer that passes its input through once {@link #GATE} lets it: proof that two calls are inside at once. */
    static final class Rendezvous implements Layer {
        static volatile CyclicBarrier gate;
        static volatile CountDownLatch inside = new CountDownLatch(0);
        static volatile CountDownLatch release = new CountDownLatch(0);
        /** Set once a forward pass has been let through: read by the training thread. */
        static final AtomicBoolean PASSED = new AtomicBoolean();

        @Override
        public String type() {
            return "test_rendezvous";
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
            try {
                CyclicBarrier g = gate;
                if (g != null) {
                    g.await(20, TimeUnit.SECONDS);
                }
                inside.countDown();
                release.await(1, TimeUnit.MINUTES);
                PASSED.set(true);
            } catch (Exception e) {
                throw new IllegalStateException("rendezvous: " + e, e);
            }
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }
    }

    static {
        LayerRegistry.register("test_rendezvous", config -> new Rendezvous());
    }

    /**
     * Two predictions meet inside the model: each waits at a barrier for the other. With predictions
     * one at a time (the monitor the code before this promise held), the first waits alone and the
     * barrier times out.
     */
    @Test
    void twoPredictionsAreInsideTheModelAtOnce() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential model = Sequential.builder(4).dense(8).relu().add(new Rendezvous()).dense(2).build(be, 1);
        Rendezvous.gate = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            float[] x = {1, 2, 3, 4};
            Future<float[]> a = pool.submit(() -> model.predict(x, 1));
            Future<float[]> b = pool.submit(() -> model.predict(x, 1));
            assertArrayEquals(a.get(1, TimeUnit.MINUTES), b.get(1, TimeUnit.MINUTES));
        } finally {
            Rendezvous.gate = null;
            pool.shutdownNow();
        }
    }

    /** fit on one thread begins only after a prediction in progress on another has finished. */
    @Test
    void trainingWaitsForThePredictionInProgress() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential model = Sequential.builder(4).dense(8).relu().add(new Rendezvous()).dense(2).build(be, 1);
        Rendezvous.inside = new CountDownLatch(1);
        Rendezvous.release = new CountDownLatch(1);
        Rendezvous.PASSED.set(false);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> prediction = pool.submit(() -> model.predict(new float[] {1, 2, 3, 4}, 1));
            assertTrue(Rendezvous.inside.await(1, TimeUnit.MINUTES), "the prediction is inside the model");
            Rendezvous.inside = new CountDownLatch(0);
            Future<Boolean> training = pool.submit(() -> {
                try (Sequential.TrainingLease lease = model.beginTraining()) {
                    return !Rendezvous.PASSED.get();         // true: training began mid-prediction
                }
            });
            Thread.sleep(200);
            assertFalse(training.isDone(), "training began while a prediction was in progress");
            Rendezvous.release.countDown();
            prediction.get(1, TimeUnit.MINUTES);
            assertFalse(training.get(1, TimeUnit.MINUTES), "training began while a prediction was in progress");
        } finally {
            Rendezvous.release.countDown();
            Rendezvous.release = new CountDownLatch(0);
            pool.shutdownNow();
        }
    }

    /**
     * Every layer kind with weights or buffers (Dense, BatchNorm1d, Conv2d, BatchNorm2d,
     * ConvTranspose2d) and the parameterless ones around them, trained a little so the running
     * statistics are not their initial values: four threads at once get exactly the serial outputs.
     */
    @OnEveryBackend
    void copiesOfEveryLayerKindPredictExactlyAsTheModelDoes(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential mlp = Sequential.builder(6).dense(16).batchNorm().relu().dropout(0.2).dense(3).build(be, 3);
        Sequential cnn = Sequential.builder(2, 8, 8)
                .conv2d(4, 3).batchNorm2d().relu().maxPool2d(2)
                .convTranspose2d(3, 2, 2).dropout2d(0.1).avgPool2d(2).globalAvgPool2d()
                .flatten().dense(5).build(be, 4);
        trainBriefly(be, mlp, 6);
        trainBriefly(be, cnn, 2 * 8 * 8);
        for (Sequential model : List.of(mlp, cnn)) {
            int in = model.inputShape().size();
            List<float[]> inputs = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int rows = 1 + 9 * s;
                float[] x = new float[rows * in];
                for (int i = 0; i < x.length; i++) {
                    x[i] = CounterRandom.normal(40 + s, i);
                }
                inputs.add(x);
                expected.add(model.predictProba(x, rows));
            }
            CyclicBarrier start = new CyclicBarrier(4);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int round = 0; round < 30; round++) {
                            int s = (thread + round) % inputs.size();
                            float[] got = model.predictProba(inputs.get(s), inputs.get(s).length / in);
                            assertArrayEquals(expected.get(s), got, backend + " " + model.layers().size()
                                    + "-layer model, thread " + thread + ", round " + round);
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
    }

    private static void trainBriefly(Backend be, Sequential model, int features) {
        int n = 32;
        float[] x = new float[n * features];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(7, i);
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % model.outputShape().size();
        }
        int[] dims = new int[model.inputShape().rank() + 1];
        dims[0] = n;
        System.arraycopy(model.inputShape().dims(), 0, dims, 1, model.inputShape().rank());
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .batchSize(n).build();
        try (Tensor xt = be.tensor(x, dims); Tensor yt = be.tensor(y, n)) {
            for (int step = 0; step < 3; step++) {
                trainer.step(xt, yt);
            }
        }
    }
}
