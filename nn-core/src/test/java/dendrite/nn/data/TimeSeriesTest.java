package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSeriesTest {
    // Steps 0..5 of two columns: a = 10 t, b = t.
    private static final TimeSeries SIX = TimeSeries.of("six", List.of("a", "b"),
            new float[] {0, 0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5});

    @Test
    void windowsHoldTheInputStepsAndTheTargetHorizonStepsLater() {
        Dataset d = SIX.windows(List.of("a", "b"), "b", 3, 2);
        assertEquals(2, d.size());                      // windows starting at steps 0 and 1
        assertArrayEquals(new int[] {3, 2}, d.sampleShape());
        assertArrayEquals(new float[] {0, 0, 10, 1, 20, 2, 10, 1, 20, 2, 30, 3}, d.features());
        assertArrayEquals(new float[] {4, 5}, d.targets());   // step 2 + 2 and step 3 + 2
        assertArrayEquals(new float[] {2, 3}, SIX.lastValueForecast("b", 3, 2));
        Dataset onlyA = SIX.windows(List.of("a"), "b", 5, 1);
        assertArrayEquals(new float[] {0, 10, 20, 30, 40}, onlyA.features());
        assertArrayEquals(new float[] {5}, onlyA.targets());
    }

    @Test
    void aSeriesTooShortOrAnUnknownColumnIsRefusedSayingWhy() {
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
                () -> SIX.windows(List.of("a"), "b", 6, 1));
        assertEquals("time series six: 6 steps are too few for a window of 6 and a horizon of 1 (need at least 7)",
                shortOne.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SIX.windows(List.of("a"), "load", 2, 1));
        assertEquals("time series six has no column 'load'; its columns are a, b", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("nan", List.of("a"), new float[] {1, Float.NaN}));
    }

    /**
     * 50,000 windows of 50,000 steps are 2.5e9 values, which an int product wrapped to a negative
     * array size: refused, before anything is allocated. A window and horizon of Integer.MAX_VALUE
     * each wrapped the window count back to a positive one.
     */
    @Test
    void windowsOfMoreValuesThanAnArrayHoldsAreRefused() {
        TimeSeries series = TimeSeries.of("long", List.of("v"), new float[100_000]);
        IllegalArgumentException windows = assertThrows(IllegalArgumentException.class,
                () -> series.windows(List.of("v"), "v", 50_000, 1));
        assertEquals("time series long: 50000 windows of [50000, 1] are 2500000000 values, more than an array can hold"
                + " (at most 2147483639)", windows.getMessage());
        IllegalArgumentException forecast = assertThrows(IllegalArgumentException.class,
                () -> series.forecastWindows(List.of("v"), 50_000));
        assertEquals("time series long: 50001 windows of [50000, 1] are 2500050000 values, more than an array can hold"
                + " (at most 2147483639)", forecast.getMessage());
        int max = Integer.MAX_VALUE;
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> SIX.windows(List.of("a"), "b", max, max));
        assertEquals("time series six: 6 steps are too few for a window of 2147483647 and a horizon of 2147483647"
                + " (need at least 4294967294)", far.getMessage());
        assertArrayEquals(new float[0], SIX.lastValueForecast("b", max, max));
    }

    @Test
    void chronologicalSplitKeepsTimeOrder() {
        Dataset d = TimeSeries.of("t", List.of("v"), new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                .windows(List.of("v"), "v", 1, 1);    // 10 samples, target = next value
        DataSplit s = Splits.chronological(d, 0.2, 0.3);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, s.train().targets());
        assertArrayEquals(new float[] {6, 7}, s.validation().targets());
        assertArrayEquals(new float[] {8, 9, 10}, s.test().targets());
    }

    @Test
    void readsEveryColumnOfACsv(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "cpu;load\n1;10\n2;20\n3;30\n");
        TimeSeries s = TimeSeries.readCsv(f, ';');
        assertEquals(List.of("cpu", "load"), s.columns());
        assertEquals(3, s.length());
        assertArrayEquals(new float[] {10, 20, 30}, s.column("load"));
    }

    @Test
    void serverLoadSeriesHasItsDailyAndWeeklyCycles() {
        TimeSeries s = Synthetic.serverLoadSeries(24 * 7 * 8, 3);
        assertEquals(Synthetic.SERVER_LOAD_COLUMNS, s.columns());
        float[] load = s.column("load");
        double[] byHour = new double[24];
        double weekday = 0;
        double weekend = 0;
        for (int h = 0; h < load.length; h++) {
            byHour[h % 24] += load[h];
            if ((h / 24) % 7 >= 5) {
                weekend += load[h] / (2.0 * 8 * 24);
            } else {
                weekday += load[h] / (5.0 * 8 * 24);
            }
        }
        assertTrue(byHour[14] > 1.5 * byHour[2], "afternoons busier than nights: " + java.util.Arrays.toString(byHour));
        assertTrue(weekday > 1.2 * weekend, "weekdays busier than weekends: " + weekday + " against " + weekend);
        assertArrayEquals(load, Synthetic.serverLoadSeries(24 * 7 * 8, 3).column("load"), "seeded");
    }
}
