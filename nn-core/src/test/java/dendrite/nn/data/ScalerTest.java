package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalerTest {
    // Two features over three training samples: (1, 10), (2, 20), (3, 60).
    private static final Dataset TRAIN = Dataset.regression("train", new float[] {1, 10, 2, 20, 3, 60},
            new int[] {2}, new float[] {0, 0, 0}, 1);
    private static final Dataset TEST = Dataset.regression("test", new float[] {4, 0}, new int[] {2},
            new float[] {0}, 1);

    @Test
    void standardizationUsesTrainingStatisticsOnTest() {
        Scaler s = Scaler.standardize(TRAIN);
        // means 2 and 30; population std sqrt(2/3) and sqrt(1400/3) (scikit-learn's StandardScaler gives
        // [[2.44948974, -1.38873015]] for this test row).
        float[] t = s.transform(TEST).features();
        assertEquals(2.44948974f, t[0], 1e-6f);
        assertEquals(-1.38873015f, t[1], 1e-6f);
        float[] train = s.transform(TRAIN).features();
        assertEquals(0f, train[0] + train[2] + train[4], 1e-6f);
    }

    @Test
    void targetsAreStandardizedPerColumnAndComeBackExactlyEnough() {
        Dataset twoTargets = Dataset.regression("t", new float[] {0, 0, 0}, new int[] {1},
                new float[] {1, 100, 2, 300, 3, 500}, 2);
        Scaler s = Scaler.standardizeTargets(twoTargets);
        Dataset scaled = s.transformTargets(twoTargets);
        float c = (float) Math.sqrt(1.5);   // (x - mean) / population std for 1, 2, 3 and 100, 300, 500
        assertArrayEquals(new float[] {-c, -c, 0, 0, c, c}, scaled.targets(), 1e-6f);
        assertArrayEquals(twoTargets.features(), scaled.features());
        assertArrayEquals(twoTargets.targets(), s.inverseTransform(scaled.targets()), 1e-4f);
        assertEquals(Scaler.fromMap(s.toMap()).toMap(), s.toMap());
    }

    @Test
    void classIndicesAreNotScaledAsTargets() {
        Dataset classes = Dataset.classification("c", new float[] {0, 1}, new int[] {1}, new int[] {0, 1}, 2, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scaler.standardizeTargets(classes));
        assertEquals("standardize targets: dataset c is a classification set; its targets are class indices,"
                + " which are not scaled", e.getMessage());
    }

    @Test
    void minMaxMapsTheTrainingRangeToUnitInterval() {
        Scaler s = Scaler.minMax(TRAIN);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0.2f, 1, 1}, s.transform(TRAIN).features(), 1e-6f);
        // the test row lies outside the training range, and stays outside: no refit on test data
        assertArrayEquals(new float[] {1.5f, -0.2f}, s.transform(TEST).features(), 1e-6f);
    }

    @Test
    void constantFeatureKeepsScaleOne() {
        Dataset flat = Dataset.regression("flat", new float[] {5, 5, 5}, new int[] {1}, new float[3], 1);
        assertArrayEquals(new float[] {0, 0, 0}, Scaler.standardize(flat).transform(flat).features());
        assertArrayEquals(new float[] {0, 0, 0}, Scaler.minMax(flat).transform(flat).features());
    }

    @Test
    void savedAsPlainNumbersAndReadBackExactly() {
        Scaler s = Scaler.standardize(TRAIN);
        Map<String, String> m = s.toMap();
        assertEquals("standard", m.get("kind"));
        Scaler back = Scaler.fromMap(m);
        assertEquals(Scaler.Kind.STANDARD, back.kind());
        assertArrayEquals(s.offsets(), back.offsets());
        assertArrayEquals(s.scales(), back.scales());
        assertArrayEquals(s.transform(TEST).features(), back.transform(TEST).features());
    }

    @Test
    void wrongFeatureCountIsRefused() {
        Dataset three = Dataset.regression("three", new float[] {1, 2, 3}, new int[] {3}, new float[1], 1);
        assertThrows(IllegalArgumentException.class, () -> Scaler.minMax(TRAIN).transform(three));
        assertThrows(IllegalArgumentException.class, () -> Scaler.fromMap(Map.of("kind", "standard")));
    }

    /**
     * A blank entry is refused naming it: it gave a scaler of no features, whose transform divided by
     * zero; an empty value between commas, or after the last one, is named too (split dropped a trailing one).
     */
    @Test
    void blankOrEmptyValuesAreRefusedNamingTheEntry() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> Scaler.fromMap(Map.of("kind", "standard", "offset", " ", "scale", "")));
        assertEquals("scaler: 'offset' is blank", blank.getMessage());
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
                () -> Scaler.fromMap(Map.of("kind", "min-max", "offset", "1,2,", "scale", "1,1,")));
        assertEquals("scaler: offset value 2 '' is not a number", trailing.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Scaler.of(Scaler.Kind.STANDARD, new float[0], new float[0]));
        assertEquals("scaler: no features (offset and scale are empty)", none.getMessage());
        IllegalArgumentException nullMap = assertThrows(IllegalArgumentException.class, () -> Scaler.fromMap(null));
        assertEquals("scaler: the map is null", nullMap.getMessage());
    }
}
