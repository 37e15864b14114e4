package dendrite.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: stack traces on errors and the backend selection log. Read by
 * {@link OneLineErrors} and {@link Main} from the arguments; the field is here for the help text.
 */
final class Verbosity {
    @Option(names = "--verbose", description = "Show stack traces on errors and the backend selection log.")
    boolean verbose;
}
