package dendrite.nn.io;

import static dendrite.nn.io.SafeTensorsBytes.f32;
import static dendrite.nn.io.SafeTensorsBytes.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** An entry's shape is a copy each time: changing it cannot change what the entry writes. */
    @Test
    void anEntrysShapeCannotBeChangedFromOutside() throws IOException {
        SafeTensors.Entry e = SafeTensors.Entry.of(NamedTensor.f32("w", new int[] {2, 3}, new float[6]));
        e.shape()[0] = 1;
        assertArrayEquals(new int[] {2, 3}, e.shape());
        SafeTensors.Contents back = SafeTensors.read(SafeTensors.toBytes(List.of(e), Map.of()), "mem");
        assertArrayEquals(new int[] {2, 3}, back.tensor("w").shape());
    }

    /**
     * 4 x 5 x 5581 x 8681 x 49477 x 384773 = 2^64 + 4, which a long product wraps to 4: four values
     * must not fill it, as a tensor or as an entry written to a file. A 0 among large dimensions is
     * still an empty tensor.
     */
    @Test
    void aShapeWhoseProductWrapsALongIsRefused() {
        int[] huge = {4, 5, 5581, 8681, 49477, 384773};
        IllegalArgumentException tensor = assertThrows(IllegalArgumentException.class,
                () -> NamedTensor.f32("w", huge, new float[4]));
        assertEquals("tensor \"w\": shape [4, 5, 5581, 8681, 49477, 384773] holds more values than an array can (at"
                + " most 2147483639)", tensor.getMessage());
        SafeTensors.Entry entry = new SafeTensors.Entry("w", DType.F32, huge, () -> new float[4]);
        IllegalArgumentException written = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(List.of(entry), Map.of()));
        assertEquals("safetensors: tensor \"w\" has shape [4, 5, 5581, 8681, 49477, 384773], more values than an array"
                + " can hold (at most 2147483639)", written.getMessage());
        assertEquals(0, NamedTensor.f32("e", new int[] {65536, 65536, 0}, new float[0]).values().length);
    }

    @Test
    void roundTripsEveryDtypeWithMetadata() throws IOException {
        List<NamedTensor> in = List.of(
                NamedTensor.f32("w", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f}),
                new NamedTensor("d", DType.F64, new int[] {2}, new float[] {0.1f, 1e30f}),
                new NamedTensor("h", DType.F16, new int[] {3}, new float[] {0.5f, -2f, 65504f}),
                new NamedTensor("b", DType.BF16, new int[] {2}, new float[] {1.5f, -256f}),
                new NamedTensor("n", DType.I64, new int[] {}, new float[] {42}),
                new NamedTensor("i", DType.I32, new int[] {2}, new float[] {-7, 1 << 20}),
                new NamedTensor("s", DType.I16, new int[] {1}, new float[] {-300}),
                new NamedTensor("c", DType.I8, new int[] {1}, new float[] {-5}),
                new NamedTensor("u", DType.U8, new int[] {1}, new float[] {200}),
                new NamedTensor("t", DType.BOOL, new int[] {2}, new float[] {1, 0}),
                NamedTensor.f32("empty", new int[] {0, 4}, new float[0]));
        Path f = dir.resolve("all.safetensors");
        SafeTensors.write(f, in.stream().map(SafeTensors.Entry::of).toList(), Map.of("format", "pt", "k", "v é"));

        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(Map.of("format", "pt", "k", "v é"), c.metadata());
        assertEquals(in.size(), c.tensors().size());
        for (NamedTensor t : in) {
            NamedTensor r = c.tensor(t.name());
            assertEquals(t.dtype(), r.dtype(), t.name());
            assertArrayEquals(t.shape(), r.shape(), t.name());
            assertArrayEquals(t.values(), r.values(), t.name());   // every value above is exact in its dtype
        }
        assertNull(c.tensor("missing"));
    }

    @Test
    void writesTheReferenceLayoutByteForByte() {
        byte[] bytes = SafeTensors.toBytes(List.of(SafeTensors.Entry.of(
                NamedTensor.f32("attn.0", new int[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}))), Map.of());
        String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, json.length(), "already a multiple of 8: no padding");
        assertArrayEquals(file(json, f32(0, 1, 2, 3, 4, 5)), bytes);
    }

    @Test
    void padsTheHeaderWithSpacesSoTheDataIs8ByteAligned() {
        byte[] bytes = SafeTensors.toBytes(List.of(SafeTensors.Entry.of(
                NamedTensor.f32("attn0", new int[] {1, 1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}))), Map.of());
        String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(65, json.length());
        // 65 bytes of JSON padded with 7 spaces to 72, so the data starts at 80 = 8 + 72.
        assertArrayEquals(file(json + "       ", f32(0, 1, 2, 3, 4, 5)), bytes);
    }

    @Test
    void writesAnEmptyFileAsTheReferenceDoes() {
        assertArrayEquals(file("{}      ", new byte[0]), SafeTensors.toBytes(List.of(), Map.of()));
    }

    @Test
    void ordersLargerDtypesFirstThenNamesInByteOrderWithMetadataFirst() throws IOException {
        byte[] bytes = SafeTensors.toBytes(List.of(
                SafeTensors.Entry.of(NamedTensor.f32("2.weight", new int[] {1}, new float[] {2})),
                SafeTensors.Entry.of(NamedTensor.f32("10.weight", new int[] {1}, new float[] {10})),
                SafeTensors.Entry.of(new NamedTensor("a.count", DType.I64, new int[] {}, new float[] {7})),
                SafeTensors.Entry.of(new NamedTensor("z.half", DType.F16, new int[] {1}, new float[] {1}))),
                Map.of("format", "pt"));
        String header = new String(bytes, 8, (int) java.nio.ByteBuffer.wrap(bytes, 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a.count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"10.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},"
                + "\"z.half\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[16,18]}}", header.stripTrailing());
        assertEquals(0, header.length() % 8);
        assertEquals(List.of("a.count", "10.weight", "2.weight", "z.half"),
                new ArrayList<>(SafeTensors.read(bytes, "mem").tensors().keySet()));
    }

    @Test
    void readsTensorsInAnyHeaderOrderAndConvertsDtypes() throws IOException {
        // Header keys out of data order (the reference sorts by offsets when reading); an F16 and a BF16 value.
        String h = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[6,8]},\"__metadata__\":null}";
        // BF16 0x3FC0 = 1.5; F16 0xC000 = -2.
        byte[] data = SafeTensorsBytes.concat(f32(3.25f), new byte[] {(byte) 0xC0, 0x3F, 0x00, (byte) 0xC0});
        SafeTensors.Contents c = SafeTensors.read(file(h, data), "mem");
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(c.tensors().keySet()));
        assertEquals(3.25f, c.tensor("a").values()[0]);
        assertEquals(1.5f, c.tensor("b").values()[0]);
        assertEquals(-2f, c.tensor("c").values()[0]);
        assertTrue(c.metadata().isEmpty());
    }

    private static final String OK = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "unknown dtype       | `{\"a\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}`  | tensor \"a\": unknown dtype \"F31\"",
        "unsupported dtype   | `{\"a\":{\"dtype\":\"U16\",\"shape\":[4],\"data_offsets\":[0,8]}}`  | tensor \"a\": dtype U16 is not supported",
        "shape too big       | `{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}`  | tensor \"a\": shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8",
        "past the end        | `{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}` | tensor \"a\": data_offsets [0, 16] run past the end of the file, whose data section holds 8 bytes",
        "trailing bytes      | `{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}`  | 4 bytes are not part of any tensor",
        "gap                 | `{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}`  | tensor \"a\": data_offsets [4, 8] leave a gap of 4 bytes",
        "overlap             | `{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}` | tensor \"b\": data_offsets [4, 8] overlap tensor \"a\" at [0, 8]",
        "duplicate name      | `{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}` | duplicate tensor name \"a\"",
        "end before begin    | `{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}`  | end before they begin",
        "negative dim        | `{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}` | \"shape\" must hold non-negative integers, found -2",
        "fractional offset   | `{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}`| \"data_offsets\" must hold non-negative integers, found 8.0",
        "three offsets       | `{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}`| \"data_offsets\" must hold 2 integers, found 3",
        "no shape            | `{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}`                | \"shape\" must be an array of integers, found none",
        "info not object     | `{\"a\":[0,8]}`                                                  | tensor \"a\": expected an object",
        "overflowing shape   | `{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}` | more elements than a long can count",
        "metadata not string | `{\"__metadata__\":{\"epoch\":3}," + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}` | \"__metadata__\" entry \"epoch\" must be a string",
        "invalid json        | `{\"a\":{\"dtype\":\"F32\",,}}`                                   | header is not valid JSON at byte offset 28",
        "not an object       | `[1,2]`                                                          | header does not start with '{'",
    })
    void refusesACorruptHeaderNamingTheFileAndTheProblem(String caseName, String header, String problem) throws IOException {
        Path f = dir.resolve(caseName.replace(' ', '-') + ".safetensors");
        Files.write(f, file(header, f32(1, 2)));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected <" + problem + "> in: " + e.getMessage());
        assertEquals(f.toString(), e.file());
    }

    @Test
    void refusesAFileTooShortForTheLengthField() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 0, 0});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": file of 3 bytes is too short for the 8-byte header length", e.getMessage());
    }

    @Test
    void refusesAHeaderLengthPastTheEndOfTheFile() throws IOException {
        byte[] good = file("{" + OK + "}", f32(1, 2));
        Path f = dir.resolve("truncated.safetensors");
        Files.write(f, Arrays.copyOf(good, 40));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("header length 54 runs past the end of the file (40 bytes)"), e.getMessage());
    }

    @Test
    void refusesAHeaderClaimingExabytesBeforeAllocating() throws IOException {
        byte[] bytes = SafeTensorsBytes.concat(SafeTensorsBytes.le64(-1L), "{}".getBytes(StandardCharsets.US_ASCII));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(bytes, "huge"));
        assertTrue(e.getMessage().startsWith("huge: header length 18446744073709551615 runs past the end"), e.getMessage());
    }

    @Test
    void refusesAHeaderAboveTheLimitEvenWhenTheFileIsThatLarge() throws IOException {
        Path f = dir.resolve("sparse.safetensors");
        long claimed = SafeTensors.MAX_HEADER_BYTES + 1;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(SafeTensorsBytes.le64(claimed));
            raf.setLength(claimed + 100);   // sparse: no disk space is used
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("header length 100000001 is above the limit of 100000000 bytes"), e.getMessage());
    }

    @Test
    void refusesAHeaderThatIsNotUtf8() {
        byte[] header = ("{" + OK + "}").getBytes(StandardCharsets.UTF_8);
        header[3] = (byte) 0xC3;   // a lead byte followed by an ASCII byte: malformed
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SafeTensors.read(file(header, f32(1, 2)), "latin"));
        assertEquals("latin: header is not valid UTF-8 at byte offset 11", e.getMessage());
    }

    @Test
    void refusesToWriteRepeatedOrReservedNamesAndKeepsTheOldFile() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Files.writeString(f, "old");
        var a = SafeTensors.Entry.of(NamedTensor.f32("a", new int[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(a, a), Map.of()));
        var reserved = SafeTensors.Entry.of(NamedTensor.f32("__metadata__", new int[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(reserved), Map.of()));
        var wrongSize = new SafeTensors.Entry("w", DType.F32, new int[] {3}, () -> new float[2]);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(wrongSize), Map.of()));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }
}
