package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV trained to the end, then evaluated and predicted from the saved model, for each way a
 * label column can be written: plain numbers (the server-load example's 0/1, wine quality's 3 to
 * 8), names, and quoted names.
 */
class CsvLabelsEndToEndTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    /** 60 points in two features; the class is which of three bands x1 + x2 falls in. */
    private Path csv(String name, IntFunction<String> label, int classes) throws IOException {
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 60; i++) {
            double x1 = (i * 7 % 60) / 60.0;
            double x2 = (i * 13 % 60) / 60.0;
            int c = Math.min(classes - 1, (int) ((x1 + x2) / 2 * classes));
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, label.apply(c)));
        }
        Path f = dir.resolve(name + ".csv");
        Files.writeString(f, sb);
        return f;
    }

    /** Trains, then runs eval and predict on the result; returns predict's class column. */
    private List<String> trainEvalPredict(Path data, String... extra) throws IOException {
        Path out = dir.resolve(data.getFileName() + ".out");
        List<String> args = new java.util.ArrayList<>(List.of("train", "--backend", "scalar", "--dataset", "csv:" + data,
                "--label", "y", "--epochs", "5", "--hidden", "8", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli train = Cli.run(args.toArray(String[]::new));
        assertEquals(0, train.code(), train::toString);
        Matcher m = TEST_ACCURACY.matcher(train.out());
        assertTrue(m.find(), train::toString);
        Path model = out.resolve("model.safetensors");
        assertTrue(Files.exists(out.resolve("confusion.png")), "the test part's confusion matrix is drawn");

        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", model.toString());
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("accuracy: " + m.group(1)), "eval scores the test part as train did:\n"
                + train + "\n" + eval);
        assertTrue(eval.out().contains("confusion matrix"), eval::toString);

        Path predictions = dir.resolve(data.getFileName() + ".predictions.csv");
        Cli predict = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", data.toString(),
                "--output", predictions.toString());
        assertEquals(0, predict.code(), predict::toString);
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(61, lines.size(), "a header and one row per input row");
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).toList();
    }

    @Test
    void zeroOneLabels() throws IOException {
        List<String> predicted = trainEvalPredict(csv("binary", c -> String.valueOf(c), 2));
        assertTrue(Set.of("0", "1").containsAll(predicted), predicted::toString);
    }

    @Test
    void theFourRowXorTableOfTheIssue() throws IOException {
        Path f = dir.resolve("xor4.csv");
        Files.writeString(f, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        Path out = dir.resolve("xor4");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + f, "--label", "y", "--epochs", "3",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        assertFalse(train.err().contains("null"), train::toString);
        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", out.resolve("model.safetensors").toString(),
                "--part", "all");
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("all part: 4 samples"), eval::toString);
    }

    @Test
    void labelsNumberedFromThreeAsWineQualityIs() throws IOException {
        List<String> predicted = trainEvalPredict(csv("wine", c -> String.valueOf(c + 3), 3));
        assertTrue(new TreeSet<>(Set.of("0", "1", "2", "3", "4", "5")).containsAll(predicted), predicted::toString);
    }

    @Test
    void namedLabels() throws IOException {
        List<String> names = List.of("low", "mid", "high");
        List<String> predicted = trainEvalPredict(csv("named", names::get, 3));
        assertTrue(names.containsAll(predicted), predicted::toString);
    }

    @Test
    void quotedLabels() throws IOException {
        List<String> predicted = trainEvalPredict(csv("quoted", c -> c == 0 ? "\"no\"" : "\"yes\"", 2));
        assertTrue(List.of("no", "yes").containsAll(predicted), "quotes are CSV syntax, not part of the name: " + predicted);
    }

    @Test
    void classNamesWithCommasQuotesAndLineBreaksSurviveTrainingSummaryAndPredict() throws Exception {
        List<String> names = List.of("big, red", "say \"hi\"", "two\nlines");
        // CSV-quoted in the file; the names themselves are what must come back.
        Path data = csv("awkward", c -> '"' + names.get(c).replace("\"", "\"\"") + '"', 3);
        Path out = dir.resolve("awkward");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "y", "--epochs", "2",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        Path model = out.resolve("model.safetensors");

        Cli summary = Cli.run("summary", model.toString());
        assertTrue(summary.out().contains("3 classes: \"big, red\", \"say \"\"hi\"\"\", \"two\nlines\""), summary::toString);

        Path predictions = dir.resolve("awkward-predictions.csv");
        Cli predict = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", data.toString(),
                "--output", predictions.toString());
        assertEquals(0, predict.code(), predict::toString);
        dendrite.nn.internal.CsvTable table;
        try (java.io.Reader r = Files.newBufferedReader(predictions)) {
            table = dendrite.nn.internal.CsvTable.parse(r, predictions.toString(), true, ',');
        }
        assertEquals(List.of("prediction", "p_big, red", "p_say \"hi\"", "p_two\nlines"), table.header(),
                "an RFC 4180 header, one column per class");
        assertEquals(60, table.rowCount());
        for (int r = 0; r < table.rowCount(); r++) {
            assertTrue(names.contains(table.field(r, 0)), "a name exactly: " + table.field(r, 0));
        }
    }

    @Test
    void evalOnATrainingCsvEditedSinceWarnsThatItsTestPartIsNotTheHeldOutOne() throws IOException {
        Path data = csv("edited", c -> String.valueOf(c), 2);
        Path out = dir.resolve("edited");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "y", "--epochs", "2",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        String model = out.resolve("model.safetensors").toString();
        Cli same = Cli.run("eval", "--backend", "scalar", "--model", model);
        assertEquals(0, same.code(), same::toString);
        assertEquals("", same.err(), "the same data: no warning");

        Files.writeString(data, Files.readString(data).replaceFirst("\n0\\.0000,", "\n0.5000,"));  // one value changes
        Cli edited = Cli.run("eval", "--backend", "scalar", "--model", model);
        assertEquals(0, edited.code(), edited::toString);
        assertTrue(edited.err().contains("warning: the data of csv:" + data + " is not what the model was trained on"),
                edited::toString);
    }

    @Test
    void aLabelGivenByIndexIsLeftOutWhenPredictingOnTheTrainingCsv() throws IOException {
        Path data = csv("byindex", c -> String.valueOf(c), 2);
        Path out = dir.resolve("byindex");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "2", "--epochs", "2",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        Cli predict = Cli.run("predict", "--backend", "scalar", "--model", out.resolve("model.safetensors").toString(),
                "--input", data.toString());
        assertEquals(0, predict.code(), predict::toString);
        assertEquals(61, predict.outLines().size(), predict::toString);
    }

    @Test
    void aLabelColumnWithOneValueIsRefusedInOneLine() throws IOException {
        Path f = dir.resolve("one.csv");
        Files.writeString(f, "x1,x2,y\n0,0,1\n0,1,1\n1,0,1\n1,1,1\n");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + f, "--label", "y",
                "--out", dir.resolve("one").toString());
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.code() != 0 && r.err().contains("single value 1") && r.err().contains(f.toString()), r::toString);
        assertFalse(Files.exists(dir.resolve("one")), "nothing is written for refused data");
    }

    @Test
    void aNanAmongIntegerLabelsIsRefusedNamingTheLine() throws IOException {
        Path f = dir.resolve("nan.csv");
        Files.writeString(f, "x1,x2,y\n0,0,0\n0,1,1\n1,0,nan\n1,1,0\n");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + f, "--label", "y",
                "--out", dir.resolve("nan").toString());
        assertTrue(r.code() != 0 && r.err().contains("line 4") && r.err().contains("label nan"), r::toString);
    }
}
