package dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Losses;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data parallelism's headline property: N replicas, each stepping on B/N samples of a
 * global batch, end where one process stepping on the whole batch of B ends.
 */
class ReplicaTest {
    private static final int FEATURES = 12;
    private static final int CLASSES = 4;
    private static final int GLOBAL_BATCH = 24;
    private static final int STEPS = 30;

    private static Sequential model(Backend be) {
        return Sequential.builder(FEATURES).dense(32).relu().dense(16).tanh().dense(CLASSES).build(be, 11);
    }

    /**
     * SGD with momentum: its step is proportional to the gradient. Adam's is not (it divides by the
     * gradient's own scale), which let a doubled gradient pass as right with two equal shares.
     */
    private static dendrite.nn.optim.Optimizer optimizer() {
        return new dendrite.nn.optim.Sgd(0.05, 0.9, false);
    }

    /** Step s's global batch: features and class labels, the same for every caller. */
    private static float[][] batch(int step) {
        Random random = new Random(1000 + step);
        float[] x = new float[GLOBAL_BATCH * FEATURES];
        float[] y = new float[GLOBAL_BATCH];
        for (int i = 0; i < GLOBAL_BATCH; i++) {
            int c = random.nextInt(CLASSES);
            y[i] = c;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian() + (j % CLASSES == c ? 1.5f : 0f);
            }
        }
        return new float[][] {x, y};
    }

    /** One process, the whole batch each step: the reference. */
    private static Map<String, float[]> trainAlone(List<Double> losses) {
        Backend be = Backends.get("scalar");
        Sequential m = model(be);
        dendrite.nn.losses.Loss loss = Losses.softmaxCrossEntropy();
        dendrite.nn.optim.Optimizer adam = optimizer();
        for (int s = 0; s < STEPS; s++) {
            float[][] b = batch(s);
            try (Tensor x = be.tensor(b[0], GLOBAL_BATCH, FEATURES); Tensor y = be.tensor(b[1], GLOBAL_BATCH)) {
                losses.add((double) loss.forward(m.forward(x, true), y).item());
                m.backward(loss.backward());
                adam.step(m.namedParameters());
            }
        }
        return weights(m);
    }

    /** {@code ranks} replicas; rank r takes rows [start(r), start(r + 1)) of each global batch. */
    private static List<Map<String, float[]>> trainReplicated(int ranks, int[] starts, List<Double> losses)
            throws Exception {
        List<List<Double>> perRank = new ArrayList<>();
        List<Map<String, float[]>> out = Rings.run(ranks, Duration.ofSeconds(30), ring -> {
            Backend be = Backends.get("scalar");
            Replica replica = new Replica(model(be), Losses.softmaxCrossEntropy(), optimizer(), ring);
            List<Double> mine = new ArrayList<>();
            for (int s = 0; s < STEPS; s++) {
                float[][] b = batch(s);
                int from = starts[ring.rank()];
                int n = starts[ring.rank() + 1] - from;
                float[] xs = java.util.Arrays.copyOfRange(b[0], from * FEATURES, (from + n) * FEATURES);
                float[] ys = java.util.Arrays.copyOfRange(b[1], from, from + n);
                try (Tensor x = be.tensor(xs, n, FEATURES); Tensor y = be.tensor(ys, n)) {
                    mine.add(replica.step(x, y, GLOBAL_BATCH));
                }
            }
            synchronized (perRank) {
                if (ring.rank() == 0) {
                    losses.addAll(mine);
                }
                perRank.add(mine);
            }
            return weights(replica.model());
        });
        for (List<Double> l : perRank) {
            assertEquals(losses, l, "every rank reports the same global loss");
        }
        return out;
    }

    private static Map<String, float[]> weights(Sequential m) {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((name, p) -> w.put(name, p.value().toArray()));
        return w;
    }

    @Test
    void oneReplicaIsBitForBitTheSingleProcess() throws Exception {
        List<Double> alone = new ArrayList<>();
        Map<String, float[]> expected = trainAlone(alone);
        List<Double> replicated = new ArrayList<>();
        Map<String, float[]> got = trainReplicated(1, new int[] {0, GLOBAL_BATCH}, replicated).get(0);
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), got.get(name), name);
        }
        for (int s = 0; s < STEPS; s++) {
            assertEquals(alone.get(s), replicated.get(s), 1e-6 * Math.abs(alone.get(s)), "loss of step " + s);
        }
    }

    @Test
    void twoReplicasAtHalfTheBatchEqualOneProcessAtTheWholeBatch() throws Exception {
        assertReplicasMatchOneProcess(2, new int[] {0, 12, 24});
    }

    /** Three replicas holding 10, 9 and 5 samples of each batch: the weights n / B keep the mean right. */
    @Test
    void threeReplicasWithUnevenSharesEqualOneProcess() throws Exception {
        assertReplicasMatchOneProcess(3, new int[] {0, 10, 19, 24});
    }

    private static void assertReplicasMatchOneProcess(int ranks, int[] starts) throws Exception {
        List<Double> alone = new ArrayList<>();
        Map<String, float[]> expected = trainAlone(alone);
        List<Double> replicated = new ArrayList<>();
        List<Map<String, float[]>> got = trainReplicated(ranks, starts, replicated);
        for (int r = 1; r < ranks; r++) {
            for (String name : expected.keySet()) {
                assertArrayEquals(got.get(0).get(name), got.get(r).get(name), "replica " + r + " drifted in " + name);
            }
        }
        double worst = 0;
        for (String name : expected.keySet()) {
            float[] e = expected.get(name);
            float[] g = got.get(0).get(name);
            for (int i = 0; i < e.length; i++) {
                worst = Math.max(worst, Math.abs(e[i] - g[i]) / Math.max(1e-2, Math.abs(e[i])));
            }
        }
        // 30 Adam steps amplify float32 rounding (a sum in another order) a little; a wrong weight
        // or a missing replica's gradient gives differences of 1e-2 and more.
        System.out.println(ranks + " replicas: largest relative difference from one process " + worst);
        assertTrue(worst < 1e-4, "largest relative difference from one process: " + worst);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(alone.get(s), replicated.get(s), 1e-4 * Math.abs(alone.get(s)), "loss of step " + s);
        }
    }
}
