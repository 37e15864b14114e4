package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench}, {@code backends}, the help, and the progress bar. */
class SmallCommandsTest {

    @Test
    void benchMeasuresEachSizeOnTheNamedBackend() {
        Cli r = Cli.run("bench", "--backend", "scalar", "--sizes", "8,16", "--seconds", "0.01");
        assertEquals(0, r.code(), r::toString);
        List<String> rows = r.outLines().stream().filter(l -> l.startsWith("scalar")).toList();
        assertEquals(1, rows.size(), r::toString);
        String[] cells = rows.get(0).trim().split("\\s+");
        assertTrue(Double.parseDouble(cells[1]) > 0 && Double.parseDouble(cells[2]) > 0, r::toString);
        assertTrue(r.out().contains("n=8") && r.out().contains("n=16"), r::toString);
    }

    @Test
    void backendsReportsTheChoice() {
        Cli r = Cli.run("backends");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("scalar") && r.out().contains("selected: "), r::toString);
    }

    @Test
    void helpListsTheCommands() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        for (String c : List.of("train", "eval", "predict", "summary", "bench", "backends")) {
            assertTrue(r.out().contains(c), c + " missing from\n" + r);
        }
    }

    /**
     * Every command's help formats: picocli formats descriptions with {@code String.format}, so a bare
     * percent sign ("to 1% by the end") made it print a warning on stderr and the raw text.
     */
    @Test
    void everyCommandsHelpFormatsWithoutPicocliWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String c : new picocli.CommandLine(new Main()).getSubcommands().keySet()) {
                Cli r = Cli.run(c, "--help");
                assertEquals(0, r.code(), c + ": " + r);
                assertTrue(!r.out().contains("%n") && !r.err().contains("WARN"), c + ": " + r);
            }
        } finally {
            System.setErr(original);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!warnings.contains("picocli WARN"), warnings);
    }

    @Test
    void progressBarShowsStepsAndRunningLossThenErasesItself() {
        StringWriter s = new StringWriter();
        try (EpochProgress bar = EpochProgress.start("epoch 1/3", 4, true, new PrintWriter(s))) {
            bar.step(2.0, 1);
            bar.step(1.0, 2);
            bar.step(1.0, 3);
            bar.step(0.0, 4);
        }
        String text = s.toString();
        assertTrue(text.contains("epoch 1/3"), text);
        assertTrue(text.contains("4/4"), "steps done of the total: " + text);
        assertTrue(text.contains("loss 1.0000"), "running mean of 2, 1, 1, 0: " + text);
        assertTrue(text.endsWith("\r"), "the last write erases the line: " + text);
    }

    /** Steps that accumulated two batches' gradients each move the bar two batches. */
    @Test
    void progressBarCountsTheBatchesOfAccumulatedSteps() {
        StringWriter s = new StringWriter();
        try (EpochProgress bar = EpochProgress.start("epoch 1/3", 5, true, new PrintWriter(s))) {
            bar.step(2.0, 2);
            bar.step(1.0, 4);
            bar.step(0.0, 5);
        }
        String text = s.toString();
        assertTrue(text.contains("5/5"), "batches done of the total: " + text);
    }

    @Test
    void disabledProgressBarWritesNothing() {
        StringWriter s = new StringWriter();
        try (EpochProgress bar = EpochProgress.start("epoch 1/3", 2, false, new PrintWriter(s))) {
            bar.step(1.0, 1);
        }
        assertEquals("", s.toString());
    }

    /** The version printed is the pom's (issue 19: it said 0.1.0 while the pom said 0.1.0-SNAPSHOT). */
    @Test
    void versionIsThePomsVersion() {
        String pom = System.getProperty("dendrite.pom.version");
        assertTrue(pom != null && !pom.isBlank(), "the build passes the pom's version to the tests");
        Cli r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("dendrite " + pom + "\n"), r::toString);
        assertTrue(r.out().contains("Java " + Runtime.version()), r::toString);
    }

    /** A mistyped option or command gets the nearest known ones, still in one line (issue 18). */
    @Test
    void aMistypedOptionOrCommandGetsDidYouMean() {
        Cli option = Cli.run("train", "--epoch", "3");
        assertEquals(2, option.code(), option::toString);
        assertTrue(option.err().contains("did you mean --epochs?"), option::toString);
        assertEquals(1, option.err().strip().lines().count(), option::toString);
        Cli command = Cli.run("trian");
        assertEquals(2, command.code(), command::toString);
        assertTrue(command.err().contains("did you mean train?"), command::toString);
    }

    /** One short flag means one thing: -b is --batch in train and no longer --backend in bench (issue 18). */
    @Test
    void bReachesOnlyTheBatchSize() {
        Cli bench = Cli.run("bench", "-b", "scalar", "--sizes", "8", "--seconds", "0.01");
        assertEquals(2, bench.code(), bench::toString);
        assertTrue(bench.err().contains("'-b'"), bench::toString);
    }

    /** Shell completion generated from the command definitions (issue 18): bash and zsh source it. */
    @Test
    void generateCompletionPrintsABashScriptThatKnowsTheCommandsAndOptions() {
        Cli r = Cli.run("generate-completion");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("complete -F") && r.out().contains("gradcheck") && r.out().contains("--label-smoothing"),
                () -> r.out().substring(0, Math.min(400, r.out().length())));
    }
}
