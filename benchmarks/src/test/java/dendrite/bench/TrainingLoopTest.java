package dendrite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.data.Dataset;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    private final Dataset data = TrainingData.synthetic(2 * Mlp.BATCH, 7);

    @Test
    void stepsOnOneBatchDriveItsLossDown() {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        try (TrainingLoop loop = new TrainingLoop(Backends.get("scalar"), data, Workload.MLP)) {
            float first = loop.step(order, 0, Mlp.BATCH);
            float later = first;
            for (int s = 0; s < 20; s++) {
                later = loop.step(order, 0, Mlp.BATCH);
            }
            assertTrue(Float.isFinite(first) && later < first * 0.9f, "loss " + first + " -> " + later);
        }
    }

    @Test
    void anEpochVisitsEveryBatch() {
        try (TrainingLoop loop = new TrainingLoop(Backends.get("scalar"), data, Workload.MLP)) {
            assertEquals(2, loop.batches.batchCount());
            assertTrue(Double.isFinite(loop.epoch(0)));
        }
    }

    @Test
    void theCnnTrainsOnTheSameFlatDataSeenAsImages() {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        try (TrainingLoop loop = new TrainingLoop(Backends.get("scalar"), data, Workload.CNN)) {
            assertEquals(dendrite.tensor.Shape.of(1, 28, 28), loop.model.inputShape());
            float first = loop.step(order, 0, 8);
            float later = first;
            for (int s = 0; s < 5; s++) {
                later = loop.step(order, 0, 8);
            }
            assertTrue(Float.isFinite(first) && later < first, "loss " + first + " -> " + later);
        }
    }

    @Test
    void theScalarCheckAcceptsScalarItself() {
        Checks.trainingMatchesScalar(Backends.get("scalar"), data, Workload.MLP);
    }

    @Test
    void aBusyLoadRunsABurnerUntilItIsStopped() throws InterruptedException {
        Burner burner = MatmulBenchmark.startLoad("busy");
        assertTrue(burner.running());
        MatmulBenchmark.stopLoad(burner);
        assertTrue(!burner.running());
        assertEquals(null, MatmulBenchmark.startLoad("quiet"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatmulBenchmark.startLoad("noisy"));
        assertEquals("benchmark parameter load=noisy: expected quiet or busy", e.getMessage());
    }

    @Test
    void anUnknownModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.named("rnn"));
        assertEquals("benchmark parameter model=rnn: expected mlp or cnn", e.getMessage());
    }

    @Test
    void anUnavailableBackendIsReportedAsSkipped() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Skips.unlessUnavailable("nosuch", () -> Backends.get("nosuch")));
        assertTrue(e.getMessage().startsWith("backend nosuch unavailable, skipped: unknown backend"), e.getMessage());
    }
}
