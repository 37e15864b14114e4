package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Runs where Debian's dataset-fashion-mnist is installed; skipped, with the reason, elsewhere. */
class FashionMnistTest {

    @Test
    void loadsTheInstalledDataset() throws IOException {
        assumeTrue(FashionMnist.isInstalled(),
                "Fashion-MNIST not installed in " + FashionMnist.DEBIAN_FOLDER + " (apt-get install dataset-fashion-mnist)");
        TrainTest tt = FashionMnist.load();
        assertEquals(60_000, tt.train().size());
        assertEquals(10_000, tt.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, tt.train().sampleShape(), "images keep their shape");
        assertEquals(FashionMnist.CLASS_NAMES, tt.train().classNames());
        // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
        int[] train = new int[10];
        int[] test = new int[10];
        java.util.Arrays.fill(train, 6000);
        java.util.Arrays.fill(test, 1000);
        assertArrayEquals(train, tt.train().classCounts());
        assertArrayEquals(test, tt.test().classCounts());
        float max = 0;
        for (float v : tt.test().features()) {
            max = Math.max(max, v);
            if (v < 0 || v > 1) {
                throw new AssertionError("pixel " + v + " outside [0, 1]");
            }
        }
        assertEquals(1f, max);
    }
}
