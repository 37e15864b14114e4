package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Trainer#step} is the step {@code fit} takes: same losses, same weights, bit for bit on scalar. */
class TrainerStepTest {
    private static final int BATCH = 8;
    private final Backend be = TestBackend.get();
    private final Dataset data = Synthetic.twoMoons(42, 0.2, 3);   // 5 batches of 8 and one of 2

    /** Dropout (its mask counter), batch norm (running statistics) and clipping all take part in a step. */
    private Sequential model() {
        return Sequential.builder(2).dense(16).batchNorm().relu().dropout(0.3).dense(2).build(be, 11);
    }

    private Trainer.Builder trainer(Sequential model) {
        return Trainer.builder(model).loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(0.05).clipGradNorm(0.5)).epochs(1).batchSize(BATCH).shuffle(false);
    }

    @Test
    void steppingThroughTheBatchesGivesBitIdenticalWeightsToOneEpochOfFit() {
        Sequential fitted = model();
        List<Double> fitLosses = new ArrayList<>();
        trainer(fitted).listener(new TrainingListener() {
            @Override
            public void onStepEnd(StepEvent s) {
                fitLosses.add(s.loss());
            }
        }).build().fit(data);

        Sequential stepped = model();
        Trainer trainer = trainer(stepped).build();
        List<Double> stepLosses = new ArrayList<>();
        try (Tensor x = be.tensor(data.features(), data.size(), 2); Tensor y = be.tensor(data.targets(), data.size())) {
            for (int from = 0; from < data.size(); from += BATCH) {
                int to = Math.min(data.size(), from + BATCH);
                stepLosses.add((double) trainer.step(x.rows(from, to), y.rows(from, to)));
            }
        }
        assertEquals(6, stepLosses.size());
        assertEquals(fitLosses, stepLosses);
        assertEquals(6, trainer.optimizer().stepCount());
        for (Map.Entry<String, Tensor> e : fitted.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), stepped.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void aStepReturnsTheLossBeforeTheUpdateAndLowersItOnTheSameBatch() {
        Sequential model = Sequential.builder(2).dense(8).tanh().dense(2).build(be, 2);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(0.5)).build();
        try (Tensor x = be.tensor(data.features(), data.size(), 2); Tensor y = be.tensor(data.targets(), data.size())) {
            double before = new Evaluator(model, Losses.softmaxCrossEntropy(), data.size()).evaluate(data).loss();
            float first = trainer.step(x, y);
            assertEquals(before, first, 1e-6, "the loss of the weights before the update");
            float second = trainer.step(x, y);
            assertTrue(second < first, first + " then " + second);
        }
    }

    @Test
    void aNonFiniteLossStopsTheStepBeforeTheWeightsChange() {
        Sequential model = Sequential.builder(2).dense(4).dense(2).build(be, 2);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(0.1)).build();
        float[] before = model.stateDict().get("0.weight").toArray();
        float[] bad = data.features().clone();
        bad[0] = Float.NaN;
        try (Tensor x = be.tensor(bad, data.size(), 2); Tensor y = be.tensor(data.targets(), data.size())) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.step(x, y));
            assertTrue(e.getMessage().startsWith("step 1 (epoch 0): loss is NaN; the input batch"), e.getMessage());
            assertFalse(e.getMessage().contains("batch -1"), e.getMessage());
        }
        assertArrayEquals(before, model.stateDict().get("0.weight").toArray());
        assertEquals(0, trainer.optimizer().stepCount());
    }

    @Test
    void withoutShufflingEveryEpochVisitsTheRowsInOrder() {
        List<Double> losses = new ArrayList<>();
        for (boolean shuffle : new boolean[] {false, true}) {
            Sequential model = Sequential.builder(2).dense(4).dense(2).build(be, 2);
            Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(1e-9)).epochs(1)
                    .batchSize(BATCH).shuffle(shuffle).listener(new TrainingListener() {
                        @Override
                        public void onStepEnd(StepEvent s) {
                            if (s.batch() == 0) {
                                losses.add(s.loss());
                            }
                        }
                    }).build().fit(data);
        }
        // With a negligible rate the first batch's loss depends only on which rows it holds: rows 0..7 in order.
        Sequential model = Sequential.builder(2).dense(4).dense(2).build(be, 2);
        double firstRows = new Evaluator(model, Losses.softmaxCrossEntropy(), BATCH).evaluate(data.head(BATCH)).loss();
        assertEquals(firstRows, losses.get(0), 1e-6);
        assertTrue(Math.abs(firstRows - losses.get(1)) > 1e-6, "a shuffled first batch holds other rows");
    }
}
