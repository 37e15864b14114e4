package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's promise that a crash never loses a saved model: a child JVM saving in a loop is
 * killed with SIGKILL at random moments; the file left behind must always load and be exactly
 * one of the two models the child was saving.
 */
class CrashSafetyTest {
    private static final int KILLS = 4;

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
        Random random = new Random(42);
        for (int round = 0; round < KILLS; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashSafetyChild.class.getName(), file.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                awaitFirstSave(child);
                Thread.sleep(random.nextInt(150));   // lands mid-save most of the time: the child does nothing else
            } finally {
                child.destroyForcibly();   // SIGKILL on Unix: no shutdown hooks, no finally blocks
                child.waitFor(30, TimeUnit.SECONDS);
            }
            Sequential survivor = ModelFile.load(file, be);
            float[] y = survivor.predict(x, 1);
            assertTrue(Arrays.equals(y, a) || Arrays.equals(y, b), "round " + round + ": the file holds neither model");
        }
    }

    private static void awaitFirstSave(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                StringBuilder seen = new StringBuilder();
                while ((l = out.readLine()) != null) {
                    if (l.startsWith("saved")) {
                        return l;
                    }
                    seen.append(l).append('\n');
                }
                throw new IllegalStateException("child exited before saving:\n" + seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        line.get(60, TimeUnit.SECONDS);
        // Keep draining so a full pipe never blocks the child.
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // The child was killed.
            }
        });
        drain.setDaemon(true);
        drain.start();
    }
}
