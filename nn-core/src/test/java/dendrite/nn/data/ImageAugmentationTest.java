package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The moves augmentation draws: in range, evenly spread, reproducible, and drawn without allocating. */
class ImageAugmentationTest {
    private final ImageAugmentation cropAndFlip = ImageAugmentation.none().randomCrop(2).horizontalFlip();

    @Test
    void theTextFormReadsBackAndBadItemsAreNamed() {
        for (String text : new String[] {"none", "flip", "crop 3", "crop 2, flip"}) {
            assertEquals(text, ImageAugmentation.parse(text).toString());
        }
        assertEquals(cropAndFlip, ImageAugmentation.parse(" Flip ,crop  2 "));
        assertTrue(ImageAugmentation.parse("").isNone());
        assertTrue(ImageAugmentation.parse("crop 0").isNone());
        assertEquals("augmentation: 'rotate 10' is not one of: crop P, flip, none (e.g. 'crop 2, flip')",
                assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop 2, rotate 10")).getMessage());
        assertEquals("augmentation: 'crop' needs the padding in pixels, e.g. 'crop 2'",
                assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop")).getMessage());
        assertEquals("augmentation: 'crop two': 'two' is not a whole number of pixels",
                assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop two")).getMessage());
        assertEquals("augmentation: crop padding must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("crop -1")).getMessage());
    }

    @Test
    void imagesOnlyAndNoPaddingLargerThanTheImage() {
        cropAndFlip.checkFits(new int[] {1, 28, 28});
        ImageAugmentation.none().checkFits(new int[] {784});
        String flat = assertThrows(IllegalArgumentException.class, () -> cropAndFlip.checkFits(new int[] {784}))
                .getMessage();
        assertTrue(flat.startsWith("augmentation (crop 2, flip): moves images [channels, height, width], but the model"
                + " takes samples of [784]"), flat);
        String big = assertThrows(IllegalArgumentException.class,
                () -> ImageAugmentation.none().randomCrop(5).checkFits(new int[] {3, 4, 8})).getMessage();
        assertEquals("augmentation (crop 5): crop padding 5 exceeds the 4x8 image", big);
    }

    @Test
    void shiftsCoverThePaddingEvenlyAndHalfTheImagesFlip() {
        int batches = 400, count = 50;
        int[] moves = new int[3 * count];
        long[] rowShifts = new long[5], colShifts = new long[5];
        long flips = 0;
        for (int b = 0; b < batches; b++) {
            cropAndFlip.draw(7, 3, b, count, moves);
            for (int i = 0; i < count; i++) {
                rowShifts[moves[3 * i] + 2]++;
                colShifts[moves[3 * i + 1] + 2]++;
                flips += moves[3 * i + 2];
                assertTrue(moves[3 * i + 2] == 0 || moves[3 * i + 2] == 1);
            }
        }
        double n = batches * count;   // 20,000 draws: each of 5 shifts about 4,000 (sd about 57)
        for (int s = 0; s < 5; s++) {
            assertEquals(n / 5, rowShifts[s], 300, "row shift " + (s - 2) + ": " + Arrays.toString(rowShifts));
            assertEquals(n / 5, colShifts[s], 300, "column shift " + (s - 2) + ": " + Arrays.toString(colShifts));
        }
        assertEquals(n / 2, flips, 400);
    }

    @Test
    void theMovesDependOnSeedEpochAndBatchOnly() {
        int[] a = new int[30], b = new int[30];
        cropAndFlip.draw(1, 2, 3, 10, a);
        cropAndFlip.draw(1, 2, 3, 10, b);
        assertArrayEquals(a, b);
        cropAndFlip.draw(1, 2, 4, 10, b);
        assertFalse(Arrays.equals(a, b), "another batch");
        cropAndFlip.draw(1, 3, 3, 10, b);
        assertFalse(Arrays.equals(a, b), "another epoch");
        cropAndFlip.draw(2, 2, 3, 10, b);
        assertFalse(Arrays.equals(a, b), "another seed");
        int[] fewer = new int[9];
        cropAndFlip.draw(1, 2, 3, 3, fewer);
        assertArrayEquals(Arrays.copyOf(a, 9), fewer, "the first images of a smaller batch move alike");
    }

    @Test
    void onlyWhatIsAskedForMoves() {
        int[] moves = new int[60];
        ImageAugmentation.none().horizontalFlip().draw(5, 0, 0, 20, moves);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, moves[3 * i]);
            assertEquals(0, moves[3 * i + 1]);
        }
        ImageAugmentation.none().randomCrop(1).draw(5, 0, 0, 20, moves);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, moves[3 * i + 2]);
            assertTrue(Math.abs(moves[3 * i]) <= 1 && Math.abs(moves[3 * i + 1]) <= 1);
        }
    }

    @Test
    void drawingAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] moves = new int[3 * 128];
        for (int b = 0; b < 20_000; b++) {          // warm: compiled before it is measured
            cropAndFlip.draw(1, 0, b, 128, moves);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int b = 0; b < 1_000; b++) {
            cropAndFlip.draw(1, 1, b, 128, moves);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated by 1,000 draws of a batch");
    }
}
