package dendrite.nn.train;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acceptance: networks learn, runs repeat bit for bit, and a bad run stops with a useful error. */
class TrainingTest {
    private final Backend be = TestBackend.get();

    private static Sequential xorModel(Backend be) {
        return Sequential.builder(2).dense(8).tanh().dense(1).build(be, 7);
    }

    private static Trainer xorTrainer(Sequential model) {
        return Trainer.builder(model)
                .loss(Losses.binaryCrossEntropyWithLogits())
                .optimizer(new Adam(0.05))
                .epochs(300).batchSize(4).seed(1)
                .build();
    }

    /** Acceptance: XOR, 4 of 4, from a fixed seed on every backend. */
    @OnEveryBackend
    void learnsXor(String backend) {
        Dataset xor = Synthetic.xor();
        Sequential model = xorModel(EveryBackend.get(backend));
        History h = xorTrainer(model).fit(xor);
        assertArrayEquals(new int[] {0, 1, 1, 0}, model.predictClasses(xor.features(), 4),
                backend + ": " + h.last());
        assertEquals(1.0, h.last().get("accuracy"));
    }

    /** Acceptance: a 3-class spiral reaches 95 % training accuracy on every backend. */
    @OnEveryBackend
    void threeClassSpiralReaches95PercentTrainingAccuracy(String backend) {
        Dataset spiral = Synthetic.spirals(100, 3, 0.2, 5);
        Sequential model = Sequential.builder(2).dense(64).relu().dense(64).relu().dense(3)
                .build(EveryBackend.get(backend), 11);
        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(0.02))
                .epochs(40).batchSize(32).seed(3)
                .build();
        trainer.fit(spiral);
        Evaluation e = trainer.evaluate(spiral);
        assertTrue(e.accuracy() >= 0.95, backend + ": training accuracy " + e.accuracy());
    }

    @Test
    void twoRunsWithTheSameSeedAreBitIdentical() {
        Dataset data = Synthetic.twoMoons(90, 0.1, 2);   // 90 = 2 full batches of 32 and one of 26
        float[][] weights = new float[2][];
        double[][] losses = new double[2][];
        for (int run = 0; run < 2; run++) {
            Sequential model = Sequential.builder(2).dense(16).relu().dropout(0.2).dense(2).build(be, 9);
            History h = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                    .epochs(5).batchSize(32).seed(4).validationSplit(0.2).build().fit(data);
            weights[run] = concat(model.stateDict());
            losses[run] = h.get("loss");
        }
        assertArrayEquals(weights[0], weights[1]);
        assertArrayEquals(losses[0], losses[1]);
    }

    @Test
    void validatingBetweenEpochsDoesNotChangeTraining() {
        Dataset data = Synthetic.twoMoons(90, 0.1, 2);
        Dataset val = Synthetic.twoMoons(50, 0.1, 3);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Sequential model = Sequential.builder(2).dense(16).batchNorm().relu().dropout(0.2).dense(2).build(be, 9);
            Trainer.Builder b = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                    .epochs(4).batchSize(32).seed(4);
            if (run == 1) {
                b.validationData(val);
            }
            b.build().fit(data);
            weights[run] = concat(model.stateDict());
        }
        assertArrayEquals(weights[0], weights[1]);
    }

    @Test
    void aDifferentSeedGivesDifferentWeights() {
        Sequential a = Sequential.builder(2).dense(4).build(be, 1);
        Sequential b = Sequential.builder(2).dense(4).build(be, 2);
        assertTrue(!java.util.Arrays.equals(concat(a.stateDict()), concat(b.stateDict())));
    }

    private static float[] concat(Map<String, Tensor> state) {
        List<Float> all = new ArrayList<>();
        for (Tensor t : state.values()) {
            for (float v : t.toArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void nonFiniteLossNamesTheStepAndLayer() {
        Dataset data = Synthetic.twoMoons(64, 0.1, 2);
        Sequential model = Sequential.builder(2).dense(16).relu().dense(2).build(be, 9);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy())
                .optimizer(new Sgd(1e30)).epochs(3).batchSize(16).build();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(data));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.step() > 1, e.getMessage());
        assertTrue(e.layerIndex() >= 0 && e.getMessage().contains("layer " + e.layerIndex()), e.getMessage());
    }

    @Test
    void nanInTheDataIsRefusedBeforeTrainingNamingTheRow() {
        float[] x = {0, 0, 1, Float.NaN, 1, 0, 1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification("bad", x, new int[] {2}, new int[] {0, 1, 1, 0}, 2, List.of()));
        assertTrue(e.getMessage().contains("row 1 ") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void listenersHearEveryStepAndEpoch() {
        List<StepEvent> steps = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        Sequential model = xorModel(be);
        Trainer.builder(model).loss(Losses.binaryCrossEntropyWithLogits()).optimizer(new Adam(0.01))
                .epochs(3).batchSize(3).listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent s) {
                        steps.add(s);
                    }

                    @Override
                    public void onEpochEnd(EpochEvent e) {
                        epochs.add(e.epoch());
                    }
                }).build().fit(Synthetic.xor());
        assertEquals(6, steps.size());                       // 2 batches (3 + 1) x 3 epochs
        assertEquals(1, steps.get(1).batchSize());
        assertEquals(6, steps.get(5).globalStep());
        assertEquals(List.of(0, 1, 2), epochs);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Dataset data = Synthetic.twoMoons(100, 0.3, 2);
        Sequential model = Sequential.builder(2).dense(32).relu().dense(2).build(be, 9);
        Map<Integer, float[]> weightsByEpoch = new LinkedHashMap<>();
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy())
                .optimizer(new Sgd(2.0))                       // far too high: validation loss bounces
                .epochs(40).batchSize(10).validationSplit(0.3)
                .earlyStopping(EarlyStopping.monitor("val_loss").patience(2))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochEvent e) {
                        weightsByEpoch.put(e.epoch(), concat(model.stateDict()));
                    }
                }).build();
        History h = trainer.fit(data);
        assertTrue(h.stoppedEarly(), h.toString());
        double[] val = h.get("val_loss");
        int best = 0;
        for (int i = 1; i < val.length; i++) {
            if (val[i] < val[best]) {
                best = i;
            }
        }
        assertEquals(best, h.bestEpoch());
        assertArrayEquals(weightsByEpoch.get(best), concat(model.stateDict()));
    }

    @Test
    void checkpointsEveryNEpochs() {
        List<Integer> saved = new ArrayList<>();
        Trainer.builder(xorModel(be)).loss(Losses.binaryCrossEntropyWithLogits()).optimizer(new Adam(0.01))
                .epochs(7).batchSize(4)
                .checkpointEvery(3, c -> {
                    assertTrue(c.optimizer().state().containsKey("0.weight.exp_avg"));
                    saved.add(c.epochsCompleted());
                })
                .build().fit(Synthetic.xor());
        assertEquals(List.of(3, 6), saved);
    }

    @Test
    void resumingFromACheckpointMatchesAnUninterruptedRun() {
        Dataset data = Synthetic.twoMoons(40, 0.1, 2);
        Sequential straight = Sequential.builder(2).dense(8).tanh().dense(2).build(be, 9);
        Adam opt = new Adam(0.01);
        Map<String, float[]> modelState = new LinkedHashMap<>();
        Map<String, float[]> optState = new LinkedHashMap<>();
        long[] steps = new long[1];
        Trainer.builder(straight).loss(Losses.softmaxCrossEntropy()).optimizer(opt).epochs(4).batchSize(8)
                .checkpointEvery(2, c -> {
                    if (c.epochsCompleted() == 2) {
                        c.model().stateDict().forEach((k, v) -> modelState.put(k, v.toArray()));
                        c.optimizer().state().forEach((k, v) -> optState.put(k, v.toArray()));
                        steps[0] = c.optimizer().stepCount();
                    }
                }).build().fit(data);

        Sequential resumed = Sequential.builder(2).dense(8).tanh().dense(2).build(be, 1234);
        resumed.loadStateDict(modelState);
        Adam opt2 = new Adam(0.01);
        opt2.initializeState(resumed.namedParameters());
        opt2.state().forEach((k, v) -> v.copyFrom(optState.get(k)));
        opt2.setStepCount(steps[0]);
        Trainer.builder(resumed).loss(Losses.softmaxCrossEntropy()).optimizer(opt2).epochs(4).batchSize(8)
                .initialEpoch(2).build().fit(data);
        assertArrayEquals(concat(straight.stateDict()), concat(resumed.stateDict()));
    }
}
