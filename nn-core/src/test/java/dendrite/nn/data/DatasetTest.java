package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to a dataset's factories are refused with a message naming the dataset and the value. */
class DatasetTest {
    private static void assertRefused(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void aClassificationSetNeedsAClassAndOneNamePerClass() {
        float[] x = {1, 2};
        assertRefused("dataset d: a classification set needs at least 1 class, got 0",
                () -> Dataset.classification("d", x, new int[] {1}, new int[] {0, 0}, 0, List.of()));
        assertRefused("dataset d: a classification set needs at least 1 class, got -2",
                () -> Dataset.classification("d", new float[0], new int[] {1}, new int[0], -2, null));
        assertRefused("dataset d: 3 class names [a, b, c] for 2 classes",
                () -> Dataset.classification("d", x, new int[] {1}, new int[] {0, 1}, 2, List.of("a", "b", "c")));
        assertRefused("dataset d: class name 1 is null",
                () -> Dataset.classification("d", x, new int[] {1}, new int[] {0, 1}, 2, Arrays.asList("a", null)));
        assertEquals(List.of(), Dataset.classification("d", x, new int[] {1}, new int[] {0, 1}, 2, null).classNames());
    }

    @Test
    void aRegressionSetNeedsATargetPerSample() {
        assertRefused("dataset r: targetSize must be at least 0, got -1",
                () -> Dataset.regression("r", new float[] {1, 2}, new int[] {1}, new float[0], -1));
        assertEquals(2, Dataset.regression("r", new float[] {1, 2}, new int[] {1}, new float[0], 0).size(),
                "features only, no targets");
    }

    /** A shape whose product overflows an int (65536 x 65536 wrapped to 0, 65536 x 32768 to a negative). */
    @Test
    void aSampleShapeOfMoreValuesThanAnArrayHoldsIsRefused() {
        assertRefused("dataset big: sample shape [65536, 65536] holds more values than an array can (at most 2147483639)",
                () -> Dataset.regression("big", new float[0], new int[] {65536, 65536}, new float[0], 1));
        assertRefused("dataset big: sample shape [65536, 32768] holds more values than an array can (at most 2147483639)",
                () -> Dataset.regression("big", new float[0], new int[] {65536, 32768}, new float[0], 1));
        Dataset one = Dataset.regression("wide", new float[1 << 20], new int[] {1 << 20}, new float[1], 1);
        assertRefused("dataset wide: 2048 samples of 1048576 values and 1 targets are more than an array can hold (at most"
                + " 2147483639 values)", () -> one.subset(new int[2048]));
    }

    /**
     * 4 x 5 x 5581 x 8681 x 49477 x 384773 = 2^64 + 4, which a long product wraps to 4: it must not
     * pass for a sample of 4 values.
     */
    @Test
    void aSampleShapeWhoseProductWrapsALongIsNotTakenForASmallOne() {
        Dataset d = Dataset.regression("d", new float[8], new int[] {4}, new float[2], 1);
        assertRefused("dataset d: sample shape [4, 5, 5581, 8681, 49477, 384773] holds more values than an array can"
                + " (at most 2147483639)", () -> d.withSampleShape(4, 5, 5581, 8681, 49477, 384773));
        assertEquals(2, d.withSampleShape(2, 2).size());
    }

    @Test
    void nullArgumentsAreRefusedNamingThem() {
        assertRefused("dataset d: features is null",
                () -> Dataset.regression("d", null, new int[] {1}, new float[0], 1));
        assertRefused("dataset d: sampleShape is null",
                () -> Dataset.regression("d", new float[0], null, new float[0], 1));
        assertRefused("dataset d: targets is null",
                () -> Dataset.regression("d", new float[0], new int[] {1}, null, 1));
        assertRefused("dataset d: labels is null",
                () -> Dataset.classification("d", new float[0], new int[] {1}, null, 2, null));
        assertRefused("dataset: name is null",
                () -> Dataset.regression(null, new float[0], new int[] {1}, new float[0], 1));
    }
}
