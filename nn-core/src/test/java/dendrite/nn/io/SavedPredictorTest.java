package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Synthetic;
import dendrite.tensor.Backend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded model's predictor ({@link SavedModel#predictor()}) takes raw features as the saved model does
 * and gives its values bit for bit: scaled inputs, class names, a regression's target units; on every
 * backend (on the vector backend its dense weights are packed once, where the model packs them per call).
 */
class SavedPredictorTest {
    @TempDir
    Path dir;

    @OnEveryBackend
    void aClassifiersPredictorGivesTheSavedModelsValuesAndNames(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        // 75 samples of 40 features in units far from 0 and 1: the first layer's product (75 x 64 x 40)
        // takes the vector backend's packed path, where the predictor reads weights packed beforehand.
        int n = 75;
        int width = 40;
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] raw = new float[n * width];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < width; j++) {
                raw[i * width + j] = (float) (100 + 20 * labels[i] + 10 * random.nextDouble(-1, 1));
            }
        }
        List<String> names = List.of("ash", "birch", "cedar");
        Dataset data = Dataset.classification("trees", raw, new int[] {width}, labels, 3, names);
        Scaler scaler = Scaler.standardize(data);
        Sequential model = Sequential.builder(width).dense(64).relu().dense(3).build(be, 3);
        Path file = dir.resolve("classifier.safetensors");
        ModelFile.save(model, file, Preprocessing.of(scaler, names));

        SavedModel saved = ModelFile.loadSaved(file, be);
        SavedPredictor predictor = saved.predictor();
        assertBits(saved.predict(raw, n), predictor.predict(raw, n), "predict");
        assertBits(saved.predictProba(raw, n), predictor.predictProba(raw, n), "predictProba");
        assertArrayEquals(saved.predictClasses(raw, n), predictor.predictClasses(raw, n));
        List<String> predicted = predictor.predictClassNames(raw, n);
        assertEquals(saved.predictClassNames(raw, n), predicted);
        assertTrue(names.containsAll(predicted), "names from the file: " + predicted);
        // The features are scaled on the way in: the raw ones given to the network itself differ.
        assertTrue(!java.util.Arrays.equals(predictor.predictor().predict(raw, n), predictor.predict(raw, n)),
                "the predictor scales raw features as in training");
        assertEquals(0, predictor.predictClassNames(new float[0], 0).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[7], 2));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "says what is wrong");
    }

    @OnEveryBackend
    void aRegressionsPredictorGivesValuesInTheTargetsUnits(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Dataset data = Synthetic.serverLoad(60, 2.5, 5);
        Scaler inputs = Scaler.standardize(data);
        Scaler targets = Scaler.standardizeTargets(data);
        // tanh on purpose: the two paths compared here reach the activation from different call sites,
        // and when the vector backend's tanh was the Vector API's TANH (SVML once C2 had compiled a call
        // site, Math.tanh before), a full test run on a Zen 4 saw one value of 60 differ by one ulp.
        Sequential model = Sequential.builder(4).dense(40).tanh().dense(1).build(be, 2);
        Path file = dir.resolve("regression.safetensors");
        ModelFile.save(model, file, Preprocessing.forRegression(inputs, targets));

        SavedModel saved = ModelFile.loadSaved(file, be);
        float[] expected = targets.inverseTransform(model.predict(inputs.transform(data.features()), data.size()));
        assertBits(expected, saved.predictor().predict(data.features(), data.size()), "regression");
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    () -> what + ": value " + at + " differs from the saved model's");
        }
    }
}
