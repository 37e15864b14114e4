package dendrite.nn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.data.DatasetFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** A 2 x 3 x 2 image stack with values 0, 20, 40, ... (as bytes, 240 reads back as unsigned). */
    private static IdxArray images() {
        int[] v = new int[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 20;
        }
        return IdxArray.ofUnsignedBytes(new int[] {2, 3, 2}, v);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unsignedBytesRoundTrip(boolean gzip) throws IOException {
        Path f = dir.resolve(gzip ? "images.gz" : "images");
        IdxWriter.write(images(), f, gzip);
        IdxArray back = IdxReader.read(f);
        assertEquals(IdxType.UNSIGNED_BYTE, back.type());
        assertArrayEquals(new int[] {2, 3, 2}, back.dims());
        assertEquals(220f, back.get(11)); // above 127: read unsigned
        float[] scaled = back.toFloats(1 / 255f);
        assertEquals(220 / 255f, scaled[11], 1e-7);
        if (!gzip) {
            assertEquals(4 + 3 * 4 + 12, Files.size(f)); // magic, three sizes, twelve pixels
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void intsAndFloatsRoundTrip(boolean gzip) throws IOException {
        Path ints = dir.resolve("ints");
        IdxWriter.write(IdxArray.ofInts(new int[] {3}, new int[] {-7, 0, 1 << 30}), ints, gzip);
        assertArrayEquals(new int[] {-7, 0, 1 << 30}, IdxReader.read(ints).toInts());
        Path floats = dir.resolve("floats");
        IdxWriter.write(IdxArray.ofFloats(new int[] {2, 2}, new float[] {1.5f, -2f, 0f, 3.25f}), floats, gzip);
        IdxArray f = IdxReader.read(floats);
        assertEquals(IdxType.FLOAT, f.type());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f}, f.toFloats(1f));
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        Path f = dir.resolve("images-idx3-ubyte"); // no .gz, yet compressed
        IdxWriter.write(images(), f, true);
        assertArrayEquals(new int[] {2, 3, 2}, IdxReader.read(f).dims());
    }

    @Test
    void wrongMagicIsRefusedAtOffsetZero() throws IOException {
        byte[] b = bytes(images());
        b[0] = 0x12;
        DatasetFormatException e = refused(b, "bad-magic");
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void unknownDataTypeIsRefusedAtOffsetTwo() throws IOException {
        byte[] b = bytes(images());
        b[2] = 0x0A;
        DatasetFormatException e = refused(b, "bad-type");
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("0x0a"), e.getMessage());
    }

    @Test
    void truncatedPayloadIsRefusedWithTheOffsetWhereDataEnds() throws IOException {
        byte[] full = bytes(images());
        DatasetFormatException e = refused(Arrays.copyOf(full, full.length - 5), "short");
        assertEquals(full.length - 5, e.offset());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRefused() throws IOException {
        DatasetFormatException e = refused(Arrays.copyOf(bytes(images()), 9), "short-header");
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        assertEquals(9, e.offset());
    }

    @Test
    void truncatedGzipFileIsRefusedWithItsName() throws IOException {
        Path f = dir.resolve("cut.gz");
        IdxWriter.write(images(), f, true);
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(gz, gz.length - 12));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(f));
        assertEquals(f.toString(), e.file());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void extraBytesAfterThePayloadAreRefused() throws IOException {
        byte[] full = bytes(images());
        DatasetFormatException e = refused(Arrays.copyOf(full, full.length + 3), "long");
        assertEquals(full.length, e.offset());
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeAllocating() throws IOException {
        // 16 bytes claiming 65536 x 65536 = 2^32 items: more than any Java array holds.
        ByteBuffer b = ByteBuffer.allocate(16).put(new byte[] {0, 0, 0x08, 2}).putInt(65536).putInt(65536);
        DatasetFormatException e = refused(b.array(), "huge");
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("most a Java array can hold"), e.getMessage());
    }

    @Test
    void largeDeclaredSizeWithLittleDataIsATruncationNotAnOutOfMemoryError() throws IOException {
        // 2^31 - 9 doubles would not fit; 2e9 bytes would, but the file holds 4: the buffer grows only with data.
        ByteBuffer b = ByteBuffer.allocate(12).put(new byte[] {0, 0, 0x08, 1}).putInt(2_000_000_000);
        DatasetFormatException e = refused(Arrays.copyOf(b.array(), 16), "big");
        if (5L * 2_000_000_000 > Runtime.getRuntime().maxMemory()) {
            // with its floats it cannot fit this heap: refused at the header, before any payload is read
            assertEquals(8, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains("more than this JVM may use"), e.getMessage());
        } else {
            assertEquals(16, e.offset());
        }
        ByteBuffer d = ByteBuffer.allocate(8).put(new byte[] {0, 0, 0x0E, 1}).putInt(Integer.MAX_VALUE / 4);
        assertEquals(4, refused(d.array(), "doubles").offset());
    }

    @Test
    void negativeDimensionIsRefused() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).put(new byte[] {0, 0, 0x08, 1}).putInt(-1);
        DatasetFormatException e = refused(b.array(), "negative");
        assertEquals(4, e.offset());
    }

    @Test
    void zeroDimensionCountIsRefused() throws IOException {
        assertEquals(3, refused(new byte[] {0, 0, 0x08, 0}, "scalar").offset());
    }

    @Test
    void corruptGzipStreamIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            IdxWriter.write(images(), gz);
        }
        byte[] b = out.toByteArray();
        for (int i = 10; i < b.length - 8; i++) {
            b[i] ^= 0x5A;
        }
        refused(b, "scrambled.gz");
    }

    private static byte[] bytes(IdxArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.write(a, out);
        return out.toByteArray();
    }

    private static DatasetFormatException refused(byte[] data, String name) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(data), name));
        assertEquals(name, e.file());
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        return e;
    }

    @Test
    void aZeroDimensionIsRefusedNamingTheFileAndTheDimension(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("zero.idx");
        // unsigned bytes, 3 dimensions: 2 x 0 x 5
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 5});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(f));
        assertEquals(f.toString(), e.file());
        assertEquals(8, e.offset(), "where the zero is");
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("dimension 1 of 3 is 0"),
                e.getMessage());
    }

    @Test
    void gzipWithGarbageAfterItIsRefusedAndTwoMembersAreRead(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole.gz");
        IdxWriter.write(images(), whole, true);
        byte[] gz = Files.readAllBytes(whole);
        Path garbage = dir.resolve("garbage.gz");
        Files.write(garbage, java.util.Arrays.copyOf(gz, gz.length + 5));     // five zero bytes appended
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(garbage));
        assertEquals(garbage.toString(), e.file());
        assertTrue(e.getMessage().contains("unexpected data after the end of the gzip data at byte offset " + gz.length),
                e.getMessage());

        // RFC 1952 allows concatenated members: the payload split over two is one file.
        byte[] raw = new byte[0];
        try (java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream()) {
            IdxWriter.write(images(), b);
            raw = b.toByteArray();
        }
        java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
        for (byte[] part : new byte[][] {java.util.Arrays.copyOf(raw, 10), java.util.Arrays.copyOfRange(raw, 10, raw.length)}) {
            try (GZIPOutputStream z = new GZIPOutputStream(two) {
                @Override
                public void close() throws IOException {
                    finish();      // keep the shared stream open for the next member
                }
            }) {
                z.write(part);
            }
        }
        Path members = dir.resolve("two-members.gz");
        Files.write(members, two.toByteArray());
        assertArrayEquals(images().dims(), IdxReader.read(members).dims());
    }
}
