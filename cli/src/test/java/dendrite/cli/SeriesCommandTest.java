package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forecasting a time series from the command line: {@code --dataset series:<file>} or
 * {@code server-load-series}, {@code --window}, {@code --horizon}, {@code --model lstm|gru}.
 */
class SeriesCommandTest {
    private static final Pattern TEST_RMSE = Pattern.compile("(?m)^test rmse: (\\S+)  mae: \\S+  r2: (-?\\d+\\.\\d{4})$");
    private static final Pattern NAIVE_RMSE =
            Pattern.compile("(?m)^test last value \\(the forecast to beat\\) rmse: (\\S+)  mae: \\S+  r2: -?\\d+\\.\\d{4}$");

    @TempDir
    Path dir;

    private static double rmse(Cli r, Pattern p) {
        Matcher m = p.matcher(r.out());
        assertTrue(m.find(), r::toString);
        return Double.parseDouble(m.group(1));
    }

    /**
     * Issue 15's learning target on the server-load series: an LSTM's forecast error is clearly below
     * the last value's and below an MLP's of about the same size on the flattened window.
     */
    @Test
    void anLstmForecastsTheServerLoadSeriesBetterThanTheLastValueAndAnMlp() {
        Cli lstm = Cli.run("train", "--dataset", "server-load-series", "--model", "lstm", "--epochs", "10", "--quiet",
                "--out", dir.resolve("lstm").toString());
        Cli mlp = Cli.run("train", "--dataset", "server-load-series", "--hidden", "64", "--epochs", "10", "--quiet",
                "--out", dir.resolve("mlp").toString());
        assertEquals(0, lstm.code(), lstm::toString);
        assertEquals(0, mlp.code(), mlp::toString);
        assertTrue(lstm.out().contains("model: [48, 5] -> LSTM(5, 64) -> dense 1"), lstm::toString);
        double lstmRmse = rmse(lstm, TEST_RMSE);
        assertTrue(lstmRmse < 0.7 * rmse(lstm, NAIVE_RMSE), lstm::toString);
        assertTrue(lstmRmse < 0.85 * rmse(mlp, TEST_RMSE), "LSTM " + lstm + "\nMLP " + mlp);
        assertTrue(Files.exists(dir.resolve("lstm/forecast.png")), lstm::toString);
    }

    @Test
    void aCsvSeriesWithAWindowAndAHorizonTrainsEvaluatesAndSaysWhatItIs() throws IOException {
        Path csv = dir.resolve("wave.csv");
        StringBuilder sb = new StringBuilder("hour;level;noise\n");
        for (int t = 0; t < 400; t++) {
            sb.append(String.format(Locale.ROOT, "%d;%.4f;%.4f%n", t % 24, 10 + 5 * Math.sin(2 * Math.PI * t / 24),
                    Math.cos(0.37 * t * t)));
        }
        Files.writeString(csv, sb.toString());
        Path run = dir.resolve("run");
        Cli r = Cli.run("train", "--dataset", "series:" + csv, "--delimiter", ";", "--target", "level", "--window", "12",
                "--horizon", "3", "--drop", "noise", "--model", "gru 8 seq, gru 6", "--epochs", "3", "--backend", "scalar",
                "--out", run.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("dataset: series:" + csv + ": 270 train, 39 validation, 77 test; 24 features"),
                r::toString);
        assertTrue(r.out().contains("model: [12, 2] -> GRU(2, 8, sequences) -> GRU(8, 6) -> dense 1"), r::toString);
        Matcher m = TEST_RMSE.matcher(r.out());
        assertTrue(m.find(), r::toString);
        Cli eval = Cli.run("eval", "--model", run.resolve("model.safetensors").toString(), "--backend", "scalar");
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("rmse: " + m.group(1)), eval + "\nagainst\n" + r);
        Cli summary = Cli.run("summary", run.resolve("model.safetensors").toString());
        assertTrue(summary.out().contains("GRU(2, 8, sequences)"), summary::toString);
        assertTrue(summary.out().contains("series: windows of 12 steps, forecasting 3 steps ahead"), summary::toString);
        Cli forecast = Cli.run("predict", "--model", run.resolve("model.safetensors").toString(), "--input", csv.toString(),
                "--backend", "scalar");
        assertEquals(0, forecast.code(), forecast::toString);
        java.util.List<String> lines = forecast.outLines();
        assertEquals("step,prediction", lines.get(0));
        assertEquals(400 - 12 + 1 + 1, lines.size(), "a forecast for every window of the 400 steps");
        assertTrue(lines.get(1).startsWith("14,"), "the first window ends at step 11, 3 steps before step 14");
        assertTrue(lines.get(lines.size() - 1).startsWith("402,"), "the last forecast is past the data");
    }

    @Test
    void seriesOptionsAreRefusedWhereTheyDoNotApply() {
        Cli window = Cli.run("train", "--dataset", "moons", "--window", "10", "--backend", "scalar");
        assertEquals(1, window.code(), window::toString);
        assertTrue(window.err().contains("--window applies to a time series"), window::toString);
        Cli label = Cli.run("train", "--dataset", "server-load-series", "--label", "load", "--backend", "scalar");
        assertTrue(label.err().contains("a series is forecast, not classified: give --target"), label::toString);
        Cli tooLong = Cli.run("train", "--dataset", "server-load-series", "--window", "5000", "--backend", "scalar");
        assertTrue(tooLong.err().contains("too few for a window of 5000"), tooLong::toString);
    }
}
