package dendrite.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --out} and {@code --force} options and the rule that goes with them: no existing
 * file is overwritten unless the user says {@code --force}. Every file a command will write is
 * checked before any work starts, so a long training run never ends in "file exists".
 */
final class OutputFolder {

    @Option(names = {"-o", "--out"}, paramLabel = "<folder>",
            description = "Folder for the files written, created if needed (default: runs/<dataset>-<date>-<time>).")
    String out;

    @Option(names = {"-f", "--force"}, description = "Overwrite files that already exist in the output folder.")
    boolean force;

    /**
     * The output folder ({@code --out}, else {@code defaultFolder}), after checking that none of
     * {@code fileNames} is already there (unless {@code --force}). It is not created yet, so that a
     * run that fails leaves no empty folder behind: see {@link #create}.
     *
     * @throws BadInputException naming the first file in the way, or a path that is not a folder
     */
    Path prepare(String defaultFolder, List<String> fileNames) {
        Path folder = Path.of(out != null ? out : defaultFolder);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new BadInputException("output folder " + folder + " is a file, not a folder");
        }
        if (!force) {
            for (String name : fileNames) {
                Path f = folder.resolve(name);
                if (Files.exists(f)) {
                    throw new BadInputException(f + " already exists: pass --force to overwrite it, or --out <folder>");
                }
            }
        }
        return folder;
    }

    /** Creates the folder {@link #prepare} returned, when there is something to write into it. */
    static Path create(Path folder) throws IOException {
        return Files.createDirectories(folder);
    }

    /** Refuses one output file (not in a folder of ours) that exists, unless {@code --force}. */
    static void checkWritable(Path file, boolean force) {
        if (!force && Files.exists(file)) {
            throw new BadInputException(file + " already exists: pass --force to overwrite it");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + " is a folder, not a file");
        }
    }
}
