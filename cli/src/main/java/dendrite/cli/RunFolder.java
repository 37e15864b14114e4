package dendrite.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The output folder of one {@code train} run, claimed when the run starts and filled all at once
 * when it ends.
 *
 * <ul>
 *   <li><b>One run per folder.</b> A lock file beside the folder ({@code .<name>.lock}) is created
 *       exclusively before training: a second run into the same folder is refused at once, in one
 *       line, instead of both writing there. A folder that cannot be written is found here too,
 *       before any training.</li>
 *   <li><b>All or nothing.</b> Files are written into a staging folder beside it
 *       ({@code .<name>.partial-<pid>}) and moved into place, each by an atomic rename, when the
 *       run has written them all. A run stopped with Ctrl-C or SIGTERM removes its staging folder
 *       and lock on the way out; one killed outright leaves them, clearly named, and no half-written
 *       file in the output folder.</li>
 * </ul>
 */
final class RunFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final Path lock;
    private final Thread cleanupOnSignal;

    private RunFolder(Path target, Path staging, Path lock) {
        this.target = target;
        this.staging = staging;
        this.lock = lock;
        this.cleanupOnSignal = new Thread(this::discard, "dendrite-run-folder-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnSignal);
    }

    /**
     * Claims {@code target} for this run.
     *
     * @throws BadInputException when another run holds it, or its parent cannot be written
     */
    static RunFolder claim(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String name = absolute.getFileName().toString();
        Path lock = parent.resolve("." + name + ".lock");
        try {
            Files.createDirectories(parent);
            Files.writeString(lock, "pid " + ProcessHandle.current().pid() + ", started " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("another run is writing into " + target + " (" + readQuietly(lock).trim()
                    + "); wait for it, choose another --out, or delete " + lock + " if no run is");
        } catch (IOException e) {
            throw new BadInputException("cannot write the output folder " + target + ": " + describe(e));
        }
        Path staging = parent.resolve("." + name + ".partial-" + ProcessHandle.current().pid());
        try {
            deleteTree(staging);
            Files.createDirectory(staging);
        } catch (IOException e) {
            deleteQuietly(lock);
            throw new BadInputException("cannot write the output folder " + target + ": " + describe(e));
        }
        return new RunFolder(target, staging, lock);
    }

    /** The output folder this run fills. */
    Path target() {
        return target;
    }

    /** Where to write {@code name}: in the staging folder until {@link #commit}. */
    Path file(String name) {
        return staging.resolve(name);
    }

    /** Moves every written file into the output folder, each by an atomic rename, then releases it. */
    void commit() throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.sorted().toList()) {
                Path to = target.resolve(f.getFileName());
                try {
                    Files.move(f, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        discard();
        removeHook();
    }

    /** Drops what an unfinished run wrote; releases the folder. Idempotent. */
    @Override
    public void close() {
        discard();
        removeHook();
    }

    private synchronized void discard() {
        try {
            deleteTree(staging);
        } catch (IOException | UncheckedIOException e) {
            // leave it: its name says what it is
        }
        deleteQuietly(lock);
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "lock " + p;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase()
                + (m == null ? "" : " " + m);
    }
}
