package dendrite.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files too large for the heap, decompression bombs among them, are refused in one line naming the
 * file and the size, before they are inflated: never an OutOfMemoryError. Run in a child JVM with a
 * 64 MB heap, so that small files stand in for huge ones.
 */
class LargeInputTest {
    @TempDir
    Path dir;

    private static String load(String kind, Path file) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LoadInSmallHeapChild.class.getName(), kind, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aGzipCsvThatInflatesBeyondTheHeapIsRefusedInOneLine() throws Exception {
        Path f = dir.resolve("bomb.csv.gz");
        byte[] row = "1.5,2.5,3.5,4.5,0\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("a,b,c,d,y\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 3_000_000; i++) {     // 54 MB of text, far more than a 64 MB heap can parse
                out.write(row);
            }
        }
        assertTrue(Files.size(f) < 1_000_000, "a small file");
        String out = load("csv", f);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        assertTrue(out.startsWith("refused: " + f) && out.contains("MiB of CSV text") && out.contains("-Xmx"), out);
    }

    @Test
    void anIdxFileDeclaringMoreThanTheHeapIsRefusedBeforeItsPayloadIsRead() throws Exception {
        Path f = dir.resolve("bomb-idx3-ubyte");
        // unsigned bytes [2, 4096, 4096]: 33.5 M values, 168 MB with their floats; the payload is absent
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 16, 0, 0, 0, 16, 0});
        String out = load("idx", f);
        assertTrue(out.startsWith("refused: " + f) && out.contains("more than this JVM may use"), out);
    }

    @Test
    void aFileThatFitsStillLoads() throws Exception {
        Path f = dir.resolve("small.csv");
        Files.writeString(f, "a,y\n1,0\n2,1\n3,0\n");
        assertEquals("loaded 3 rows", load("csv", f).trim());
    }
}
