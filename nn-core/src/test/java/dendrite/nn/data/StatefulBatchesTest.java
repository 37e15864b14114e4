package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Consecutive chunks ordered so that row i of batch k + 1 continues row i of batch k, as PyTorch's batchify. */
class StatefulBatchesTest {

    @Test
    void batchKHoldsChunkKOfEveryStream() {
        // 10 chunks, 3 rows: streams of 3 chunks (0-2, 3-5, 6-8), chunk 9 left out
        assertArrayEquals(new int[] {0, 3, 6, 1, 4, 7, 2, 5, 8}, StatefulBatches.order(10, 3));
        assertArrayEquals(new int[] {0, 1, 2}, StatefulBatches.order(3, 1));
    }

    /** A series of steps 0, 1, 2, ...: every row of batch k + 1 starts right after where the same row of batch k ended. */
    @Test
    void aSeriesRowContinuesFromBatchToBatch() {
        int n = 103;
        float[] v = new float[2 * n];
        for (int t = 0; t < n; t++) {
            v[2 * t] = t;
            v[2 * t + 1] = 1000 + t;
        }
        TimeSeries s = TimeSeries.of("ramp", List.of("step", "other"), v);
        int steps = 4;
        int rows = 3;
        Dataset d = StatefulBatches.series(s, List.of("step"), "other", steps, 2, rows);
        assertArrayEquals(new int[] {steps, 1}, d.sampleShape());
        int chunks = (n - 2) / steps;                              // 25 chunks of which 24 are used
        assertEquals(chunks / rows * rows, d.size());
        float[] x = d.features();
        for (int k = 0; k + 1 < d.size() / rows; k++) {
            for (int i = 0; i < rows; i++) {
                int here = (k * rows + i) * steps;
                int next = ((k + 1) * rows + i) * steps;
                assertEquals(x[here + steps - 1] + 1, x[next], "row " + i + ", batch " + (k + 1));
            }
        }
        for (int j = 0; j < d.size(); j++) {                       // the target: 'other' 2 steps after the chunk's last
            assertEquals(1000 + x[j * steps + steps - 1] + 2, d.targets()[j]);
        }
        assertEquals(8 * steps, (int) x[(0 * rows + 1) * steps], "row 1 starts 8 chunks into the series");
        Dataset nowcast = StatefulBatches.series(s, List.of("step"), "other", steps, 0, rows);
        assertEquals(1000 + nowcast.features()[steps - 1], nowcast.targets()[0], "horizon 0: the last step's own value");
    }

    @Test
    void textChunksContinueAndPredictTheNextToken() {
        TextCorpus text = TextCorpus.of("abc", "abcdefghijklmnopqrstuvwxyz".repeat(2));
        Dataset d = StatefulBatches.text(text, 5, 2);
        int[] ids = text.ids();
        float[] x = d.features();
        // 52 ids -> (52 - 5 - 1) / 5 + 1 = 10 chunks, 5 per row; row 1 starts at chunk 5 (id 25)
        assertEquals(10, d.size());
        assertEquals(ids[25], (int) x[5]);
        assertEquals(ids[5], (int) x[2 * 5], "batch 1, row 0: chunk 1");
        assertEquals(ids[10], d.label(2));
        assertEquals(text.vocabulary(), d.classNames());
    }

    @Test
    void tooFewChunksOrBadSizesAreRefused() {
        TimeSeries s = TimeSeries.of("short", List.of("a"), new float[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatefulBatches.series(s, List.of("a"), "a", 4, 1, 3));
        assertEquals("stateful batches of short: 10 steps make 2 chunks of 4 (with a horizon of 1), not enough for 3 rows",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatefulBatches.series(s, List.of("a"), "a", 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> StatefulBatches.series(s, List.of("a"), "a", 2, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> StatefulBatches.series(s, List.of(), "a", 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> StatefulBatches.series(s, List.of("b"), "a", 2, 1, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StatefulBatches.order(5, 0)).getMessage()
                .contains("0 rows"));
    }
}
