package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniBatchesTest {

    /** Batch bounds near Integer.MAX_VALUE samples: an int sum or product wrapped them negative. */
    @Test
    void batchBoundsOfAHugeSetDoNotOverflow() {
        MiniBatches pairs = new MiniBatches(Integer.MAX_VALUE, 2, 1);
        assertEquals(1 << 30, pairs.batchCount());
        assertEquals(Integer.MAX_VALUE - 1, pairs.from((1 << 30) - 1));
        assertEquals(Integer.MAX_VALUE, pairs.to((1 << 30) - 1));
        MiniBatches halves = new MiniBatches(Integer.MAX_VALUE, 1 << 30, 1);
        assertEquals(2, halves.batchCount());
        assertEquals(1 << 30, halves.to(0));
        assertEquals(Integer.MAX_VALUE, halves.to(1));
        assertEquals(1, new MiniBatches(5, Integer.MAX_VALUE, 1).batchCount());
    }

    @Test
    void eachEpochIsAPermutation() {
        MiniBatches b = new MiniBatches(103, 10, 1);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] p = b.permutation(epoch);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i, sorted[i]);
            }
        }
    }

    @Test
    void sameSeedAndEpochSameOrder_otherEpochOtherOrder() {
        MiniBatches a = new MiniBatches(50, 8, 11);
        MiniBatches b = new MiniBatches(50, 8, 11);
        assertArrayEquals(a.permutation(4), b.permutation(4));
        assertFalse(Arrays.equals(a.permutation(4), a.permutation(5)));
        assertFalse(Arrays.equals(a.permutation(4), new MiniBatches(50, 8, 12).permutation(4)));
    }

    @Test
    void neighbouringEpochsAreNotShiftedCopies() {
        // A naive SplittableRandom(seed + epoch) makes epoch e+1's stream epoch e's shifted by one value.
        int[] p0 = new MiniBatches(1000, 1, 5).permutation(0);
        int[] p1 = new MiniBatches(1000, 1, 5).permutation(1);
        int same = 0;
        for (int i = 0; i + 1 < p0.length; i++) {
            if (p0[i] == p1[i] || p0[i + 1] == p1[i]) {
                same++;
            }
        }
        assertEquals(0, same, 3.0, "epochs 0 and 1 share " + same + " positions");
    }

    @Test
    void batchesCoverTheEpochWithASmallerLastBatch() {
        MiniBatches b = new MiniBatches(23, 5, 2);
        assertEquals(5, b.batchCount());
        assertEquals(20, b.from(4));
        assertEquals(23, b.to(4));
        List<Integer> all = new ArrayList<>();
        for (int[] batch : b.epoch(0)) {
            for (int i : batch) {
                all.add(i);
            }
        }
        int[] order = b.permutation(0);
        assertEquals(order.length, all.size());
        for (int i = 0; i < order.length; i++) {
            assertEquals(order[i], all.get(i));
        }
    }

    @Test
    void copyFeaturesFillsAReusedBuffer() {
        Dataset d = Dataset.classification("d", new float[] {0, 1, 10, 11, 20, 21}, new int[] {2}, new int[] {0, 1, 0},
                2, null);
        float[] x = new float[4];
        float[] y = new float[2];
        d.copyFeatures(new int[] {2, 0, 1}, 0, 2, x);
        d.copyTargets(new int[] {2, 0, 1}, 1, 3, y);
        assertArrayEquals(new float[] {20, 21, 0, 1}, x);
        assertArrayEquals(new float[] {0, 1}, y);
    }
}
