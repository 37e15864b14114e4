package dendrite.nn.reliability;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.CsvReader;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.DatasetFormatException;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.NonFiniteLossException;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: bad numbers are caught where they start. NaN or infinity in data is refused when the
 * dataset is loaded or made, naming the row; a diverging run stops at its first non-finite loss
 * with the step and the first non-finite layer, instead of carrying on with NaN weights.
 * ({@code CsvReaderTest} covers each spelling of NaN and infinity the CSV reader refuses.)
 */
class BadNumbersTest {

    // ------------------------------------------------------------------ data

    @Test
    void aCsvFileWithANonFiniteFeatureIsRefusedNamingTheFileAndRow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("iris-like.csv");
        Files.writeString(file, "a,b,label\n1,2,0\n3,4,1\n5,NaN,0\n7,8,1\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new CsvReader().label("label").read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("data row 3") && e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void aCsvTargetThatOverflowsAFloatIsRefusedNamingTheRow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, "x,y\n1,2.5\n2,1e39\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new CsvReader().regressionTargets("y").read(file));
        assertTrue(e.getMessage().contains("data row 2") && e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void aDatasetMadeInCodeRefusesNonFiniteFeaturesAndTargetsNamingTheRow() {
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("made", new float[] {1, 2, 3, Float.POSITIVE_INFINITY}, new int[] {2},
                        new float[] {0, 1}, 1));
        assertTrue(features.getMessage().contains("row 1 ") && features.getMessage().contains("feature 1"),
                features.getMessage());
        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                () -> Dataset.regression("made", new float[] {1, 2, 3, 4}, new int[] {2},
                        new float[] {0, 1, 2, Float.NaN}, 2));
        assertTrue(targets.getMessage().contains("row 1 ") && targets.getMessage().contains("target 1"),
                targets.getMessage());
    }

    // ------------------------------------------------------------------ training

    /**
     * A learning rate of 1e3 blows the weights up within a few steps. The run must stop at the
     * first non-finite loss (every step before it reported a finite one), and say which step and
     * which layer first produced a non-finite value.
     */
    @OnEveryBackend
    void aDivergingRunStopsAtTheFirstNonFiniteLossNamingStepAndLayer(String backend) {
        Dataset data = Synthetic.twoMoons(64, 0.1, 2);
        Sequential model = Sequential.builder(2).dense(16).relu().dense(16).relu().dense(2)
                .build(EveryBackend.get(backend), 9);
        List<Double> heard = new ArrayList<>();
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(1e3))
                .epochs(50).batchSize(16).seed(1)
                .listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent s) {
                        heard.add(s.loss());
                    }
                }).build();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(data));
        assertEquals(heard.size() + 1, e.step(), "stopped at the first non-finite loss: " + e.getMessage());
        heard.forEach(l -> assertTrue(Double.isFinite(l), "a step before it reported loss " + l));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.layerIndex() >= 0, "names a layer: " + e.getMessage());
        assertTrue(e.getMessage().contains("layer " + e.layerIndex() + " ("), e.getMessage());
    }
}
