package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LearningRateFinder}: the ramp's rates, the stop when the loss blows up, the model's state put
 * back bit for bit, a suggestion that trains, and the steepest-fall rule on a curve of known shape.
 */
class LearningRateFinderTest {
    private static final Backend BE = Backends.get("scalar");

    private static Dataset blobs() {
        Random r = new Random(2);
        int n = 600;
        float[] x = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() * 0.8 + (j == labels[i] ? 2 : 0));
            }
        }
        return Dataset.classification("blobs", x, new int[] {4}, labels, 3, List.of());
    }

    private static Sequential model() {
        return Sequential.builder(4).dense(32).relu().dense(3).build(BE, 7);
    }

    private static Sequential normalized() {
        return Sequential.builder(4).dense(32).batchNorm().relu().dense(3).build(BE, 7);
    }

    @Test
    void theRampGrowsExponentiallyAndStopsWhenTheLossBlowsUp() {
        LearningRateFinder.Result r = LearningRateFinder.builder(model(), Losses.softmaxCrossEntropy(),
                () -> new Sgd(0.1, 0.9, false)).range(1e-5, 1e4).build().find(blobs());
        double[] rates = r.learningRates();
        assertEquals(1e-5, rates[0], 1e-20);
        double ratio = Math.pow(1e4 / 1e-5, 1.0 / 99);
        for (int i = 1; i < rates.length; i++) {
            assertEquals(ratio, rates[i] / rates[i - 1], 1e-9, "step " + i);
        }
        assertTrue(r.diverged() && rates.length < 100, "SGD at rates up to 10^4 should blow up: " + rates.length
                + " steps, last rate " + rates[rates.length - 1]);
        assertEquals(rates.length, r.losses().length);
        double first = r.smoothedLosses()[0];
        double lowest = java.util.Arrays.stream(r.smoothedLosses()).min().orElseThrow();
        assertTrue(lowest < 0.7 * first, "the loss falls somewhere in the ramp: " + first + " -> " + lowest);
    }

    /** Finite losses that rise past the factor times their lowest (smoothed) also end the test. */
    @Test
    void aRisingLossStopsTheTestBeforeItTurnsInfinite() {
        LearningRateFinder.Result r = LearningRateFinder.builder(model(), Losses.softmaxCrossEntropy(),
                () -> new Sgd(0.1, 0.9, false)).range(1e-7, 30).stopAbove(2).build().find(blobs());
        double[] smoothed = r.smoothedLosses();
        double lowest = java.util.Arrays.stream(smoothed).min().orElseThrow();
        assertTrue(r.diverged() && smoothed.length < 100, smoothed.length + " steps");
        assertTrue(smoothed[smoothed.length - 1] > 2 * lowest, "the last point passed the limit");
        assertTrue(java.util.Arrays.stream(r.losses()).allMatch(Double::isFinite), "every loss finite");
        for (int i = 0; i < smoothed.length - 1; i++) {
            assertTrue(smoothed[i] <= 2 * java.util.Arrays.stream(smoothed, 0, i + 1).min().orElseThrow(), "step " + i);
        }
    }

    @Test
    void theSuggestedRateTrainsBetterThanTheRampsEnds() {
        Dataset data = blobs();
        LearningRateFinder.Result r = LearningRateFinder.builder(model(), Losses.softmaxCrossEntropy(),
                () -> new Sgd(0.1, 0.9, false)).build().find(data);
        double lr = r.suggestion();
        assertTrue(lr > 1e-4 && lr < 3, "suggested " + lr);
        double suggested = accuracyAfterTraining(data, lr);
        assertTrue(suggested > 0.9, "trained at the suggested " + lr + ": " + suggested);
        assertTrue(accuracyAfterTraining(data, 30 * lr) < suggested, "30 times the suggestion trains worse");
        assertTrue(accuracyAfterTraining(data, 1e-6) < 0.8, "the ramp's slow end barely learns");
    }

    private static double accuracyAfterTraining(Dataset data, double lr) {
        Sequential m = model();
        Trainer.builder(m).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(lr, 0.9, false)).epochs(3)
                .batchSize(32).build().fit(data);
        return new Evaluator(m, Losses.softmaxCrossEntropy()).evaluate(data).accuracy();
    }

    @Test
    void theModelsWeightsAndBuffersArePutBack() {
        Sequential m = normalized();
        Map<String, float[]> before = state(m);
        LearningRateFinder.builder(m, Losses.softmaxCrossEntropy(), () -> new Sgd(0.1)).steps(30).build().find(blobs());
        Map<String, float[]> after = state(m);
        assertEquals(before.keySet(), after.keySet());
        assertTrue(before.keySet().stream().anyMatch(k -> k.contains("running_mean")), before.keySet().toString());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k);
        }
    }

    private static Map<String, float[]> state(Sequential m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            out.put(e.getKey(), e.getValue().toArray());
        }
        return out;
    }

    /** A loss flat at 2, falling along a tanh centred on point 40, flat at 0.2: the fall is steepest at 40. */
    @Test
    void theSteepestFallIsWhereTheCurveDropsFastest() {
        int n = 80;
        double[] rates = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            rates[i] = 1e-6 * Math.pow(10, i / 10.0);
            loss[i] = 1.1 - 0.9 * Math.tanh((i - 40) / 6.0);
        }
        assertEquals(rates[40], LearningRateFinder.steepestFall(rates, loss), 1e-12);
        assertTrue(Double.isNaN(LearningRateFinder.steepestFall(java.util.Arrays.copyOf(rates, 12),
                java.util.Arrays.copyOf(loss, 12))), "too few points to say");
    }

    @Test
    void badSettingsAreRefused() {
        LearningRateFinder.Builder b = LearningRateFinder.builder(model(), Losses.softmaxCrossEntropy(), () -> new Sgd(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.range(1, 0.5));
        assertTrue(e.getMessage().contains("0 < min < max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.range(0, 1));
        assertThrows(IllegalArgumentException.class, () -> b.steps(1));
        assertThrows(IllegalArgumentException.class, () -> b.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.stopAbove(1));
    }
}
