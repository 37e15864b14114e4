package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.StatefulBatches;
import dendrite.nn.data.TimeSeries;
import dendrite.nn.layers.LSTM;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backend;
import dendrite.tensor.op.CounterRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Truncated backpropagation through time with the state carried between batches: a stateful LSTM
 * that reads chunks of 4 steps learns to report a regime announced 6 to 20 steps earlier, which no
 * chunk shows it, while the same LSTM without state cannot.
 */
class StatefulTrainingTest {
    private static final int STEPS = 4;
    private static final int ROWS = 16;

    /**
     * A regime of sign +1 or -1 holds for 6 to 20 steps; only its first step announces it (the input
     * 'pulse' is the sign there, 0 elsewhere). The target is the sign in force at each step.
     */
    private static TimeSeries regimes(long seed, int length) {
        float[] v = new float[2 * length];
        int t = 0;
        int segment = 0;
        while (t < length) {
            float sign = CounterRandom.uniform(seed, 2L * segment) < 0.5f ? -1f : 1f;
            int len = 6 + (int) (15 * CounterRandom.uniform(seed, 2L * segment + 1));
            for (int i = 0; i < len && t < length; i++, t++) {
                v[2 * t] = i == 0 ? sign : 0f;
                v[2 * t + 1] = sign;
            }
            segment++;
        }
        return TimeSeries.of("regimes", List.of("pulse", "sign"), v);
    }

    private static double testMse(boolean stateful) {
        Backend be = TestBackend.get();
        LSTM lstm = new LSTM(-1, 8, false);
        Sequential m = Sequential.builder(STEPS, 1).add(stateful ? lstm.stateful() : lstm).dense(1).build(be, 7);
        Dataset train = StatefulBatches.series(regimes(1, ROWS * 60 * STEPS), List.of("pulse"), "sign", STEPS, 0, ROWS);
        Dataset test = StatefulBatches.series(regimes(2, ROWS * 30 * STEPS), List.of("pulse"), "sign", STEPS, 0, ROWS);
        Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.02)).epochs(25).batchSize(ROWS).shuffle(false)
                .listener(new ResetRecurrentState()).build().fit(train);
        ResetRecurrentState.reset(m);
        return new Evaluator(m, Losses.mse(), ROWS).evaluate(test).loss();
    }

    /**
     * A chunk of 4 steps shows the announcement in about a quarter of the cases, so a stateless model's best
     * mean squared error is about 0.7 (it must answer 0 when it has not seen one); the stateful one carries the
     * regime over from the chunks before and gets far below.
     */
    @Test
    void aStatefulLstmLearnsADependencyLongerThanItsChunks() {
        long start = System.nanoTime();
        double stateful = testMse(true);
        double stateless = testMse(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(stateless > 0.5, "without state the regime is unknowable in most chunks: mse " + stateless);
        assertTrue(stateful < 0.15, "stateful mse " + stateful + " (stateless " + stateless + ")");
        System.out.printf("stateful LSTM test mse %.4f, stateless %.4f, both trained and tested in %.1f s%n", stateful,
                stateless, seconds);
    }

    /** The listener resets after an epoch's last batch (validation starts from zero) and at each epoch's end, not between. */
    @Test
    void theListenerResetsAfterTheLastBatchOfAnEpochOnly() {
        Backend be = TestBackend.get();
        Sequential m = Sequential.builder(STEPS, 1).add(new LSTM(-1, 3, false).stateful()).dense(1).build(be, 7);
        ResetRecurrentState listener = new ResetRecurrentState();
        Trainer trainer = Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).build();
        listener.onTrainBegin(trainer);
        m.forward(be.zeros(3, STEPS, 1), true);
        listener.onStepEnd(new StepEvent(0, 3, 5, 4, 0.1, 3, 0.01));
        assertThrows(IllegalArgumentException.class, () -> m.forward(be.zeros(2, STEPS, 1), true), "batch 4 of 5: carried");
        listener.onStepEnd(new StepEvent(0, 4, 5, 5, 0.1, 3, 0.01));
        assertDoesNotThrow(() -> m.forward(be.zeros(2, STEPS, 1), false), "after the last batch: reset");
        listener.onEpochEnd(null);
        assertDoesNotThrow(() -> m.forward(be.zeros(4, STEPS, 1), true), "after the epoch: reset");
    }

    @Test
    void shufflingAStatefulModelsBatchesIsRefused() {
        Backend be = TestBackend.get();
        Sequential m = Sequential.builder(STEPS, 1).add(new LSTM(-1, 3, false).stateful()).dense(1).build(be, 7);
        Dataset d = Dataset.regression("chunks", new float[4 * STEPS], new int[] {STEPS, 1}, new float[4], 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(1).build().fit(d));
        org.junit.jupiter.api.Assertions.assertEquals("fit: layer 0 (lstm) is stateful, so its batches must follow"
                + " each other: set shuffle(false), and cut the series with StatefulBatches", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m).loss(Losses.mse())
                .optimizer(new Adam(0.01)).epochs(1).shuffle(false).validationSplit(0.25).build().fit(d));
        assertDoesNotThrow(() -> Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(1)
                .batchSize(2).shuffle(false).listener(new ResetRecurrentState()).build().fit(d));
    }
}
