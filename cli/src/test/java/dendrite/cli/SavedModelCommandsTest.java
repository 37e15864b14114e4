package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval}, {@code predict} and {@code summary} on a model that {@code train} saved. */
class SavedModelCommandsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path digitsModel;
    static String digitsOutput;

    @BeforeAll
    static void trainSmallModels() {
        Path out = dir.resolve("circles");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "circles", "--hidden", "8", "--epochs", "20",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        model = out.resolve("model.safetensors");
        // Deliberately undertrained, so that its test loss and accuracy are far from any limit and
        // another test part would score differently.
        Path digits = dir.resolve("digits");
        Cli d = Cli.run("train", "--backend", "scalar", "--hidden", "16", "--epochs", "2", "--limit", "300", "--lr", "0.01",
                "--out", digits.toString());
        assertEquals(0, d.code(), d::toString);
        digitsModel = digits.resolve("model.safetensors");
        digitsOutput = d.out();
    }

    @Test
    void evalFindsTheSameTestPartAndScoresItAsTrainDid() {
        Cli r = Cli.run("eval", "--backend", "scalar", "--model", digitsModel.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(value(digitsOutput, "test loss"), value(r.out(), "loss"), "train said:\n" + digitsOutput + "\n" + r);
        assertEquals(value(digitsOutput, "test accuracy"), value(r.out(), "accuracy"), "train said:\n" + digitsOutput + "\n" + r);
        // 1,797 digits, a test fraction of 0.2, stratified: 359
        assertTrue(r.out().contains("test part: 359 samples"), r::toString);
        assertTrue(r.out().contains("precision") && r.out().contains("confusion matrix"), r::toString);
    }

    @Test
    void evalDrawsTheConfusionMatrixOnRequest() throws IOException {
        Path png = dir.resolve("eval-confusion.png");
        Cli r = Cli.run("eval", "--backend", "scalar", "--model", model.toString(), "--part", "all", "--confusion", png.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("all part: 1000 samples"), r::toString);
        TrainCommandTest.assertImage(png, Charts.CONFUSION_WIDTH, Charts.CONFUSION_HEIGHT);
    }

    @Test
    void predictWritesOneRowPerInputWithProbabilities() throws IOException {
        Path in = dir.resolve("points.csv");
        Files.writeString(in, "x,y\n0,0\n1.0,0\n0,-1.0\n");
        Path out = dir.resolve("predictions.csv");
        Cli r = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.code(), r::toString);
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size(), lines::toString);
        String[] header = lines.get(0).split(",");
        assertEquals("prediction", header[0]);
        assertEquals(3, header.length, "the prediction and one probability per class: " + lines.get(0));
        for (String line : lines.subList(1, 4)) {
            String[] f = line.split(",");
            double p0 = Double.parseDouble(f[1]);
            double p1 = Double.parseDouble(f[2]);
            assertEquals(1.0, p0 + p1, 1e-5, line);
            String expected = p0 >= p1 ? header[1].substring(2) : header[2].substring(2);
            assertEquals(expected, f[0], "the prediction is the likelier class: " + line);
        }
    }

    @Test
    void predictWritesToStdoutWithoutOutput() throws IOException {
        Path in = dir.resolve("one.csv");
        Files.writeString(in, "x,y\n0.1,0.2\n");
        Cli r = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", in.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(2, r.outLines().size(), r::toString);
    }

    @Test
    void summaryCountsTheParameters() {
        Cli r = Cli.run("summary", model.toString());
        assertEquals(0, r.code(), r::toString);
        // 2 -> 8 -> 2: (2*8 + 8) + (8*2 + 2) = 24 + 18
        assertTrue(r.out().contains("Total params: 42"), r::toString);
        assertTrue(r.out().contains("Dense(2, 8)") && r.out().contains("Dense(8, 2)"), r::toString);
        assertTrue(r.out().contains("trained on: circles"), r::toString);
        assertTrue(r.out().contains("input scaling: standard"), r::toString);
    }

    private static String value(String output, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (\\S+)$").matcher(output);
        assertTrue(m.find(), "no '" + key + ":' line in\n" + output);
        return m.group(1);
    }

    /**
     * Issue 17, failure 5: predict, eval and summary read a model file once, so a file replaced
     * meanwhile cannot give one file's weights with another's class names. The race itself cannot be
     * made to happen on demand; what makes it possible can be counted: JFR's {@code jdk.FileRead}
     * events (every read, threshold 0) add up to the file's size exactly when the file is read once.
     * The code before the fix read it twice (the model, then its metadata) and gave twice the size.
     */
    @Test
    void loadingAModelReadsItsFileOnce() throws IOException {
        Path copy = dir.resolve("read-once.safetensors");
        Files.copy(model, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String path = copy.toAbsolutePath().toString();
        long read = 0;
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("jdk.FileRead").withThreshold(java.time.Duration.ZERO);
            recording.start();
            ModelStore.load(copy, dendrite.tensor.Backends.get("scalar"));
            recording.stop();
            Path events = dir.resolve("read-once.jfr");
            recording.dump(events);
            for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(events)) {
                if (path.equals(e.getString("path"))) {
                    read += e.getLong("bytesRead");
                }
            }
        }
        assertEquals(Files.size(copy), read, "bytes read from " + path + " to load it");
    }

    /** Issue 18: gradient checking from the command line, per layer. */
    @Test
    void gradcheckPassesEveryLayerOfATrainedModel() throws IOException {
        Path cnn = dir.resolve("cnn-for-gradcheck");
        Path csv = dir.resolve("pixels.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 36; i++) {
            sb.append(i == 0 ? "" : ",").append("p").append(i);
        }
        sb.append(",label\n");
        java.util.Random r = new java.util.Random(2);
        for (int row = 0; row < 40; row++) {
            for (int i = 0; i < 36; i++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.3f,", r.nextFloat()));
            }
            sb.append(row % 2).append('\n');
        }
        Files.writeString(csv, sb);
        Cli t = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + csv, "--label", "label", "--image", "6x6",
                "--model", "conv 4 3, batchnorm2d, relu, maxpool 2, flatten, dropout 0.2, dense 8, tanh", "--epochs", "2",
                "--out", cnn.toString());
        assertEquals(0, t.code(), t::toString);
        Cli r2 = Cli.run("gradcheck", cnn.resolve("model.safetensors").toString());
        assertEquals(0, r2.code(), r2::toString);
        assertTrue(r2.out().contains("all layers passed"), r2::toString);
        assertTrue(r2.out().contains("conv2d") && r2.out().contains("dropout (eval)"), r2::toString);
    }

    /** summary takes the model as eval and predict do, with --model, as well as as an argument. */
    @Test
    void summaryTakesTheModelAsEvalAndPredictDo() {
        Cli r = Cli.run("summary", "--model", model.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Total params: 42"), r::toString);
        Cli none = Cli.run("summary");
        assertEquals(1, none.code(), none::toString);
        assertTrue(none.err().contains("no model file given"), none::toString);
    }

    /** eval --part train scores the samples train trained on: the first --limit ones when it had a limit (issue 18). */
    @Test
    void evalOfTheTrainingPartHonoursTheLimitTrainUsed() {
        // digitsModel was trained with --limit 300
        Cli r = Cli.run("eval", "--backend", "scalar", "--model", digitsModel.toString(), "--part", "train");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("train part: 300 samples"), r::toString);
    }
}
