package dendrite.cli;

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
     * Claims the output folder for a run ({@link RunFolder}): {@code --out}, after checking that none
     * of {@code fileNames} is there (unless {@code --force}), with the folder locked first so that no
     * other run can write them meanwhile; else {@code defaultFolder}, or {@code defaultFolder-2},
     * {@code -3}, ... when another run took that name in the same second.
     *
     * @throws BadInputException naming the file in the way, the run holding the folder, or what cannot be written
     */
    RunFolder claim(String defaultFolder, List<String> fileNames) {
        if (out != null) {
            Path folder = Path.of(out);
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new BadInputException("output folder " + folder + " is a file, not a folder");
            }
            RunFolder run = RunFolder.claim(folder);
            try {
                prepare(out, fileNames);
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
            return run;
        }
        for (int i = 1; ; i++) {
            Path folder = Path.of(i == 1 ? defaultFolder : defaultFolder + "-" + i);
            if (Files.exists(folder)) {
                continue;
            }
            RunFolder run;
            try {
                run = RunFolder.claim(folder);
            } catch (BadInputException e) {
                if (i >= 20) {
                    throw e;
                }
                continue;
            }
            if (!Files.exists(folder)) {
                return run;
            }
            run.close();
        }
    }

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
