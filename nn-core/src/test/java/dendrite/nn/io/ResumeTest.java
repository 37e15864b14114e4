package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.Schedules;
import dendrite.nn.train.History;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted after a checkpoint and resumed from the file behaves as if it had never stopped:
 * the learning-rate schedule decides the same, and (on scalar) the weights come out bit for bit the same.
 */
class ResumeTest {
    private static final Backend BE = Backends.get("scalar");
    private static final int EPOCHS = 6;
    private static final double BASE_RATE = 0.02;

    @TempDir
    Path dir;

    /**
     * Reduce-on-plateau with a min-delta no epoch can beat: after the first epoch every epoch is a bad
     * one, so with patience 1 the rate halves at the end of epochs 2 and 4. A checkpoint after epoch 4
     * (index 3) then holds all three parts of its state: the scale (halved once), the best value, and one
     * bad epoch already counted.
     */
    private static Optimizer plateauAdam() {
        return new Adam(BASE_RATE).schedule(Schedules.reduceOnPlateau(0.5, 1, 100.0, 0.0));
    }

    private static Trainer.Builder trainer(Sequential m, Optimizer opt, int epochs) {
        return Trainer.builder(m).loss(Losses.softmaxCrossEntropy()).optimizer(opt).epochs(epochs).batchSize(8)
                .seed(5);
    }

    /** Trains {@code EPOCHS} straight, and again in two runs joined by a checkpoint file after {@code split}. */
    private Runs runs(LongFunction<Sequential> model, int split) throws IOException {
        Sequential straight = model.apply(1);
        History whole = trainer(straight, plateauAdam(), EPOCHS).build().fit(CheckpointFileTest.data());

        Sequential first = model.apply(1);
        trainer(first, plateauAdam(), split)
                .checkpointEvery(split, CheckpointFile.saver(dir.resolve("ckpt.safetensors"))).build()
                .fit(CheckpointFileTest.data());
        Sequential resumed = model.apply(77);    // other weights and dropout seed: everything must come from the file
        Optimizer opt = plateauAdam();
        CheckpointFile.Progress p = CheckpointFile.restore(dir.resolve("ckpt.safetensors"), resumed, opt);
        History rest = trainer(resumed, opt, EPOCHS).initialEpoch(p.epochsCompleted()).build()
                .fit(CheckpointFileTest.data());
        return new Runs(straight, whole, resumed, rest);
    }

    private record Runs(Sequential straight, History whole, Sequential resumed, History rest) {
    }

    @Test
    void aResumedReduceOnPlateauGivesTheLearningRatesOfAnUninterruptedRunEpochByEpoch() throws IOException {
        Runs r = runs(CheckpointFileTest::model, 4);
        double b = BASE_RATE;
        assertArrayEquals(new double[] {b, b, b, b / 2, b / 2, b / 4}, r.whole().get("lr"));
        assertArrayEquals(Arrays.copyOfRange(r.whole().get("lr"), 4, EPOCHS), r.rest().get("lr"));
        assertEquals(r.rest().epochs(), java.util.List.of(4, 5));
        assertSameWeights(r.straight(), r.resumed());
    }

    @Test
    void theScheduleStateIsInTheCheckpointsMetadata() throws IOException {
        Sequential m = CheckpointFileTest.model(1);
        Optimizer opt = plateauAdam();
        trainer(m, opt, 4).checkpointEvery(4, CheckpointFile.saver(dir.resolve("c.safetensors"))).build()
                .fit(CheckpointFileTest.data());
        Map<String, String> meta = SafeTensors.read(dir.resolve("c.safetensors")).metadata();
        assertEquals("0.5", meta.get("dendrite.schedule.scale"));
        assertEquals("1.0", meta.get("dendrite.schedule.bad_epochs"));
        assertEquals(opt.schedule().state().get("best"), Double.parseDouble(meta.get("dendrite.schedule.best")));
    }

    @Test
    void scheduleStateForAScheduleThatKeepsNoneIsRefusedAndChangesNothing() throws IOException {
        Sequential m = CheckpointFileTest.model(1);
        trainer(m, plateauAdam(), 2).checkpointEvery(2, CheckpointFile.saver(dir.resolve("c.safetensors"))).build()
                .fit(CheckpointFileTest.data());
        Sequential target = CheckpointFileTest.model(4);
        float[] before = target.stateDict().get("0.weight").toArray();
        Adam constant = new Adam(BASE_RATE);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.restore(dir.resolve("c.safetensors"), target, constant));
        assertTrue(e.getMessage().contains("does not fit the optimizer's schedule constant"), e.getMessage());
        assertArrayEquals(before, target.stateDict().get("0.weight").toArray());
    }

    private static Sequential withDropout(long seed) {
        return Sequential.builder(3).dense(8).batchNorm().relu().dropout(0.3).dense(2).build(BE, seed);
    }

    @Test
    void aResumedRunWithDropoutDrawsTheSameMasksAndEndsBitIdentical() throws IOException {
        Runs r = runs(ResumeTest::withDropout, 3);
        assertSameWeights(r.straight(), r.resumed());
        assertArrayEquals(Arrays.copyOfRange(r.whole().get("loss"), 3, EPOCHS), r.rest().get("loss"));
        assertEquals(r.straight().randomState(), r.resumed().randomState());
    }

    @Test
    void theDropoutSeedAndCounterAreInTheCheckpointsMetadata() throws IOException {
        Sequential m = withDropout(1);
        trainer(m, plateauAdam(), 2).checkpointEvery(2, CheckpointFile.saver(dir.resolve("c.safetensors"))).build()
                .fit(CheckpointFileTest.data());
        Map<String, String> meta = SafeTensors.read(dir.resolve("c.safetensors")).metadata();
        assertEquals("10", meta.get("dendrite.random.3.passes"), "2 epochs of 5 batches, one mask each");
        assertEquals(Long.toString(m.randomState().get("3.seed")), meta.get("dendrite.random.3.seed"));
    }

    @Test
    void randomStateForAModelWithoutDropoutIsRefusedAndChangesNothing() throws IOException {
        Sequential m = withDropout(1);
        trainer(m, plateauAdam(), 2).checkpointEvery(2, CheckpointFile.saver(dir.resolve("c.safetensors"))).build()
                .fit(CheckpointFileTest.data());
        // Same tensors (dropout has none), but no layer to take the dropout's random state.
        Sequential target = Sequential.builder(3).dense(8).batchNorm().relu().relu().dense(2).build(BE, 4);
        float[] before = target.stateDict().get("0.weight").toArray();
        Optimizer opt = plateauAdam();
        Map<String, Double> scheduleBefore = opt.schedule().state();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.restore(dir.resolve("c.safetensors"), target, opt));
        assertTrue(e.getMessage().contains("the random state in the checkpoint does not fit the model:"
                + " restoreRandomState: unexpected [3.passes, 3.seed]"), e.getMessage());
        assertArrayEquals(before, target.stateDict().get("0.weight").toArray());
        assertEquals(scheduleBefore, opt.schedule().state(), "the schedule restored first is rolled back");
    }

    static void assertSameWeights(Sequential expected, Sequential actual) {
        for (Map.Entry<String, Tensor> e : expected.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), actual.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }
}
