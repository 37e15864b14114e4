package dendrite.cli;

import java.util.Arrays;
import picocli.CommandLine;

/**
 * Turns an exception from a command into one line on stderr and exit code 1, the way a user
 * expects a command-line tool to fail; the stack trace only with {@code --verbose}.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--verbose");
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cl.getErr().println("dendrite: " + msg.lines().findFirst().orElse(msg));
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        return 1;
    }
}
