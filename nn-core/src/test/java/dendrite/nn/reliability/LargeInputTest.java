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
        return load(kind, file, "-Xmx64m");
    }

    private static String load(String kind, Path file, String heap) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
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
        assertTrue(out.startsWith("refused: " + f) && out.contains("MiB of heap") && out.contains("-Xmx"), out);
    }

    @Test
    void anIdxFileDeclaringMoreThanTheHeapIsRefusedBeforeItsPayloadIsRead() throws Exception {
        Path f = dir.resolve("bomb-idx3-ubyte");
        // unsigned bytes [2, 4096, 4096]: 33.5 M values, 168 MB with their floats; the payload is absent
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 16, 0, 0, 0, 16, 0});
        String out = load("idx", f);
        assertTrue(out.startsWith("refused: " + f) && out.contains("more than this JVM may use"), out);
    }

    /**
     * The memory target: 200 MB of numbers (100 columns, 224,000 rows) load with the JVM's
     * default heap settings in under 1 GB of resident memory, since the text streams through the
     * parser and each value is kept as a float (4 bytes): a peak around 470 MB here, where parsing
     * the whole text at once peaked at 2.2 GB.
     */
    @Test
    void aNumericCsvOf200MegabytesLoadsInUnderAGigabyteOfMemory() throws Exception {
        Path f = dir.resolve("big.csv");
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        byte[][] values = new byte[4096][];
        for (int i = 0; i < values.length; i++) {
            values[i] = String.format(java.util.Locale.ROOT, "%.6f,", r.nextDouble()).getBytes(StandardCharsets.US_ASCII);
        }
        long size = 0;
        int rows = 0;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            StringBuilder header = new StringBuilder();
            for (int c = 0; c < 99; c++) {
                header.append('f').append(c).append(',');
            }
            out.write(header.append("y\n").toString().getBytes(StandardCharsets.US_ASCII));
            while (size < 200_000_000L) {
                for (int c = 0; c < 99; c++) {
                    byte[] v = values[(rows * 7 + c * 13) & 4095];
                    out.write(v);
                    size += v.length;
                }
                out.write('0' + rows % 10);
                out.write('\n');
                size += 2;
                rows++;
            }
        }
        String out = load("csv-rss", f, "-XX:+UseG1GC").trim();
        assertTrue(out.startsWith("loaded " + rows + " rows, peak "), out);
        long peakKb = Long.parseLong(out.replaceAll(".*peak (\\d+) kB", "$1"));
        assertTrue(peakKb < 1_000_000, "peak resident memory " + peakKb / 1024 + " MiB loading " + size / 1_000_000
                + " MB of CSV");
    }

    @Test
    void aFileThatFitsStillLoads() throws Exception {
        Path f = dir.resolve("small.csv");
        Files.writeString(f, "a,y\n1,0\n2,1\n3,0\n");
        assertEquals("loaded 3 rows", load("csv", f).trim());
    }
}
