package dendrite.nn.io;

import dendrite.nn.internal.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    private static final Backend BE = Backends.get("scalar");

    @TempDir
    Path dir;

    static Sequential model(long seed) {
        return Sequential.builder(3).dense(8).batchNorm().relu().dense(2).build(BE, seed);
    }

    static Dataset data() {
        int n = 40;
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) Math.cos(i * 1.3 + j * 0.4);
            }
            y[i] = x[i * 3] + x[i * 3 + 2] > 0 ? 1 : 0;
        }
        return Dataset.classification("toy", x, new int[] {3}, y, 2, List.of("a", "b"));
    }

    static Trainer.Builder trainer(Sequential m, Optimizer opt, int epochs) {
        return Trainer.builder(m).loss(Losses.softmaxCrossEntropy()).optimizer(opt).epochs(epochs).batchSize(8).seed(5);
    }

    @Test
    void resumingFromACheckpointGivesBitIdenticalWeightsToAnUninterruptedRun() throws IOException {
        Sequential straight = model(1);
        trainer(straight, new Adam(0.01), 4).build().fit(data());

        Sequential first = model(1);
        trainer(first, new Adam(0.01), 2)
                .checkpointEvery(2, CheckpointFile.saver(dir.resolve("ckpt-{epoch}.safetensors"))).build().fit(data());
        Path ckpt = dir.resolve("ckpt-2.safetensors");
        assertTrue(Files.exists(ckpt));

        Sequential resumed = model(77);   // other initial weights: all must come from the file
        Adam adam = new Adam(0.01);
        CheckpointFile.Progress p = CheckpointFile.restore(ckpt, resumed, adam);
        assertEquals(2, p.epochsCompleted());
        assertEquals(10, p.step(), "2 epochs of 5 batches");
        assertEquals(10, adam.stepCount());
        List<?> history = (List<?>) Json.parse(p.extra().get(CheckpointFile.HISTORY_EXTRA));
        assertEquals(2, history.size(), "the saver keeps the history of both epochs");
        assertEquals(1L, ((Map<?, ?>) history.get(1)).get("epoch"));
        assertTrue(((Map<?, ?>) history.get(1)).get("loss") instanceof Double);
        trainer(resumed, adam, 4).initialEpoch(p.epochsCompleted()).build().fit(data());

        for (Map.Entry<String, Tensor> e : straight.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), resumed.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }

    @Test
    void aCheckpointHoldsOptimizerStateUnderPrefixedNamesAndLoadsAsAPlainModel() throws IOException {
        Sequential m = model(2);
        Adam adam = new Adam(0.01);
        trainer(m, adam, 1).build().fit(data());
        Path f = dir.resolve("c.safetensors");
        CheckpointFile.save(f, m, adam, 1, Map.of("note", "first"));

        SafeTensors.Contents c = SafeTensors.read(f);
        assertTrue(c.tensors().containsKey("optim.0.weight.exp_avg"), c.tensors().keySet().toString());
        assertTrue(c.tensors().containsKey("optim.0.weight.exp_avg_sq"), c.tensors().keySet().toString());
        assertArrayEquals(adam.state().get("3.bias.exp_avg").toArray(), c.tensor("optim.3.bias.exp_avg").values());

        float[] x = {0.1f, -0.2f, 0.3f};
        assertArrayEquals(m.predict(x, 1), ModelFile.load(f, BE).predict(x, 1));
        Sequential other = model(9);
        ModelFile.loadWeights(other, f);
        assertArrayEquals(m.predict(x, 1), other.predict(x, 1));
        assertEquals(Map.of("note", "first"), CheckpointFile.restore(f, model(3), new Adam(0.01)).extra());
    }

    /**
     * Negative counts: save refuses to write a checkpoint restore would refuse, and restore refuses
     * negative counts in a file's metadata naming the file and the key, changing nothing.
     */
    @Test
    void negativeEpochOrStepCountsAreRefused() throws IOException {
        Sequential m = model(2);
        Adam adam = new Adam(0.01);
        trainer(m, adam, 1).build().fit(data());
        Path bad = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.save(bad, m, adam, -1, Map.of()));
        assertEquals("checkpoint " + bad + ": epochs completed must be at least 0, got -1", e.getMessage());
        assertTrue(Files.notExists(bad));

        Path f = dir.resolve("c.safetensors");
        CheckpointFile.save(f, m, adam, 1, Map.of());
        SafeTensors.Contents c = SafeTensors.read(f);
        for (String key : List.of(CheckpointFile.EPOCHS_KEY, CheckpointFile.STEP_KEY)) {
            Map<String, String> meta = new java.util.HashMap<>(c.metadata());
            meta.put(key, "-3");
            SafeTensors.write(bad, c.tensors().values().stream().map(SafeTensors.Entry::of).toList(), meta);
            Adam fresh = new Adam(0.01);
            ModelFormatException r = assertThrows(ModelFormatException.class,
                    () -> CheckpointFile.restore(bad, model(4), fresh));
            assertTrue(r.getMessage().contains(bad.toString()) && r.getMessage().contains("\"" + key + "\" is \"-3\""),
                    r.getMessage());
            assertEquals(0, fresh.stepCount());
        }
    }

    @Test
    void restoringIntoAnotherOptimizerTypeIsRefusedAndChangesNothing() throws IOException {
        Sequential m = model(2);
        Adam adam = new Adam(0.01);
        trainer(m, adam, 1).build().fit(data());
        Path f = dir.resolve("c.safetensors");
        CheckpointFile.save(f, m, adam, 1, Map.of());

        Sequential target = model(4);
        float[] before = target.stateDict().get("0.weight").toArray();
        Sgd sgd = new Sgd(0.1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CheckpointFile.restore(f, target, sgd));
        assertTrue(e.getMessage().contains("optimizer \"adam\", not of the \"sgd\""), e.getMessage());
        assertArrayEquals(before, target.stateDict().get("0.weight").toArray());
        assertEquals(0, sgd.stepCount());
    }

    @Test
    void aPlainModelFileIsNotACheckpoint() throws IOException {
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(model(1), f);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> CheckpointFile.restore(f, model(1), new Adam(0.01)));
        assertTrue(e.getMessage().startsWith(f + ": not a checkpoint"), e.getMessage());
    }
}
