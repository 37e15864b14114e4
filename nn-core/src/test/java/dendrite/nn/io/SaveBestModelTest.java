package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.EarlyStopping;
import dendrite.nn.train.Evaluator;
import dendrite.nn.train.History;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SaveBestModel}: after a run that overfits (its validation loss rises again), the file holds
 * the model of the epoch with the lowest validation loss, whose evaluation there is that epoch's; a
 * maximized metric keeps the highest; a metric the epochs do not have is an error naming those they do.
 */
class SaveBestModelTest {
    private static final Backend BE = Backends.get("scalar");

    @TempDir
    Path dir;

    /** Few noisy samples and a wide network: the validation loss falls, then rises as it memorizes. */
    private static Dataset noisy(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 5];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = (float) (r.nextGaussian() + (j == 0 ? 0.8 * labels[i] : 0));
            }
        }
        return Dataset.classification("noisy", x, new int[] {5}, labels, 2, List.of());
    }

    @Test
    void theFileHoldsTheEpochWithTheLowestValidationLoss() throws Exception {
        Dataset train = noisy(40, 1);
        Dataset val = noisy(200, 2);
        Path file = dir.resolve("best.safetensors");
        SaveBestModel saver = new SaveBestModel(file, "val_loss");
        Sequential model = Sequential.builder(5).dense(128).relu().dense(128).relu().dense(2).build(BE, 3);
        History h = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(30)
                .batchSize(8).validationData(val).listener(saver).build().fit(train);
        double[] valLoss = h.get("val_loss");
        int best = 0;
        for (int i = 1; i < valLoss.length; i++) {
            best = valLoss[i] < valLoss[best] ? i : best;
        }
        assertTrue(best < valLoss.length - 1, "the run should overfit, its best epoch before the last: " + best);
        assertEquals(best, saver.bestEpoch());
        assertEquals(valLoss[best], saver.bestValue());
        Sequential saved = ModelFile.load(file, BE);
        double reloaded = new Evaluator(saved, Losses.softmaxCrossEntropy()).evaluate(val).loss();
        assertEquals(valLoss[best], reloaded, 1e-6, "the file is epoch " + best + "'s model");
        assertFalse(Math.abs(valLoss[valLoss.length - 1] - reloaded) < 1e-6, "not the last epoch's");
    }

    @Test
    void aMaximizedMetricKeepsItsHighest() throws Exception {
        SaveBestModel saver = new SaveBestModel(dir.resolve("acc.safetensors"), "val_accuracy");
        Sequential model = Sequential.builder(5).dense(16).relu().dense(2).build(BE, 3);
        History h = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(8)
                .batchSize(8).validationData(noisy(100, 4)).listener(saver).build().fit(noisy(60, 5));
        double[] acc = h.get("val_accuracy");
        int best = 0;
        for (int i = 1; i < acc.length; i++) {
            best = acc[i] > acc[best] ? i : best;                // the first of equals, as the saver keeps it
        }
        assertEquals(best, saver.bestEpoch());
        assertTrue(Files.isRegularFile(dir.resolve("acc.safetensors")));
        assertTrue(EarlyStopping.monitor("val_roc_auc").maximizes());

        SaveBestModel ties = new SaveBestModel(dir.resolve("ties.safetensors"), "val_accuracy");
        ties.onTrainBegin(Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).build());
        double[] values = {Double.NaN, 0.5, 0.7, 0.7, Double.NaN, 0.6};
        for (int epoch = 0; epoch < values.length; epoch++) {
            ties.onEpochEnd(new dendrite.nn.train.EpochEvent(epoch, values.length,
                    java.util.Map.of("val_accuracy", values[epoch]), new History()));
            if (epoch == 0) {
                assertEquals(-1, ties.bestEpoch(), "a NaN is never saved as the best");
                assertFalse(Files.exists(dir.resolve("ties.safetensors")));
            }
        }
        assertEquals(2, ties.bestEpoch(), "an equal value later does not replace the file, nor does NaN");
        assertEquals(0.7, ties.bestValue());
    }

    @Test
    void aMetricTheEpochsDoNotHaveIsAnErrorNamingThoseTheyDo() {
        Sequential model = Sequential.builder(5).dense(2).build(BE, 3);
        Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(1)
                .listener(new SaveBestModel(dir.resolve("x.safetensors"), "val_loss")).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(noisy(20, 6)));
        assertTrue(e.getMessage().contains("no metric 'val_loss'") && e.getMessage().contains("[loss, accuracy, lr]")
                && e.getMessage().contains("validation data"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
    }
}
