package dendrite.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * Turns an exception from a command into one line on stderr and exit code 1, the way a user
 * expects a command-line tool to fail; the stack trace only with {@code --verbose}.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("dendrite: " + firstLine(describe(e)));
        if (parsed.originalArgs().contains("--verbose")) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /**
     * A message a user can act on. The JDK's file exceptions carry only the path as their
     * message, which alone reads like a riddle, so they get the missing words.
     */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (e instanceof NotDirectoryException f) {
            return "not a folder: " + f.getFile();
        }
        if (e instanceof FileNotFoundException) {
            return "cannot open " + msg;
        }
        if (msg == null || msg.isBlank()) {
            return e.getCause() != null ? describe(e.getCause()) : e.getClass().getSimpleName();
        }
        return msg;
    }

    /**
     * For a mistyped option or command, the nearest known ones ("; did you mean --epochs?"), from
     * picocli's own suggestions (names that share a prefix or are a few edits away).
     */
    static String didYouMean(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        java.util.List<String> suggestions = u.getSuggestions();
        if (suggestions == null || suggestions.isEmpty()) {
            return "";
        }
        java.util.List<String> few = suggestions.subList(0, Math.min(3, suggestions.size()));
        return "; did you mean " + String.join(" or ", few) + "?";
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s).strip();
    }

    /**
     * Bad arguments (an unknown option, {@code --epochs abc}): one line and the hint where help
     * is, instead of picocli's default of the whole usage text. Exit code 2, as picocli uses for
     * usage errors.
     */
    static final class ForUsage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String command = cl.getCommandSpec().qualifiedName();
            err.println("dendrite: " + firstLine(describe(ex)) + didYouMean(ex) + " (see '" + command + " --help')");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        }
    }
}
