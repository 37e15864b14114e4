package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dendrite train} end to end on the scalar backend, with small settings. */
class TrainCommandTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("(?m)^test accuracy: (0\\.\\d{4}|1\\.0000)$");
    private static final Pattern EPOCH_LINE = Pattern.compile(
            "^epoch +\\d+/\\d+  train loss \\d+\\.\\d{4} acc \\d\\.\\d{4} \\| val loss \\d+\\.\\d{4} acc \\d\\.\\d{4} \\| \\d+\\.\\d{2}s$");

    @TempDir
    Path dir;

    @Test
    void digitsWritesModelChartsAndHistoryAndScoresWellAboveChance() throws IOException {
        Path out = dir.resolve("digits");
        Cli r = Cli.run("train", "--backend", "scalar", "--epochs", "5", "--limit", "400", "--hidden", "32", "--lr", "0.01",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err(), "nothing on stderr without a terminal: no progress bar, no log");
        List<String> epochLines = r.outLines().stream().filter(l -> l.startsWith("epoch")).toList();
        assertEquals(5, epochLines.size(), r::toString);
        epochLines.forEach(l -> assertTrue(EPOCH_LINE.matcher(l).matches(), "epoch line: " + l));
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertTrue(m.find(), r::toString);
        // Ten classes: chance is 0.1. Five epochs on 400 samples is far from the best, but learns.
        assertTrue(Double.parseDouble(m.group(1)) > 0.5, r::toString);
        assertTrue(r.out().contains("backend: scalar"), r::toString);
        assertTrue(r.out().contains("wrote " + out), r::toString);

        assertImage(out.resolve("curves.png"), 2 * Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT);
        assertImage(out.resolve("confusion.png"), Charts.CONFUSION_WIDTH, Charts.CONFUSION_HEIGHT);
        assertFalse(Files.exists(out.resolve("boundary.png")), "64 features: no decision boundary");
        assertTrue(Files.size(out.resolve("model.safetensors")) > 4L * (64 * 32 + 32 * 10), "weights are in the file");
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(6, history.size(), "header and five epochs");
        assertTrue(history.get(0).startsWith("epoch,loss,accuracy"), history.get(0));
    }

    @Test
    void aLearningRateFarTooHighEndsWithAWarningThatSaysSo() {
        Cli r = Cli.run("train", "--backend", "scalar", "--epochs", "3", "--limit", "300", "--lr", "1000",
                "--out", dir.resolve("lr1000").toString());
        assertEquals(0, r.code(), r::toString);
        List<String> warnings = r.errLines().stream().filter(l -> l.startsWith("dendrite: warning: ")).toList();
        assertEquals(1, warnings.size(), r::toString);
        assertTrue(warnings.get(0).contains("the learning rate 1000 is far too high; try --lr 0.001"), r::toString);
    }

    @Test
    void twoDimensionalDataGetsADecisionBoundary() throws IOException {
        Path out = dir.resolve("moons");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--epochs", "15", "--hidden", "16,16",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.85, "two moons with little noise are easy: " + r);
        assertImage(out.resolve("boundary.png"), Charts.BOUNDARY_WIDTH, Charts.BOUNDARY_HEIGHT);
    }

    @Test
    void regressionPrintsTheErrorAndDrawsTheFit() throws IOException {
        Path out = dir.resolve("sine");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "regression", "--epochs", "5", "--hidden", "16",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("test rmse: \\S+  mae: \\S+  r2: -?\\d+\\.\\d{4}")), r::toString);
        assertFalse(r.out().contains("accuracy"), r::toString);
        assertImage(out.resolve("curves.png"), Charts.PANEL_WIDTH, Charts.PANEL_HEIGHT);
        assertImage(out.resolve("fit.png"), Charts.BOUNDARY_WIDTH, Charts.BOUNDARY_HEIGHT);
        assertImage(out.resolve("predicted.png"), Charts.BOUNDARY_WIDTH, Charts.BOUNDARY_HEIGHT);
        assertImage(out.resolve("residuals.png"), Charts.BOUNDARY_WIDTH, Charts.BOUNDARY_HEIGHT);
        assertFalse(Files.exists(out.resolve("confusion.png")));
    }

    @Test
    void anExistingOutputIsKeptUnlessForced() throws IOException {
        Path out = dir.resolve("again");
        String[] args = {"train", "--backend", "scalar", "--dataset", "xor", "--epochs", "1", "--hidden", "4",
                "--out", out.toString()};
        assertEquals(0, Cli.run(args).code());
        byte[] before = Files.readAllBytes(out.resolve("model.safetensors"));

        Cli refused = Cli.run(args);
        assertEquals(1, refused.code(), refused::toString);
        assertEquals(1, refused.errLines().size(), refused::toString);
        assertTrue(refused.err().contains("already exists") && refused.err().contains("--force"), refused::toString);
        assertFalse(refused.out().contains("epoch"), "refused before training: " + refused);
        assertEquals(List.of(before.length), List.of(Files.readAllBytes(out.resolve("model.safetensors")).length));

        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        assertEquals(0, Cli.run(forced).code());
    }

    @Test
    void earlyStoppingSaysWhichEpochItKept() {
        // A learning rate this large makes the validation loss bounce, so patience 1 ends the run early.
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "xor", "--epochs", "40", "--hidden", "8",
                "--optimizer", "sgd", "--lr", "3", "--patience", "1", "--out", dir.resolve("es").toString());
        assertEquals(0, r.code(), r::toString);
        long epochs = r.outLines().stream().filter(l -> l.startsWith("epoch")).count();
        assertTrue(epochs < 40, r::toString);
        assertTrue(r.out().contains("early stop"), r::toString);
    }

    static void assertImage(Path png, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " missing");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, png + " is not a readable image");
        assertEquals(width, img.getWidth(), png + " width");
        assertEquals(height, img.getHeight(), png + " height");
        ChartsTest.assertNotBlank(img);
    }
}
