package dendrite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dendrite} command. */
@Command(name = "dendrite", mixinStandardHelpOptions = true, version = "dendrite 0.1.0",
        description = "Train, evaluate and inspect neural networks on the JVM.",
        subcommands = {BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        return cl.execute(args);
    }
}
