package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's promise that a crash never loses a saved model: a child JVM saving two models in
 * turn to one file is killed with SIGKILL while a save is under way; the file left behind must
 * always load and be exactly one of the two models.
 *
 * <p>The kill is aimed inside a save: the child prints a marker right before each save and the
 * duration of each save after it (a few tens of milliseconds: see {@link CrashSafetyChild#model}),
 * and the parent kills at a random moment within the next save's expected duration. So that the
 * test cannot pass without testing anything, it also checks that most kills really landed while
 * the new file was being written: such a kill leaves {@link AtomicFile}'s temporary file behind,
 * which nothing else does.
 */
class CrashSafetyTest {
    /** Kills, one child JVM each: enough to hit different parts of a save, few enough for about 5 s. */
    private static final int KILLS = 10;
    /** Saves the child completes before the aimed one: the first ones are slow while the JIT warms up. */
    private static final int WARM_UP_SAVES = 3;
    /**
     * Kills land in the first 70% of a save: its last part is syncing the folder after the rename
     * (measured: a kill more than about 60% into a save often finds the rename done), which is
     * worth hitting now and then, but not most of the time.
     */
    private static final double AIM = 0.7;

    @TempDir
    Path dir;

    @Test
    void aProcessKilledWhileSavingLeavesTheOldOrTheNewModel() throws Exception {
        Backend be = Backends.get("scalar");
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        float[] a = CrashSafetyChild.model(be, 1).predict(x, 1);
        float[] b = CrashSafetyChild.model(be, 2).predict(x, 1);
        Path file = dir.resolve("model.safetensors");
        long seed = System.nanoTime(); // new moments each run; the seed is in every failure message
        Random random = new Random(seed);
        int midWrite = 0;
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < KILLS; round++) {
            String kill = killDuringASave(file, random);
            Sequential survivor = load(file, be, "seed " + seed + ", round " + round + " (" + kill + ")");
            float[] y = survivor.predict(x, 1);
            assertTrue(Arrays.equals(y, a) || Arrays.equals(y, b),
                    "seed " + seed + ", round " + round + " (" + kill + "): the file holds neither model");
            long leftBehind = deleteTemporaryFiles();
            assertTrue(leftBehind <= 1, "round " + round + ": one save leaves at most one temporary file");
            midWrite += (int) leftBehind;
            rounds.add(kill + (leftBehind > 0 ? ", mid-write" : ""));
        }
        // Measured: 9 or 10 kills of 10 land mid-write; fewer than half means the aim is off and the
        // rounds above tested little.
        assertTrue(midWrite >= KILLS / 2, "seed " + seed + ": " + midWrite + " of " + KILLS
                + " kills landed while the file was written: " + rounds);
    }

    /** The model in {@code file}, or a failure saying which kill left it unreadable. */
    private static Sequential load(Path file, Backend be, String when) {
        try {
            return ModelFile.load(file, be);
        } catch (IOException | RuntimeException e) {
            return fail(when + ": the file left behind does not load: " + e, e);
        }
    }

    /**
     * Starts a child, lets it finish {@value #WARM_UP_SAVES} saves, then kills it at a random
     * moment within the first {@link #AIM} part of the last save's duration after it announced the
     * next one. Says when it killed.
     */
    private String killDuringASave(Path file, Random random) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashSafetyChild.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BlockingQueue<String> lines = lines(child);
            List<String> other = new ArrayList<>();
            long lastSaveNanos = 0;
            for (int saved = 0; saved < WARM_UP_SAVES; ) {
                String line = next(child, lines, other);
                if (line.startsWith(CrashSafetyChild.SAVED)) {
                    lastSaveNanos = Long.parseLong(line.split(" ")[2]);
                    saved++;
                }
            }
            while (!next(child, lines, other).startsWith(CrashSafetyChild.SAVING)) {
                // skip to the marker of the next save
            }
            long delay = (long) (lastSaveNanos * AIM * random.nextDouble());
            LockSupport.parkNanos(delay);
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
            return String.format("killed %.1f ms into a save of about %.1f ms", delay / 1e6, lastSaveNanos / 1e6);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child's output, line by line, read on a daemon thread so a full pipe never blocks it. */
    private static BlockingQueue<String> lines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // The child was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /**
     * The child's next marker line. Other lines (the JVM's warnings) are kept to explain a child
     * that exits or falls silent.
     */
    private static String next(Process child, BlockingQueue<String> lines, List<String> other)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!child.isAlive() && lines.isEmpty()) {
                    fail("the child exited (" + child.exitValue() + ") before it was killed:\n"
                            + String.join("\n", other));
                }
            } else if (line.startsWith(CrashSafetyChild.SAVING) || line.startsWith(CrashSafetyChild.SAVED)) {
                return line;
            } else {
                other.add(line);
            }
        }
        return fail("the child printed no marker for 60 s:\n" + String.join("\n", other));
    }

    /** Deletes the temporary files killed saves left in {@link #dir}, and counts them. */
    private long deleteTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            for (Path p : tmp) {
                Files.delete(p);
            }
            return tmp.size();
        }
    }
}
