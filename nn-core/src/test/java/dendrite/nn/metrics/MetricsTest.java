package dendrite.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Regression metrics and accuracy against scikit-learn's documented examples (values from its docs). */
class MetricsTest {
    // sklearn.metrics docs: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
    private static final float[] ACTUAL = {3f, -0.5f, 2f, 7f};
    private static final float[] PREDICTED = {2.5f, 0f, 2f, 8f};

    @Test
    void meanSquaredErrorMatchesScikitLearnExample() {
        assertEquals(0.375, Metrics.meanSquaredError(ACTUAL, PREDICTED), 1e-12);
    }

    @Test
    void meanAbsoluteErrorMatchesScikitLearnExample() {
        assertEquals(0.5, Metrics.meanAbsoluteError(ACTUAL, PREDICTED), 1e-12);
    }

    @Test
    void r2MatchesScikitLearnExample() {
        assertEquals(0.948608137, Metrics.r2(ACTUAL, PREDICTED), 1e-8);
    }

    @Test
    void r2OfSeveralOutputsIsTheMeanOfEach() {
        // sklearn r2_score docs: multi-output with uniform_average gives 0.936...
        float[] actual = {0.5f, 1, -1, 1, 7, -6};
        float[] predicted = {0, 2, -1, 2, 8, -5};
        assertEquals(0.9368005266, Metrics.r2(actual, predicted, 2), 1e-8);
    }

    @Test
    void r2OfConstantTargetsFollowsScikitLearn() {
        float[] constant = {2, 2, 2};
        assertEquals(1.0, Metrics.r2(constant, constant));
        assertEquals(0.0, Metrics.r2(constant, new float[] {2, 2, 3}));
    }

    @Test
    void r2OfPredictingTheMeanIsZeroAndWorseIsNegative() {
        float[] actual = {1, 2, 3};
        assertEquals(0.0, Metrics.r2(actual, new float[] {2, 2, 2}), 1e-12);
        assertTrue(Metrics.r2(actual, new float[] {3, 2, 1}) < 0);
    }

    @Test
    void accuracyCountsMatches() {
        assertEquals(0.5, Metrics.accuracy(new int[] {0, 1, 2, 3}, new int[] {0, 2, 1, 3}));
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        float[] scores = {0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f};
        assertArrayEquals(new int[] {1, 0}, Metrics.argmax(scores, 3));
    }

    @Test
    void mismatchedLengthsAreRefusedNamingTheMetric() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.meanSquaredError(new float[3], new float[2]));
        assertTrue(e.getMessage().contains("mean squared error") && e.getMessage().contains("3")
                && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[0], new int[0]));
    }
}
