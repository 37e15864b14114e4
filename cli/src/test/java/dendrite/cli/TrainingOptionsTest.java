package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's flags for what the API already had: each trains end to end, shows in the model or the
 * training line, and bad values are refused in one line.
 */
class TrainingOptionsTest {
    private static final Pattern ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    private Cli train(String name, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--backend";
        all[args.length + 2] = "scalar";
        all[args.length + 3] = "--out=" + dir.resolve(name);
        return Cli.run(all);
    }

    private static double accuracy(Cli r) {
        Matcher m = ACCURACY.matcher(r.out());
        assertTrue(m.find(), r::toString);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void dropoutBatchNormInitClippingAndLabelSmoothingTrainTogether() {
        Cli r = train("all", "--dataset", "moons", "--hidden", "16,16", "--epochs", "30", "--dropout", "0.1", "--batch-norm",
                "--init", "xavier", "--clip-norm", "1", "--clip-value", "0.5", "--label-smoothing", "0.1", "--ema", "0.9");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("batch_norm1d") || r.out().contains("BatchNorm1d"), r::toString);
        assertTrue(r.out().contains("dropout") || r.out().contains("Dropout"), r::toString);
        assertTrue(r.out().contains("label smoothing 0.1, clip norm 1.0, clip value 0.5, weight average (ema) 0.9"), r::toString);
        assertTrue(accuracy(r) > 0.8, r::toString);
    }

    /** The textbook's symmetry failure: every unit of a zero-initialized layer learns the same thing. */
    @Test
    void zeroInitializationStaysAtChanceWhereTheDefaultLearns() {
        Cli zeros = train("zeros", "--dataset", "spirals", "--hidden", "16,16", "--epochs", "20", "--init", "zeros");
        Cli he = train("he", "--dataset", "spirals", "--hidden", "16,16", "--epochs", "20", "--init", "he");
        assertEquals(0, zeros.code(), zeros::toString);
        assertEquals(0, he.code(), he::toString);
        double chance = 1.0 / 3;
        assertTrue(Math.abs(accuracy(zeros) - chance) < 0.1, "zero init should stay near chance: " + zeros);
        assertTrue(accuracy(he) > accuracy(zeros) + 0.1, "he init should learn: " + he + "\n" + zeros);
        assertTrue(zeros.err().contains("weight initialization (--init"), "the warning names initialization: " + zeros);
    }

    /**
     * --class-weights: balanced weights are counted on the training part and shown; listed weights are
     * taken as given; regression refuses them.
     */
    @Test
    void classWeightsAreBalancedOrGivenAndShown() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            int c = i % 10 == 0 ? 1 : 0;
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%s%n", random.nextGaussian() + 1.5 * c,
                    random.nextGaussian() + 1.5 * c, c == 1 ? "rare" : "common"));
        }
        Path file = dir.resolve("rare.csv");
        java.nio.file.Files.writeString(file, csv);
        Cli balanced = train("balanced", "--dataset", "csv:" + file, "--label", "label", "--epochs", "5",
                "--class-weights", "balanced");
        assertEquals(0, balanced.code(), balanced::toString);
        Matcher w = Pattern.compile("class weights (\\S+) (\\S+)[,\\n]").matcher(balanced.out());
        assertTrue(w.find(), balanced::toString);
        double common = Math.min(Double.parseDouble(w.group(1)), Double.parseDouble(w.group(2)));
        double rare = Math.max(Double.parseDouble(w.group(1)), Double.parseDouble(w.group(2)));
        assertTrue(common > 0.5 && common < 0.6 && rare > 4 && rare < 6, "about 0.56 and 5: " + balanced);
        Cli given = train("given", "--dataset", "csv:" + file, "--label", "label", "--epochs", "2",
                "--class-weights", "1, 4", "--label-smoothing", "0.1");
        assertEquals(0, given.code(), given::toString);
        assertTrue(given.out().contains("label smoothing 0.1, class weights 1.00 4.00"), given::toString);
        Cli regression = train("reg", "--dataset", "regression", "--epochs", "1", "--class-weights", "balanced");
        assertEquals(1, regression.code(), regression::toString);
        assertTrue(regression.err().startsWith("dendrite: --class-weights applies to classification only"),
                regression::toString);
    }

    /** --accumulate 4 with batches of 8 trains as batches of 32 do, and says so. */
    @Test
    void accumulatedGradientsTrainAsTheLargerBatch() {
        Cli large = train("large", "--dataset", "moons", "--hidden", "16", "--epochs", "10", "--batch", "32");
        Cli accumulated = train("accumulated", "--dataset", "moons", "--hidden", "16", "--epochs", "10", "--batch", "8",
                "--accumulate", "4");
        assertEquals(0, large.code(), large::toString);
        assertEquals(0, accumulated.code(), accumulated::toString);
        assertTrue(accumulated.out().contains("gradients of 4 batches a step"), accumulated::toString);
        assertEquals(accuracy(large), accuracy(accumulated), 0.01, large + "\n" + accumulated);
    }

    /**
     * --find-lr: the range test runs first, its curve is drawn, and training uses its rate unless
     * --lr is given.
     */
    @Test
    void findLrTrainsAtTheRateItFoundUnlessOneIsGiven() {
        Cli found = train("found", "--dataset", "moons", "--hidden", "16", "--epochs", "10", "--find-lr");
        assertEquals(0, found.code(), found::toString);
        Matcher m = Pattern.compile(
                "learning-rate finder: the loss fell fastest at (\\S+) \\(100 batches at rates 1.00e-07 to 10.0\\)")
                .matcher(found.out());
        assertTrue(m.find(), found::toString);
        assertTrue(found.out().contains("training: adam lr " + m.group(1) + " "), found::toString);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("found").resolve("lr_find.png")), found::toString);
        assertTrue(accuracy(found) > 0.8, found::toString);
        Cli given = train("given", "--dataset", "moons", "--hidden", "16", "--epochs", "1", "--find-lr",
                "--lr", "0.003");
        assertEquals(0, given.code(), given::toString);
        assertTrue(given.out().contains("; training at --lr 0.003"), given::toString);
        assertTrue(given.out().contains("training: adam lr 0.003 "), given::toString);
    }

    /** Two classes: the ROC curve's area, in train and eval; ten: top-5 accuracy, at least the accuracy. */
    @Test
    void rankingMetricsArePrintedWhereTheyApply() {
        Cli moons = train("moons", "--dataset", "moons", "--hidden", "16", "--epochs", "5");
        assertEquals(0, moons.code(), moons::toString);
        Matcher auc = Pattern.compile("(?m)^test roc auc: (\\d\\.\\d{4})$").matcher(moons.out());
        assertTrue(auc.find() && Double.parseDouble(auc.group(1)) > accuracy(moons), moons::toString);
        assertFalse(moons.out().contains("top-5"), moons::toString);
        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", dir.resolve("moons").resolve("model.safetensors")
                .toString());
        assertTrue(eval.out().contains("\nroc auc: " + auc.group(1) + "\n"), eval::toString);
        Cli digits = train("digits", "--epochs", "1");
        Matcher top5 = Pattern.compile("(?m)^test top-5 accuracy: (\\d\\.\\d{4})$").matcher(digits.out());
        assertTrue(top5.find() && Double.parseDouble(top5.group(1)) >= accuracy(digits), digits::toString);
        assertFalse(digits.out().contains("roc auc"), digits::toString);
    }

    @Test
    void regressionTakesMaeAndHuber() {
        for (String loss : new String[] {"mae", "huber"}) {
            Cli r = train(loss, "--dataset", "regression", "--hidden", "16", "--epochs", "10", "--loss", loss, "--init",
                    "normal:0.1");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("test rmse"), r::toString);
        }
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        String[][] cases = {
            {"--dropout", "1.5"}, {"--init", "glorious"}, {"--loss", "mse"}, {"--label-smoothing", "1"},
            {"--clip-norm", "0"}, {"--clip-value", "-1"}, {"--ema", "1"}, {"--class-weights", "1,2,3"},
            {"--class-weights", "1,heavy"}, {"--class-weights", "1,-2"}, {"--accumulate", "0"},
        };
        for (String[] c : cases) {
            Cli r = train("bad", "--dataset", "moons", "--epochs", "1", c[0], c[1]);
            assertEquals(1, r.code(), () -> String.join(" ", c) + ": " + r);
            assertTrue(r.err().startsWith("dendrite: " + c[0]) && r.err().strip().lines().count() == 1,
                    () -> String.join(" ", c) + ": " + r);
        }
        Cli cnn = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--model", "dense 8, relu", "--dropout", "0.2",
                "--out=" + dir.resolve("spec"));
        assertEquals(1, cnn.code(), cnn::toString);
        assertTrue(cnn.err().contains("--dropout applies to the dense preset"), cnn::toString);
        assertFalse(cnn.err().contains("Exception"), cnn::toString);
    }

    /**
     * A CSV separated by semicolons, as the UCI wine-quality files are: train reads it with
     * --delimiter, and eval and predict use the delimiter the model file recorded.
     */
    @Test
    void aSemicolonCsvTrainsEvaluatesAndPredicts() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("\"fixed acidity\";\"alcohol\";\"quality\"\n");
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 120; i++) {
            int q = 5 + i % 2;
            csv.append(String.format(java.util.Locale.ROOT, "%.2f;%.2f;%d%n", 7 + r.nextGaussian(), 9 + 2 * (q - 5) + r.nextGaussian() * 0.5, q));
        }
        Path file = dir.resolve("wine.csv");
        java.nio.file.Files.writeString(file, csv);
        Cli t = train("wine", "--dataset", "csv:" + file, "--label", "quality", "--delimiter", ";", "--epochs", "20");
        assertEquals(0, t.code(), t::toString);
        assertTrue(accuracy(t) > 0.8, t::toString);
        Path model = dir.resolve("wine").resolve("model.safetensors");
        Cli e = Cli.run("eval", "--backend", "scalar", "--model", model.toString());
        assertEquals(0, e.code(), e::toString);
        Cli p = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", file.toString());
        assertEquals(0, p.code(), p::toString);
        assertEquals(121, p.out().strip().lines().count(), p::toString);
        Cli bad = train("wine-bad", "--dataset", "csv:" + file, "--label", "quality", "--delimiter", ";;");
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().startsWith("dendrite: --delimiter ';;': expected one character"), bad::toString);
    }

    /** --log-every and --quiet thin the epoch lines; a long run prints about 50 by itself. */
    @Test
    void epochLinesCanBeThinnedOrSilenced() {
        long every5 = train("every5", "--dataset", "xor", "--epochs", "20", "--log-every", "5").outLines().stream()
                .filter(l -> l.startsWith("epoch")).count();
        assertEquals(5, every5, "epochs 1, 5, 10, 15 and 20");
        Cli quiet = train("quiet", "--dataset", "xor", "--epochs", "20", "--quiet");
        assertEquals(0, quiet.code(), quiet::toString);
        assertEquals(0, quiet.outLines().stream().filter(l -> l.startsWith("epoch")).count(), quiet::toString);
        assertTrue(quiet.out().contains("test accuracy"), quiet::toString);
        long long200 = train("long", "--dataset", "xor", "--epochs", "200", "--limit", "64").outLines().stream()
                .filter(l -> l.startsWith("epoch")).count();
        assertTrue(long200 >= 40 && long200 <= 60, "about 50 lines for 200 epochs: " + long200);
        Cli bad = train("bad-every", "--dataset", "xor", "--log-every", "0");
        assertEquals(1, bad.code(), bad::toString);
    }

    /** --monitor prints the monitor's warnings, one line each: a learning rate of 50 diverges at once. */
    @Test
    void monitorPrintsWarningLines() {
        Cli r = train("monitor", "--dataset", "moons", "--epochs", "2", "--optimizer", "sgd", "--lr", "50", "--monitor");
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("dendrite: warning: diverging loss at step")
                || l.startsWith("dendrite: warning: exploding gradients")), r::toString);
        Cli quiet = train("monitor-ok", "--dataset", "moons", "--epochs", "5", "--monitor");
        assertEquals(0, quiet.code(), quiet::toString);
        assertFalse(quiet.err().contains("warning"), quiet::toString);
    }

    /** The schedules the API has, from the command line; and --patience without validation data is refused. */
    @Test
    void everyScheduleTrainsAndPatienceNeedsValidationData() {
        for (String schedule : new String[] {"step", "step:2:0.5", "exponential", "exponential:0.9", "plateau", "plateau:1:0.5",
            "cosine:0.1", "linear", "linear:0.2", "onecycle", "onecycle:0.4", "restarts", "restarts:1:2", "multistep:2,4",
            "multistep:3:0.5"}) {
            Cli r = train("schedule-" + schedule.replace(':', '-'), "--dataset", "moons", "--epochs", "6", "--schedule",
                    schedule);
            assertEquals(0, r.code(), schedule + ": " + r);
            assertTrue(accuracy(r) > 0.8, schedule + ": " + r);
        }
        Cli bad = train("schedule-bad", "--dataset", "moons", "--schedule", "step:x:y");
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().startsWith("dendrite: --schedule 'step:x:y': expected numbers"), bad::toString);
        String[][] refused = {{"multistep", "needs its epochs"}, {"multistep:4,2", "increasing"},
            {"cosine:1.5", "fraction of the steps"}, {"onecycle:1", "pctStart in (0, 1)"}, {"restarts:0", "at least 1 epoch"}};
        for (String[] r : refused) {
            Cli b = train("schedule-bad", "--dataset", "moons", "--schedule", r[0]);
            assertEquals(1, b.code(), b::toString);
            assertTrue(b.err().startsWith("dendrite: --schedule") && b.err().contains(r[1])
                    && b.err().strip().lines().count() == 1, r[0] + ": " + b);
        }
        Cli patience = train("patience", "--dataset", "moons", "--patience", "3", "--val-split", "0");
        assertEquals(1, patience.code(), patience::toString);
        assertTrue(patience.err().contains("--val-split 0 leaves no validation part"), patience::toString);
    }

    /** onecycle cycles the momentum (Adam's beta1) as PyTorch's OneCycleLR does, and leaves an optimizer without one alone. */
    @Test
    void oneCycleCyclesTheMomentumWhereTheOptimizerHasOne() {
        Cli adam = train("onecycle-adam", "--dataset", "moons", "--epochs", "3", "--schedule", "onecycle");
        assertEquals(0, adam.code(), adam::toString);
        assertTrue(adam.out().contains("(onecycle, momentum 0.95 to 0.85 and back)"), adam::toString);
        Cli adagrad = train("onecycle-adagrad", "--dataset", "moons", "--epochs", "3", "--schedule", "onecycle",
                "--optimizer", "adagrad");
        assertEquals(0, adagrad.code(), adagrad::toString);
        assertTrue(adagrad.out().contains("(onecycle),"), adagrad::toString);
    }

    /** --json: stdout is one JSON object per epoch and a final result, nothing else (issue 18). */
    @Test
    void jsonPrintsOneObjectPerEpochAndTheResult() {
        Cli r = train("json", "--dataset", "moons", "--epochs", "4", "--json");
        assertEquals(0, r.code(), r::toString);
        java.util.List<String> lines = r.outLines();
        assertEquals(5, lines.size(), r::toString);
        for (int i = 0; i < 4; i++) {
            java.util.Map<String, Object> o = dendrite.nn.internal.Json.parseObject(lines.get(i));
            assertEquals("epoch", o.get("event"), lines.get(i));
            assertEquals((double) (i + 1), ((Number) o.get("epoch")).doubleValue(), lines.get(i));
            assertTrue(o.containsKey("loss") && o.containsKey("val_accuracy"), lines.get(i));
        }
        java.util.Map<String, Object> result = dendrite.nn.internal.Json.parseObject(lines.get(4));
        assertEquals("result", result.get("event"));
        assertTrue(((Number) result.get("accuracy")).doubleValue() > 0.8, lines.get(4));
        assertTrue(result.get("model").toString().endsWith("model.safetensors"), lines.get(4));
    }

    /** train --drop leaves columns out of the features; eval and predict leave them out too (issue 18). */
    @Test
    void droppedColumnsStayOutOfTrainingEvalAndPredict() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("id,x,y,label\n");
        java.util.Random r = new java.util.Random(6);
        for (int i = 0; i < 150; i++) {
            int c = i % 2;
            csv.append(100000 + i).append(',').append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%d%n",
                    c * 2 + r.nextGaussian() * 0.5, r.nextGaussian(), c));
        }
        Path file = dir.resolve("with-id.csv");
        java.nio.file.Files.writeString(file, csv);
        Cli t = train("drop", "--dataset", "csv:" + file, "--label", "label", "--drop", "id", "--epochs", "20");
        assertEquals(0, t.code(), t::toString);
        assertTrue(t.out().contains("2 features"), t::toString);
        Path model = dir.resolve("drop").resolve("model.safetensors");
        Cli e = Cli.run("eval", "--backend", "scalar", "--model", model.toString());
        assertEquals(0, e.code(), e::toString);
        Cli p = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", file.toString());
        assertEquals(0, p.code(), p::toString);
        Cli only = train("features", "--dataset", "csv:" + file, "--label", "label", "--features", "x,y", "--epochs", "5");
        assertEquals(0, only.code(), only::toString);
        assertTrue(only.out().contains("2 features"), only::toString);
        Cli p2 = Cli.run("predict", "--backend", "scalar", "--model", dir.resolve("features").resolve("model.safetensors")
                .toString(), "--input", file.toString());
        assertEquals(0, p2.code(), p2::toString);
        Cli bad = train("drop-bad", "--dataset", "csv:" + file, "--label", "label", "--drop", "nope");
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().contains("--drop nope"), bad::toString);
    }
}
