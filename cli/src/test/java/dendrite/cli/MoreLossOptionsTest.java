package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --loss} takes nll and focal for classification and smooth-l1 and poisson for regression:
 * each trains end to end, nll and poisson add the layer they need after the output (log-softmax, softplus),
 * poisson leaves the counts unscaled; the combinations that make no sense are refused in one line.
 */
class MoreLossOptionsTest {
    private static final Pattern ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");
    private static final Pattern RMSE = Pattern.compile("(?m)^test rmse: (\\S+)");

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
    void nllEndsTheModelInALogSoftmaxAndLearnsAsCrossEntropyDoes() {
        Cli nll = train("nll", "--dataset", "moons", "--hidden", "16", "--epochs", "20", "--loss", "nll",
                "--class-weights", "balanced");
        assertEquals(0, nll.code(), nll::toString);
        assertTrue(nll.out().contains("-> dense 2 -> LogSoftmax()"), nll::toString);
        assertTrue(nll.out().contains(", loss nll, class weights"), nll::toString);
        assertTrue(accuracy(nll) > 0.8, nll::toString);
        // the saved model's outputs are log-probabilities: eval's cross-entropy on them is the same loss
        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", dir.resolve("nll").resolve("model.safetensors")
                .toString());
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains(String.format(Locale.ROOT, "accuracy: %.4f", accuracy(nll))), eval::toString);
    }

    @Test
    void focalTreatsEachClassAsABinaryProblem() {
        Cli focal = train("focal", "--dataset", "spirals", "--hidden", "32,32", "--epochs", "30", "--loss", "focal");
        assertEquals(0, focal.code(), focal::toString);
        assertFalse(focal.out().contains("LogSoftmax"), focal::toString);
        assertTrue(accuracy(focal) > 0.6, focal::toString);
    }

    @Test
    void smoothL1Regresses() {
        Cli r = train("smooth", "--dataset", "regression", "--hidden", "16", "--epochs", "10", "--loss", "smooth-l1",
                "--init", "normal:0.1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(RMSE.matcher(r.out()).find(), r::toString);
    }

    /** Counts from a Poisson process whose log-rate rises with x: the rates learned beat the mean count. */
    @Test
    void poissonPredictsRatesOfUnscaledCounts() throws Exception {
        StringBuilder csv = new StringBuilder("x,count\n");
        java.util.Random random = new java.util.Random(8);
        double sum = 0;
        double sumSq = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            double x = random.nextDouble();
            double rate = Math.exp(0.5 + 2 * x);
            int k = 0;                                                   // Knuth's Poisson sampler
            for (double p = random.nextDouble(); p > Math.exp(-rate); p *= random.nextDouble()) {
                k++;
            }
            sum += k;
            sumSq += (double) k * k;
            csv.append(String.format(Locale.ROOT, "%.4f,%d%n", x, k));
        }
        Path file = dir.resolve("counts.csv");
        Files.writeString(file, csv);
        Cli r = train("poisson", "--dataset", "csv:" + file, "--target", "count", "--hidden", "16", "--epochs", "60",
                "--loss", "poisson");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("-> dense 1 -> Softplus()"), r::toString);
        assertTrue(r.out().contains(", loss poisson"), r::toString);
        assertFalse(r.out().contains("standardized targets"), r::toString);
        Matcher m = RMSE.matcher(r.out());
        assertTrue(m.find(), r::toString);
        double spread = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
        assertTrue(Double.parseDouble(m.group(1)) < 0.8 * spread, "rmse against the counts' spread " + spread + ": " + r);

        Cli standard = train("poisson-standard", "--dataset", "csv:" + file, "--target", "count", "--epochs", "1",
                "--loss", "poisson", "--scale-target", "standard");
        assertEquals(1, standard.code(), standard::toString);
        assertTrue(standard.err().startsWith("dendrite: --scale-target standard: --loss poisson"), standard::toString);
    }

    @Test
    void lossesThatDoNotFitAreRefusedInOneLine() {
        String[][] cases = {
            {"regression", "--loss", "poisson", "--loss poisson: the targets are counts, at least 0"},
            {"moons", "--loss", "poisson", "--loss 'poisson' does not suit classification; use cross-entropy, nll, focal"},
            {"regression", "--loss", "nll", "--loss 'nll' does not suit regression; use mse, mae, huber, smooth-l1, poisson"},
            {"moons", "--loss", "kl-div", "--loss 'kl-div' does not suit classification"},
        };
        for (String[] c : cases) {
            Cli r = train("bad", "--dataset", c[0], "--epochs", "1", c[1], c[2]);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().startsWith("dendrite: " + c[3]) && r.err().strip().lines().count() == 1, r::toString);
        }
        Cli smoothing = train("bad", "--dataset", "moons", "--epochs", "1", "--loss", "nll", "--label-smoothing", "0.1");
        assertTrue(smoothing.err().startsWith("dendrite: --label-smoothing applies to --loss cross-entropy only"),
                smoothing::toString);
        Cli weights = train("bad", "--dataset", "moons", "--epochs", "1", "--loss", "focal", "--class-weights", "1,2");
        assertTrue(weights.err().startsWith("dendrite: --class-weights applies to --loss cross-entropy and nll"),
                weights::toString);
    }
}
