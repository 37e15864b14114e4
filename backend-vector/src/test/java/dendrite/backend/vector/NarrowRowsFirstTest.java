package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process that runs softmax on rows narrower than a vector first (a 3-class model) and then on wide
 * ones (10 classes with 256-bit vectors) allocates nothing in a steady wide call; so do log-softmax
 * and argmax. Before they kept narrow rows apart, C2 compiled their vector loops from a profile that
 * had never run them and kept that boxing form for good, in every later training step (CHANGELOG.md
 * has the sizes). A JVM of its own ({@link NarrowRowsFirstMain}), since the order in which this JVM's
 * other tests ran the kernels decides what C2 compiled, and with {@code -Xbatch}: compiled in the
 * background, the old kernels boxed in about half the runs (when the narrow form's compilation
 * finished before the wide rows came), compiled as the calls reach the thresholds, in every run.
 *
 * <p>GELU's tanh form took its derivative from helpers taking vectors; after 64 x 3 tensors, C2 left
 * them out of line for good and boxed every vector; it now runs in passes over arrays
 * ({@link VectorGeluTanh}). Layer normalization allocated on every call in any order (its checks made
 * an array of the operands); it is here as one more kernel a training step calls.
 */
class NarrowRowsFirstTest {
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "logSoftmax", "argmax", "geluTanhBackward", "layerNorm"})
    void wideRowsAllocateNothingAfterNarrowRowsWereCompiled(String kernel) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xbatch", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), NarrowRowsFirstMain.class.getName(), kernel))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(kernel + ": rows of"), out);
    }
}
