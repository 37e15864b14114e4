package dendrite.cli;

import picocli.CommandLine.Option;

/**
 * {@code --delimiter}, for the commands that read a CSV: the UCI wine-quality files, for one, use
 * {@code ;}. A single character, or {@code tab}.
 */
final class CsvDelimiter {
    @Option(names = "--delimiter", paramLabel = "<char>",
            description = "CSV: the field separator, one character or 'tab' (default: ',').")
    String delimiter;

    /** The separator given, or null when none was. */
    Character given() {
        if (delimiter == null) {
            return null;
        }
        return parse(delimiter);
    }

    static char parse(String spec) {
        if (spec.equalsIgnoreCase("tab") || spec.equals("\\t")) {
            return '\t';
        }
        if (spec.length() != 1) {
            throw new BadInputException("--delimiter '" + spec + "': expected one character (such as ; or |) or 'tab'");
        }
        char c = spec.charAt(0);
        if (c == '"' || c == '\n' || c == '\r') {
            throw new BadInputException("--delimiter '" + spec + "': a quote or a line break cannot separate fields");
        }
        return c;
    }
}
