package dendrite.cli;

import java.nio.file.Path;

/** The model file of {@code summary} and {@code gradcheck}: an argument, or {@code --model} as {@code eval} and {@code predict} take it. */
final class ModelArgument {
    private ModelArgument() {
    }

    static Path choose(Path argument, Path option) {
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
