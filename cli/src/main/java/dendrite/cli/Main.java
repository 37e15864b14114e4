package dendrite.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code dendrite} command.
 *
 * <pre>
 * dendrite train                         # embedded digits, best backend
 * dendrite train --dataset moons --hidden 16,16 --epochs 50
 * dendrite eval --model runs/digits-.../model.safetensors
 * </pre>
 */
@Command(name = "dendrite", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Train, evaluate and inspect neural networks on the JVM.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SampleCommand.class, SummaryCommand.class,
                ImportCommand.class, ExportCommand.class,
                GradcheckCommand.class,
                BenchCommand.class, BackendsCommand.class, CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class})
public final class Main {

    /**
     * Held so the level set here stays set: {@link Logger#getLogger} keeps only a weak reference,
     * and a collected logger would come back at the default level.
     */
    private static final Logger BACKENDS_LOG = Logger.getLogger("dendrite.tensor.Backends");

    public static void main(String[] args) {
        // The vector backend compiles its kernels while the data loads (off by default for embedders).
        if (System.getProperty("dendrite.vector.warmup") == null) {
            System.setProperty("dendrite.vector.warmup", "true");
        }
        System.exit(run(args));
    }

    /** Runs the command on stdout and stderr and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command with its output and errors going to the given writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        quietBackendLog(Arrays.asList(args).contains("--verbose"));
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors.ForUsage());
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The backend selection log line is two JUL lines (date, then message) plus one per skipped
     * backend; the commands print the chosen backend themselves, so the log is wanted only with
     * {@code --verbose}, in a one-line format.
     */
    private static void quietBackendLog(boolean verbose) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        BACKENDS_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
    }
}
