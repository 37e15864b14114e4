package dendrite.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The model file of {@code summary} and {@code gradcheck}, as a mixin: an argument, or
 * {@code --model <file>} as {@code eval} and {@code predict} take it.
 */
final class ModelArgument {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<model>", description = "A model file (.safetensors).")
    Path argument;

    @Option(names = "--model", paramLabel = "<file>", description = "The model file, as eval and predict take it.")
    Path option;

    /** The file given, either way. */
    Path file() {
        if (argument != null && option != null && !argument.equals(option)) {
            throw new BadInputException("two model files given (" + argument + " and --model " + option + "); give one");
        }
        Path p = argument != null ? argument : option;
        if (p == null) {
            throw new BadInputException("no model file given: pass it as an argument or with --model <file>");
        }
        return p;
    }
}
