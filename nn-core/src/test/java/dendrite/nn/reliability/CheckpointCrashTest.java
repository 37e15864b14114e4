package dendrite.nn.reliability;

import dendrite.nn.Sequential;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: a crash never loses a saved model, for checkpoints during training too. A child JVM
 * training with a checkpoint after every epoch is killed with SIGKILL at random moments; the
 * checkpoint left behind must always restore, and hold exactly the weights, optimizer state and
 * step the child had at one of the epochs it saved. ({@code dendrite.nn.io.CrashSafetyTest} does
 * the same for {@code ModelFile.save}.)
 */
class CheckpointCrashTest {
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void aTrainingProcessKilledWhileCheckpointingLeavesAWholeCheckpoint() throws Exception {
        Path file = dir.resolve("run.ckpt.safetensors");
        // Training on backend-scalar repeats bit for bit, so every child prints the same fingerprint for an epoch.
        Map<Integer, Long> fingerprintByEpoch = new ConcurrentHashMap<>();
        Random random = new Random(7);
        Backend be = Backends.get("scalar");
        for (int round = 0; round < KILLS; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CheckpointCrashChild.class.getName(),
                    file.toString())
                    .redirectErrorStream(true)
                    .start();
            Thread reader;
            try {
                CountDownLatch firstSave = new CountDownLatch(1);
                reader = readLines(child, fingerprintByEpoch, firstSave);
                assertTrue(firstSave.await(60, TimeUnit.SECONDS), "round " + round + ": the child never saved");
                Thread.sleep(random.nextInt(150));       // the child mostly saves, so this lands mid-save often
            } finally {
                child.destroyForcibly();                 // SIGKILL on Unix: no shutdown hooks, no finally blocks
                child.waitFor(30, TimeUnit.SECONDS);
            }
            reader.join(10_000);                         // every line the child printed before it died

            Sequential model = CheckpointCrashChild.model(be);
            Optimizer optimizer = CheckpointCrashChild.optimizer();
            CheckpointFile.Progress p = CheckpointFile.restore(file, model, optimizer);
            Long expected = fingerprintByEpoch.get(p.epochsCompleted());
            assertNotNull(expected, "round " + round + ": the checkpoint says " + p.epochsCompleted()
                    + " epochs, which the child never saved; it saved " + fingerprintByEpoch.keySet());
            assertEquals(expected, CheckpointCrashChild.fingerprint(model, optimizer),
                    "round " + round + ": the checkpoint of epoch " + p.epochsCompleted() + " holds other values");
            assertEquals(p.epochsCompleted(), p.step(), "one step per epoch");
        }
    }

    /** Collects {@code saving <epoch> <fingerprint>} lines; counts down at the first {@code saved}. */
    private static Thread readLines(Process child, Map<Integer, Long> fingerprints, CountDownLatch firstSave) {
        Thread t = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    String[] words = line.split(" ");
                    if (words.length == 3 && words[0].equals("saving")) {
                        try {
                            // A line cut short by the kill belongs to a save that never began; a later
                            // child's whole line for that epoch replaces it.
                            fingerprints.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
                        } catch (NumberFormatException cutShort) {
                            // nothing to record
                        }
                    } else if (words[0].equals("saved")) {
                        firstSave.countDown();
                    }
                }
            } catch (IOException ignored) {
                // The child was killed mid-line.
            }
        }, "checkpoint-child-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
