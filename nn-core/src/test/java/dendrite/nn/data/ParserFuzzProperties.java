package dendrite.nn.data;

import dendrite.nn.internal.IdxReader;
import dendrite.nn.internal.IdxWriter;
import dendrite.nn.internal.IdxArray;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Issue 8's parser promise for IDX and CSV: fed random and mutated bytes, a reader either
 * returns a dataset or throws {@link DatasetFormatException} whose message starts with the
 * source name. Any other exception, an {@link OutOfMemoryError} or a slow case breaks it.
 */
class ParserFuzzProperties {
    private static final String SOURCE = "fuzzed-file";

    /** How a valid file is damaged. */
    enum Mutation {
        TRUNCATE, FLIP_BYTES, HUGE_DIMENSION, WRONG_MAGIC, WRONG_TYPE, APPEND_GARBAGE, RANDOM_BYTES, GZIP_THEN_DAMAGE
    }

    @Property(tries = 1500)
    void idxReaderReadsOrRefusesWithTheDocumentedException(@ForAll Mutation mutation, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] bytes = mutateIdx(validIdx(rnd), mutation, rnd);
        check(mutation, () -> IdxReader.read(new ByteArrayInputStream(bytes), SOURCE));
    }

    @Property(tries = 1500)
    void csvReaderReadsOrRefusesWithTheDocumentedException(@ForAll Mutation mutation, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] bytes = mutateCsv(validCsv(rnd), mutation, rnd);
        CsvReader reader = switch (rnd.nextInt(3)) {
            case 0 -> new CsvReader().label("label");
            case 1 -> new CsvReader().regressionTargets(1);
            default -> new CsvReader().header(false).oneHotLabels(0, 1);
        };
        check(mutation, () -> reader.read(new ByteArrayInputStream(bytes), SOURCE, "fuzz"));
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static void check(Mutation mutation, Read read) {
        long start = System.nanoTime();
        try {
            read.run();
        } catch (DatasetFormatException e) {
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
            assertTrue(e.file().equals(SOURCE), e.file());
        } catch (Throwable other) { // an OutOfMemoryError or any undocumented exception breaks the promise
            fail(mutation + " made the reader throw " + other, other);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, mutation + " took " + millis + " ms");
    }

    /** A small valid IDX file of a random type and shape. */
    private static byte[] validIdx(Random rnd) {
        int[] dims = new int[1 + rnd.nextInt(3)];
        int n = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = 1 + rnd.nextInt(5);
            n *= dims[i];
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(256);
        }
        IdxArray a = switch (rnd.nextInt(3)) {
            case 0 -> IdxArray.ofUnsignedBytes(dims, v);
            case 1 -> IdxArray.ofInts(dims, v);
            default -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = v[i] / 3f;
                }
                yield IdxArray.ofFloats(dims, f);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            IdxWriter.write(a, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] mutateIdx(byte[] b, Mutation m, Random rnd) {
        return switch (m) {
            case TRUNCATE -> Arrays.copyOf(b, rnd.nextInt(b.length));
            case FLIP_BYTES -> flip(b, rnd);
            case HUGE_DIMENSION -> {
                int ndims = b[3];
                byte[] c = b.clone();
                int at = 4 + 4 * rnd.nextInt(ndims);
                ByteBuffer.wrap(c).putInt(at, rnd.nextBoolean() ? Integer.MAX_VALUE - rnd.nextInt(1000) : rnd.nextInt());
                yield c;
            }
            case WRONG_MAGIC -> {
                byte[] c = b.clone();
                c[rnd.nextInt(2)] = (byte) (1 + rnd.nextInt(255));
                yield c;
            }
            case WRONG_TYPE -> {
                byte[] c = b.clone();
                c[2 + rnd.nextInt(2)] = (byte) rnd.nextInt(256);
                yield c;
            }
            case APPEND_GARBAGE -> append(b, rnd);
            case RANDOM_BYTES -> random(rnd);
            case GZIP_THEN_DAMAGE -> gzipDamaged(b, rnd);
        };
    }

    private static byte[] validCsv(Random rnd) {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        int rows = 1 + rnd.nextInt(6);
        for (int r = 0; r < rows; r++) {
            int hot = rnd.nextInt(2);
            sb.append(hot).append(',').append(1 - hot).append(',').append(rnd.nextBoolean() ? "\"cat, big\"" : "dog");
            sb.append(rnd.nextBoolean() ? "\n" : "\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutateCsv(byte[] b, Mutation m, Random rnd) {
        return switch (m) {
            case TRUNCATE -> Arrays.copyOf(b, rnd.nextInt(b.length));
            case FLIP_BYTES -> flip(b, rnd);
            case HUGE_DIMENSION -> insert(b, rnd, ("9".repeat(1 + rnd.nextInt(400)) + (rnd.nextBoolean() ? "e999" : ""))
                    .getBytes(StandardCharsets.US_ASCII));
            case WRONG_MAGIC -> insert(b, rnd, new byte[] {'"'});
            case WRONG_TYPE -> insert(b, rnd, new String[] {"NaN", "-Infinity", "x", ",", "\n", "\"\"", "1f", "\uFFFD"}
                    [rnd.nextInt(8)].getBytes(StandardCharsets.UTF_8));
            case APPEND_GARBAGE -> append(b, rnd);
            case RANDOM_BYTES -> random(rnd);
            case GZIP_THEN_DAMAGE -> gzipDamaged(b, rnd);
        };
    }

    private static byte[] flip(byte[] b, Random rnd) {
        byte[] c = b.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int i = 0; i < flips && c.length > 0; i++) {
            c[rnd.nextInt(c.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
        return c;
    }

    private static byte[] insert(byte[] b, Random rnd, byte[] what) {
        int at = rnd.nextInt(b.length + 1);
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static byte[] append(byte[] b, Random rnd) {
        byte[] extra = new byte[1 + rnd.nextInt(16)];
        rnd.nextBytes(extra);
        byte[] c = Arrays.copyOf(b, b.length + extra.length);
        System.arraycopy(extra, 0, c, b.length, extra.length);
        return c;
    }

    private static byte[] random(Random rnd) {
        byte[] c = new byte[rnd.nextInt(64)];
        rnd.nextBytes(c);
        if (c.length > 4 && rnd.nextBoolean()) {
            c[0] = 0; // a plausible IDX start, so the header checks run on garbage
            c[1] = 0;
        }
        return c;
    }

    private static byte[] gzipDamaged(byte[] b, Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] z = out.toByteArray();
        return rnd.nextBoolean() ? Arrays.copyOf(z, 2 + rnd.nextInt(z.length - 2)) : flipAfterMagic(z, rnd);
    }

    private static byte[] flipAfterMagic(byte[] z, Random rnd) {
        byte[] c = z.clone();
        c[2 + rnd.nextInt(c.length - 2)] ^= (byte) (1 + rnd.nextInt(255));
        return c;
    }
}
