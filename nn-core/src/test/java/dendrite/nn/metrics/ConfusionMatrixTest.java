package dendrite.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are scikit-learn's documented examples for confusion_matrix and precision_recall_fscore_support. */
class ConfusionMatrixTest {

    @Test
    void countsMatchScikitLearnExample() {
        // confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {2, 0, 2, 2, 0, 1}, new int[] {0, 0, 2, 2, 0, 2}, 3);
        assertArrayEquals(new int[] {2, 0, 0}, cm.toArray()[0]);
        assertArrayEquals(new int[] {0, 0, 1}, cm.toArray()[1]);
        assertArrayEquals(new int[] {1, 0, 2}, cm.toArray()[2]);
        assertEquals(6, cm.total());
        assertEquals(4.0 / 6, cm.accuracy(), 1e-12);
    }

    @Test
    void perClassAndMacroScoresMatchScikitLearnExample() {
        // precision_recall_fscore_support([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1])
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 2, 1, 0, 0, 1}, 3);
        assertEquals(2.0 / 3, cm.precision(0), 1e-12);
        assertEquals(1.0, cm.recall(0), 1e-12);
        assertEquals(0.8, cm.f1(0), 1e-12);
        for (int c = 1; c < 3; c++) {
            assertEquals(0, cm.precision(c));
            assertEquals(0, cm.recall(c));
            assertEquals(0, cm.f1(c));
            assertEquals(2, cm.support(c));
        }
        assertEquals(0.22222222, cm.macroPrecision(), 1e-8);
        assertEquals(0.33333333, cm.macroRecall(), 1e-8);
        assertEquals(0.26666667, cm.macroF1(), 1e-8);
    }

    @Test
    void classNeverPredictedHasPrecisionZeroNotNaN() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        assertEquals(0.0, cm.precision(1));
        assertEquals(0.5, cm.precision(0), 1e-12);
    }

    @Test
    void tableShowsNamesAndCounts() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 1, 1}, new int[] {0, 1, 1, 1, 1}, 2,
                List.of("cat", "dog"));
        String expected = """
                actual \\ predicted  0  1
                0 cat               1  1
                1 dog               0  3
                """;
        assertEquals(expected, cm.toString());
    }

    @Test
    void labelOutsideTheClassesIsRefusedNamingTheSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().contains("actual label 3 of sample 1"), e.getMessage());
    }
}
