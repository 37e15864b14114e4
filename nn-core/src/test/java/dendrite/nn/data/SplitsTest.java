package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** n samples whose single feature is the sample's index, so parts can be traced back. */
    private static Dataset indexed(int n, int[] labels, int classes) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return Dataset.classification("idx", x, new int[] {1}, labels, classes, null);
    }

    private static Dataset imbalanced() {
        // 700 of class 0, 200 of class 1, 100 of class 2
        int[] labels = new int[1000];
        for (int i = 0; i < 1000; i++) {
            labels[i] = i < 700 ? 0 : i < 900 ? 1 : 2;
        }
        return indexed(1000, labels, 3);
    }

    @Test
    void randomSplitHasTheRoundedSizesAndCoversEverySampleOnce() {
        DataSplit s = Splits.random(imbalanced(), 0.15, 0.2, 1);
        assertEquals(200, s.test().size());
        assertEquals(150, s.validation().size());
        assertEquals(650, s.train().size());
        Set<Float> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {s.train(), s.validation(), s.test()}) {
            for (float v : part.features()) {
                assertTrue(seen.add(v), "sample " + v + " is in two parts");
            }
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void sameSeedSameSplit() {
        DataSplit a = Splits.random(imbalanced(), 0.1, 0.1, 42);
        DataSplit b = Splits.random(imbalanced(), 0.1, 0.1, 42);
        DataSplit c = Splits.random(imbalanced(), 0.1, 0.1, 43);
        assertArrayEquals(a.test().features(), b.test().features());
        assertFalse(java.util.Arrays.equals(a.test().features(), c.test().features()));
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        DataSplit s = Splits.stratified(imbalanced(), 0.1, 0.2, 7);
        assertArrayEquals(new int[] {140, 40, 20}, s.test().classCounts());
        assertArrayEquals(new int[] {70, 20, 10}, s.validation().classCounts());
        assertArrayEquals(new int[] {490, 140, 70}, s.train().classCounts());
    }

    @Test
    void stratifiedPartsAreNotGroupedByClass() {
        Dataset test = Splits.stratified(imbalanced(), 0, 0.5, 7).test();
        int changes = 0;
        for (int i = 1; i < test.size(); i++) {
            if (test.label(i) != test.label(i - 1)) {
                changes++;
            }
        }
        assertTrue(changes > 50, "only " + changes + " class changes: parts look sorted by class");
    }

    @Test
    void trainTestWithValidationStratifiesTheTrainingPart() {
        Dataset d = imbalanced();
        TrainTest tt = new TrainTest(d, d.head(10));
        DataSplit s = tt.withValidation(0.1, 3);
        assertArrayEquals(new int[] {70, 20, 10}, s.validation().classCounts());
        assertEquals(10, s.test().size());
    }

    @Test
    void impossibleFractionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Splits.random(imbalanced(), 0.5, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.random(imbalanced(), -0.1, 0.2, 1));
        Dataset regression = Dataset.regression("r", new float[4], new int[] {1}, new float[4], 1);
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(regression, 0.1, 0.1, 1));
    }
}
