package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 8's parser promise for safetensors: fed mutated files, the reader either returns a
 * fully checked result or throws {@link ModelFormatException} naming the file: no other
 * exception, no {@link OutOfMemoryError}, no hang.
 */
class SafeTensorsFuzzProperties {
    private static final String SOURCE = "fuzz.safetensors";
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** How a valid file is damaged. */
    enum Mutation {
        TRUNCATE, FLIP_BYTES, HUGE_HEADER_LENGTH, SMALL_HEADER_LENGTH, NON_UTF8_HEADER, DUPLICATE_NAME,
        OVERLAPPING_OFFSETS, OFFSETS_PAST_END, HUGE_SHAPE, INSERT_RANDOM_HEADER_TEXT, RANDOM_BYTES
    }

    @Property(tries = 2000)
    void mutatedBytesAreReadOrRefusedWithTheDocumentedException(
            @ForAll("validFiles") byte[] valid, @ForAll Mutation mutation, @ForAll long seed) {
        byte[] bytes = mutate(valid, mutation, new Random(seed));
        long start = System.nanoTime();
        try {
            SafeTensors.Contents c = SafeTensors.read(bytes, SOURCE);
            assertTrue(c.tensors().size() <= 8, "a read result holds only the tensors the file declares");
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        } catch (Throwable other) {   // an OutOfMemoryError or any undocumented exception breaks the promise
            fail(mutation + " made the reader throw " + other, other);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, mutation + " took " + millis + " ms");
    }

    @Property(tries = 200)
    void mutatedFilesOnDiskAreReadOrRefusedWithTheDocumentedException(
            @ForAll("validFiles") byte[] valid, @ForAll Mutation mutation, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 9) int slot) throws IOException {
        Path f = dir.resolve("f" + slot + ".safetensors");
        Files.write(f, mutate(valid, mutation, new Random(seed)));
        try {
            SafeTensors.read(f);
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        } catch (Throwable other) {
            fail(mutation + " made the reader throw " + other, other);
        }
    }

    @Provide
    Arbitrary<byte[]> validFiles() {
        Arbitrary<NamedTensor> tensor = Combinators.combine(
                Arbitraries.of(DType.values()),
                Arbitraries.integers().between(0, 3).flatMap(rank ->
                        Arbitraries.integers().between(0, 4).array(int[].class).ofSize(rank)),
                Arbitraries.integers().between(0, 999))
                .as((dtype, shape, nameNumber) -> {
                    int n = 1;
                    for (int d : shape) {
                        n *= d;
                    }
                    float[] values = new float[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = i % 7;
                    }
                    return new NamedTensor(nameNumber + ".w", dtype, shape, values);
                });
        return tensor.list().ofMaxSize(8).uniqueElements(NamedTensor::name).map(list -> SafeTensors.toBytes(
                list.stream().map(SafeTensors.Entry::of).toList(), Map.of("format", "pt")));
    }

    static byte[] mutate(byte[] valid, Mutation m, Random r) {
        byte[] b = valid.clone();
        int headerLength = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (m) {
            case TRUNCATE -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case FLIP_BYTES -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case HUGE_HEADER_LENGTH -> setLength(b, r.nextBoolean() ? -1L - r.nextInt(1000) : (1L << (31 + r.nextInt(32))));
            case SMALL_HEADER_LENGTH -> setLength(b, r.nextInt(Math.max(1, headerLength)));
            case NON_UTF8_HEADER -> b[8 + r.nextInt(headerLength)] = (byte) (0x80 + r.nextInt(0x80));
            case DUPLICATE_NAME -> b = editHeader(b, h -> h.replaceFirst("\\d+\\.w", duplicateOf(h)));
            case OVERLAPPING_OFFSETS -> b = editHeader(b, h -> h.replaceFirst("\\[(\\d+),(\\d+)\\]\\}",
                    "[" + r.nextInt(8) + ",$2]}"));
            case OFFSETS_PAST_END -> b = editHeader(b, h -> h.replaceFirst("\\[(\\d+),(\\d+)\\]\\}",
                    "[$1," + (1L << r.nextInt(63)) + "]}"));
            case HUGE_SHAPE -> b = editHeader(b, h -> h.replaceFirst("\"shape\":\\[",
                    "\"shape\":[" + (1L << r.nextInt(63)) + ","));
            case INSERT_RANDOM_HEADER_TEXT -> b = editHeader(b, h -> {
                int at = r.nextInt(h.length());
                String junk = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "-", "1e999", "null", "\"dtype\":\"F32\"")
                        .get(r.nextInt(12));
                return h.substring(0, at) + junk + h.substring(at);
            });
            case RANDOM_BYTES -> {
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
            }
        }
        return b;
    }

    private static String duplicateOf(String header) {
        var m = java.util.regex.Pattern.compile("\"(\\d+\\.w)\"").matcher(header);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.isEmpty() ? "x" : names.get(names.size() - 1);
    }

    private static void setLength(byte[] b, long n) {
        ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
    }

    private static byte[] editHeader(byte[] b, java.util.function.UnaryOperator<String> edit) {
        int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, n, StandardCharsets.UTF_8);
        byte[] h = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + h.length + b.length - 8 - n];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        System.arraycopy(h, 0, out, 8, h.length);
        System.arraycopy(b, 8 + n, out, 8 + h.length, b.length - 8 - n);
        return out;
    }
}
