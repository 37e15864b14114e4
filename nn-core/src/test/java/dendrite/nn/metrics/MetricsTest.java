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

    /** Rows of 4 classes: the true class 1st, 2nd, 3rd (tied with another) and 4th by score. */
    @Test
    void topKAccuracyCountsTheClassAmongTheKHighestTiesInItsFavour() {
        int[] actual = {0, 1, 2, 3};
        float[] scores = {
            0.9f, 0.05f, 0.03f, 0.02f,
            0.6f, 0.3f, 0.05f, 0.05f,
            0.5f, 0.3f, 0.1f, 0.1f,        // class 2 ties class 3 for third place
            0.4f, 0.3f, 0.2f, 0.1f,
        };
        assertEquals(0.25, Metrics.topKAccuracy(actual, scores, 4, 1));
        assertEquals(0.5, Metrics.topKAccuracy(actual, scores, 4, 2));
        assertEquals(0.75, Metrics.topKAccuracy(actual, scores, 4, 3));
        assertEquals(1.0, Metrics.topKAccuracy(actual, scores, 4, 4));
        assertEquals(Metrics.accuracy(actual, Metrics.argmax(scores, 4)), Metrics.topKAccuracy(actual, scores, 4, 1));
        scores[1] = Float.NaN;                                          // row 0 no longer counts
        assertEquals(0.75, Metrics.topKAccuracy(actual, scores, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.topKAccuracy(actual, scores, 4, 5));
        assertTrue(e.getMessage().contains("top-k accuracy: k must be in [1, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKAccuracy(new int[] {4}, new float[4], 4, 1));
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKAccuracy(new int[3], new float[8], 4, 1));
    }

    /** scikit-learn's documented example, then the pairwise definition on random scores with ties. */
    @Test
    void rocAucIsTheChanceAPositiveOutscoresANegative() {
        assertEquals(0.75, Metrics.rocAuc(new int[] {0, 0, 1, 1}, new float[] {0.1f, 0.4f, 0.35f, 0.8f}), 1e-12);
        assertEquals(1.0, Metrics.rocAuc(new int[] {0, 1}, new float[] {-3f, 2f}));
        assertEquals(0.5, Metrics.rocAuc(new int[] {0, 1, 0, 1}, new float[] {1f, 1f, 1f, 1f}));
        java.util.Random r = new java.util.Random(6);
        int n = 301;
        int[] actual = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            actual[i] = r.nextInt(4) == 0 ? 1 : 0;
            scores[i] = r.nextInt(20) / 10f + actual[i] * 0.3f;       // coarse: many ties
        }
        double wins = 0;
        long pairs = 0;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                if (actual[p] == 1 && actual[q] == 0) {
                    wins += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        assertEquals(wins / pairs, Metrics.rocAuc(actual, scores), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.rocAuc(new int[] {1, 1}, new float[] {0.2f, 0.3f}));
        assertTrue(e.getMessage().contains("only class 1 occurs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new int[] {0, 2}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new int[] {0, 1}, new float[] {0, Float.NaN}));
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
