package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void embeddedDigitsHaveTheirPublishedShape() {
        Dataset d = Digits.load();
        assertEquals(1797, d.size());
        assertArrayEquals(new int[] {1, 8, 8}, d.sampleShape(), "images keep their shape: one channel of 8 x 8");
        assertEquals(10, d.numClasses());
        // per-class counts as scikit-learn's load_digits reports them (np.bincount(target))
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, d.classCounts());
    }

    @Test
    void pixelsAreScaledFrom0to16Into0to1() {
        Dataset d = Digits.load();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : d.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertEquals(0f, v * 16 - Math.round(v * 16), 1e-5f, "pixel counts are whole numbers");
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // the first image as scikit-learn shows it: 0, 0, 5, 13, 9, 1, 0, 0, ...; label 0
        assertArrayEquals(new float[] {0, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0},
                java.util.Arrays.copyOf(d.features(), 8));
        assertEquals(0, d.label(0));
        assertTrue(d.classNames().contains("9"));
    }
}
