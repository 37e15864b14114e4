package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exp-based kernels give the same bits interpreted and compiled: a run's results must not depend
 * on when the JIT compiles them. (With the Vector API's own EXP, the interpreter's Math.exp and C2's
 * SVML differed in the last bit, and so did two training runs with the same seed; with its TANH, a
 * saved model's predictions differed from the live model's in one value of 60.)
 */
class SameBitsTest {
    @Test
    void expBasedKernelsGiveTheSameBitsInTheInterpreterAndAfterC2() throws IOException, InterruptedException {
        String[] compiled;
        try (Backend be = Backend.of(new VectorKernels(1))) {
            // Enough calls for C2 to compile the kernels (about 10,000 invocations of a hot method).
            for (int i = 0; i < 30_000; i++) {
                SameBitsKernelsMain.results(be);
            }
            compiled = SameBitsKernelsMain.results(be);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), SameBitsKernelsMain.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the interpreter-only JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> interpreted = out.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(compiled.length, interpreted.size(), out);
        for (int k = 0; k < compiled.length; k++) {
            String[] c = compiled[k].split(" ");
            String[] in = interpreted.get(k).split(" ");
            assertEquals(c.length, in.length, c[0] + ": the interpreter gave another number of values");
            for (int i = 1; i < c.length; i++) {
                assertEquals(c[i], in[i], c[0] + ", value " + (i - 1) + ": the interpreter's bits differ from C2's");
            }
        }
    }
}
