package dendrite.nn.io;

import dendrite.nn.internal.Json;
import dendrite.nn.internal.JsonException;
import dendrite.nn.internal.AtomicFile;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the weight format of PyTorch's {@code safetensors} package, so weights move between Dendrite
 * and PyTorch in both directions.
 *
 * <h2>The format</h2>
 * <pre>
 * 8 bytes   N, the header length: unsigned 64-bit little-endian
 * N bytes   the header: UTF-8 JSON, an object mapping each tensor name to
 *           {"dtype":"F32","shape":[3,2],"data_offsets":[begin,end]}
 *           plus an optional "__metadata__" object of string values;
 *           padded with spaces to a multiple of 8 bytes
 * the rest  the data: each tensor's elements, little-endian, row-major, at [begin, end)
 *           counted from the first byte after the header
 * </pre>
 *
 * <h2>Reading is strict</h2>
 * {@link #read(Path)} checks the whole file before it returns anything and refuses, with a
 * {@link ModelFormatException} naming the file and the problem: a file too short for the length
 * field; a header length past the end of the file or above {@link #MAX_HEADER_BYTES} (refused
 * before anything is allocated); a header that is not UTF-8, not a JSON object, or repeats a
 * name; an unknown or unsupported dtype; a shape whose element count does not match its offsets;
 * data that does not tile the data section exactly (overlaps, gaps, offsets past the end, or
 * bytes left over). These are the reference implementation's rules, plus duplicate names, which
 * it lets the last one win. Memory allocated while reading is bounded by the file's size (one float per
 * element stored in it), whatever the header claims.
 *
 * <h2>Writing follows the reference</h2>
 * {@link #write(Path, List, Map)} orders tensors as the reference does (larger dtypes first, then
 * by name in byte order), writes {@code __metadata__} first, compact JSON, and pads the header
 * with spaces so the data starts 8-byte aligned. It replaces the file atomically ({@link AtomicFile}).
 *
 * <pre>{@code
 * SafeTensors.write(path, List.of(SafeTensors.Entry.of("0.weight", w)), Map.of("format", "pt"));
 * SafeTensors.Contents c = SafeTensors.read(path);
 * float[] weights = c.tensor("0.weight").values();
 * }</pre>
 */
public final class SafeTensors {
    /**
     * The largest header accepted, as in the reference implementation (100 MB): a header is a few
     * hundred bytes per tensor, so anything near this is corrupt or hostile.
     */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key of the free-form string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";
    /** The most elements a tensor may have in Dendrite (one {@code float[]}). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    // Enough for any real header (object > tensor info > shape), small enough that no input overflows the stack.
    private static final int MAX_HEADER_DEPTH = 16;
    private static final int CHUNK_BYTES = 1 << 16;

    private SafeTensors() {
    }

    // ================================================================== reading

    /**
     * What a safetensors file holds: its metadata and its tensors, in the order of their data
     * in the file.
     *
     * @param file     the file's path or the in-memory source's name, as used in error messages
     * @param metadata the {@code __metadata__} strings, in the header's order; empty when there are none
     * @param tensors  the tensors by name, in the order of their data in the file
     */
    public record Contents(String file, Map<String, String> metadata, Map<String, NamedTensor> tensors) {
        /**
         * Creates the contents, keeping unmodifiable copies of both maps in their iteration order (the
         * tensors themselves are shared, not copied).
         *
         * @throws NullPointerException if either map is {@code null}
         */
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }

        /**
         * The tensor with this name, or {@code null}.
         *
         * @param name the tensor's name in the file, e.g. {@code 0.weight}
         * @return the tensor (shared: its {@link NamedTensor#values()} are this object's), or {@code null} when
         *         the file has no tensor of that name
         */
        public NamedTensor tensor(String name) {
            return tensors.get(name);
        }
    }

    /**
     * Reads a whole safetensors file.
     *
     * @param file the file to read; its path is the name used in error messages
     * @return the file's metadata and tensors, every value converted to float
     * @throws ModelFormatException naming the file and what is wrong with its content
     * @throws IOException          when the file cannot be read at all
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelSource(channel), file.toString());
        }
    }

    /**
     * Reads safetensors bytes held in memory (a resource, a download); {@code source} names them
     * in error messages.
     *
     * @param bytes the whole file's bytes; not changed, and not kept
     * @param source a name for the bytes (a resource path, a URL) used in error messages and as
     *        {@link Contents#file()}
     * @return the metadata and tensors, every value converted to float
     * @throws ModelFormatException naming the source and what is wrong
     */
    public static Contents read(byte[] bytes, String source) throws ModelFormatException {
        try {
            return read(new ArraySource(bytes), source);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("in-memory read failed", e);   // ArraySource never throws
        }
    }

    /** Header facts of one tensor, checked, before its data is read. */
    private record Info(String name, DType dtype, int[] shape, long begin, long end) {
    }

    private static Contents read(ByteSource src, String file) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw ModelFormatException.of(file, "file of " + size + " bytes is too short for the 8-byte header length");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(0, lengthField, file);
        long n = lengthField.getLong(0);   // unsigned: negative here means >= 2^63
        if (n < 0 || n > size - 8) {
            throw ModelFormatException.of(file, "header length " + Long.toUnsignedString(n)
                    + " runs past the end of the file (" + size + " bytes); the file is truncated or not safetensors");
        }
        if (n > MAX_HEADER_BYTES) {
            throw ModelFormatException.of(file, "header length " + n + " is above the limit of " + MAX_HEADER_BYTES
                    + " bytes; the file is corrupt");
        }
        if (n < 2) {
            throw ModelFormatException.of(file, "header of " + n + " bytes cannot hold a JSON object");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        src.readFully(8, headerBytes, file);
        String header = decodeUtf8(headerBytes.array(), file);
        if (header.charAt(0) != '{') {
            throw ModelFormatException.of(file, "header does not start with '{' (found byte 0x"
                    + Integer.toHexString(headerBytes.get(0) & 0xff) + ")");
        }
        Map<String, Object> json = parseHeader(header, file);

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Info> infos = new ArrayList<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(e.getValue(), file, metadata);
            } else {
                infos.add(readInfo(e.getKey(), e.getValue(), file));
            }
        }
        long dataBytes = size - 8 - n;
        checkLayout(infos, dataBytes, file);

        Map<String, NamedTensor> tensors = new LinkedHashMap<>();
        long dataStart = 8 + n;
        for (Info info : infos) {
            float[] values = readValues(src, dataStart + info.begin, info, file);
            tensors.put(info.name, new NamedTensor(info.name, info.dtype, info.shape, values));
        }
        return new Contents(file, metadata, tensors);
    }

    private static String decodeUtf8(byte[] bytes, String file) throws ModelFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw ModelFormatException.of(file, "header is not valid UTF-8 at byte offset " + (8 + in.position()));
        }
        r = decoder.flush(out);
        if (r.isError()) {
            throw ModelFormatException.of(file, "header is not valid UTF-8 at its end");
        }
        return out.flip().toString();
    }

    private static Map<String, Object> parseHeader(String header, String file) throws ModelFormatException {
        try {
            Object v = Json.parse(header, MAX_HEADER_DEPTH, Integer.MAX_VALUE);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) v;   // a header starting with '{' parses to an object
            return map;
        } catch (JsonException e) {
            long byteOffset = 8 + header.substring(0, Math.min(Math.max(e.offset(), 0), header.length()))
                    .getBytes(StandardCharsets.UTF_8).length;
            String problem = e.problem().startsWith("duplicate key")
                    ? e.problem().replace("duplicate key", "duplicate tensor name")
                    : e.problem();
            throw ModelFormatException.of(file, "header is not valid JSON at byte offset " + byteOffset + ": "
                    + problem, e);
        }
    }

    private static void readMetadata(Object value, String file, Map<String, String> into) throws ModelFormatException {
        if (value == null) {
            return;   // the reference accepts "__metadata__": null as no metadata
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ModelFormatException.of(file, "\"" + METADATA_KEY + "\" must be an object of strings, found a "
                    + Json.typeName(value));
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw ModelFormatException.of(file, "\"" + METADATA_KEY + "\" entry \"" + m.getKey()
                        + "\" must be a string, found a " + Json.typeName(m.getValue()));
            }
            into.put((String) m.getKey(), s);
        }
    }

    private static Info readInfo(String name, Object value, String file) throws ModelFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw ModelFormatException.ofTensor(file, name, "expected an object with dtype, shape and data_offsets, found a "
                    + Json.typeName(value));
        }
        Object dt = map.get("dtype");
        if (!(dt instanceof String dtypeName)) {
            throw ModelFormatException.ofTensor(file, name, "\"dtype\" must be a string, found "
                    + (map.containsKey("dtype") ? "a " + Json.typeName(dt) : "none"));
        }
        DType dtype = DType.byName(dtypeName);
        if (dtype == null) {
            throw ModelFormatException.ofTensor(file, name, (DType.isKnownUnsupported(dtypeName)
                    ? "dtype " + dtypeName + " is not supported"
                    : "unknown dtype \"" + shorten(dtypeName) + "\"") + "; Dendrite reads " + Arrays.toString(DType.values()));
        }
        List<Long> shape = longs(map.get("shape"), "shape", -1, name, file);
        List<Long> offsets = longs(map.get("data_offsets"), "data_offsets", 2, name, file);
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw ModelFormatException.ofTensor(file, name, "data_offsets " + offsets + " end before they begin");
        }
        long count = 1;
        for (long d : shape) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException overflow) {
                throw ModelFormatException.ofTensor(file, name, "shape " + shape + " has more elements than a long can count");
            }
        }
        long needed;
        try {
            needed = Math.multiplyExact(count, (long) dtype.bytes());
        } catch (ArithmeticException overflow) {
            throw ModelFormatException.ofTensor(file, name, "shape " + shape + " has more bytes than a long can count");
        }
        if (needed != end - begin) {
            throw ModelFormatException.ofTensor(file, name, "shape " + shape + " of " + dtype + " needs " + needed
                    + " bytes, but data_offsets " + offsets + " hold " + (end - begin));
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d > MAX_ELEMENTS || count > MAX_ELEMENTS) {
                throw ModelFormatException.ofTensor(file, name, "shape " + shape + " is above Dendrite's limit of "
                        + MAX_ELEMENTS + " elements per tensor");
            }
            dims[i] = (int) d;
        }
        return new Info(name, dtype, dims, begin, end);
    }

    /** A JSON array of non-negative integers, of length {@code exact} unless that is -1. */
    private static List<Long> longs(Object v, String key, int exact, String name, String file) throws ModelFormatException {
        if (!(v instanceof List<?> list)) {
            throw ModelFormatException.ofTensor(file, name, "\"" + key + "\" must be an array of integers, found "
                    + (v == null ? "none" : "a " + Json.typeName(v)));
        }
        if (exact >= 0 && list.size() != exact) {
            throw ModelFormatException.ofTensor(file, name, "\"" + key + "\" must hold " + exact + " integers, found "
                    + list.size());
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Long l) || l < 0) {
                throw ModelFormatException.ofTensor(file, name, "\"" + key + "\" must hold non-negative integers, found "
                        + (o instanceof Number ? o : Json.typeName(o)));
            }
            out.add(l);
        }
        return out;
    }

    /**
     * The tensors' data must tile the data section exactly, in offset order: the first starts at 0,
     * each starts where the previous ended, and the last ends at the end of the file.
     */
    private static void checkLayout(List<Info> infos, long dataBytes, String file) throws ModelFormatException {
        infos.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
        long expected = 0;
        Info previous = null;
        for (Info info : infos) {
            if (info.end > dataBytes) {
                throw ModelFormatException.ofTensor(file, info.name, "data_offsets [" + info.begin + ", " + info.end
                        + "] run past the end of the file, whose data section holds " + dataBytes + " bytes");
            }
            if (info.begin < expected) {
                throw ModelFormatException.ofTensor(file, info.name, "data_offsets [" + info.begin + ", " + info.end
                        + "] overlap tensor \"" + previous.name + "\" at [" + previous.begin + ", " + previous.end + "]");
            }
            if (info.begin > expected) {
                throw ModelFormatException.ofTensor(file, info.name, "data_offsets [" + info.begin + ", " + info.end
                        + "] leave a gap of " + (info.begin - expected) + " bytes after byte " + expected
                        + " of the data section; tensors must be contiguous");
            }
            expected = info.end;
            previous = info;
        }
        if (expected != dataBytes) {
            throw ModelFormatException.of(file, "the tensors' data ends at byte " + expected + " of the data section but the file holds "
                    + dataBytes + " data bytes; " + (dataBytes - expected) + " bytes are not part of any tensor");
        }
    }

    private static float[] readValues(ByteSource src, long position, Info info, String file) throws IOException {
        int count = (int) ((info.end - info.begin) / info.dtype.bytes());
        float[] values = new float[count];
        int elementBytes = info.dtype.bytes();
        int perChunk = CHUNK_BYTES / elementBytes;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8L, (long) count * elementBytes)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            int k = Math.min(perChunk, count - done);
            buf.clear().limit(k * elementBytes);
            src.readFully(position + (long) done * elementBytes, buf, file);
            buf.flip();
            for (int i = 0; i < k; i++) {
                values[done + i] = Codec.decode(info.dtype, buf);
            }
            done += k;
        }
        return values;
    }

    /** Random-access bytes: a file, or an array in memory. */
    private interface ByteSource {
        long size() throws IOException;

        /** Fills dst from {@code position}, or throws {@link ModelFormatException} when the bytes end first. */
        void readFully(long position, ByteBuffer dst, String file) throws IOException;
    }

    private record ChannelSource(FileChannel channel) implements ByteSource {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void readFully(long position, ByteBuffer dst, String file) throws IOException {
            long p = position;
            while (dst.hasRemaining()) {
                int r = channel.read(dst, p);
                if (r < 0) {
                    throw ModelFormatException.of(file, "file ended at byte " + p + " while reading; it shrank while being read");
                }
                p += r;
            }
        }
    }

    private record ArraySource(byte[] bytes) implements ByteSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void readFully(long position, ByteBuffer dst, String file) throws ModelFormatException {
            int want = dst.remaining();
            if (position + want > bytes.length) {
                throw ModelFormatException.of(file, "bytes end at " + bytes.length + " while reading " + want + " at " + position);
            }
            dst.put(bytes, (int) position, want);
        }
    }

    // ================================================================== writing

    /**
     * One tensor to write: name, dtype in the file, dimensions, and where its values come from.
     * The values are asked for only while the file is written, one tensor at a time, so a model's
     * weights are never all copied to the host at once.
     *
     * @param name   the tensor's name in the file; not {@value #METADATA_KEY}, and unique within one file
     * @param dtype  the element type to write; the floats are converted to it as {@link DType} describes
     * @param shape  the dimensions, each {@code >= 0}, outermost first (copied when the entry is made)
     * @param values supplies the values, row-major, exactly the product of {@code shape} of them; called once,
     *               while the file is written
     */
    public record Entry(String name, DType dtype, int[] shape, Supplier<float[]> values) {
        /**
         * Creates an entry, keeping a copy of {@code shape}.
         *
         * @throws NullPointerException if {@code shape} is {@code null}
         */
        public Entry {
            shape = shape.clone();
        }

        /**
         * The dimensions.
         *
         * @return a new copy of the dimensions, outermost first: changing it does not change the entry
         */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /**
         * A Dendrite tensor, written as F32 (its values are read from its backend while writing).
         *
         * @param name the tensor's name in the file, e.g. {@code 0.weight}
         * @param tensor the tensor to write; its values are copied to the host only when the file is written,
         *        so they are the values it holds then
         * @return a new F32 entry of the tensor's shape
         */
        public static Entry of(String name, Tensor tensor) {
            return new Entry(name, DType.F32, tensor.shape().dims(), tensor::toArray);
        }

        /**
         * A host tensor, written in its own dtype.
         *
         * @param t the tensor, e.g. one from {@link #read(Path)}; its name, dtype and shape are taken as they are
         * @return a new entry that writes {@code t}'s values
         */
        public static Entry of(NamedTensor t) {
            return new Entry(t.name(), t.dtype(), t.shape(), t::values);
        }

        long count() {
            return NamedTensor.valueCount(shape);
        }
    }

    /**
     * Writes a safetensors file atomically: the old file, if any, stays until the new one is
     * complete and synced (see {@link AtomicFile}).
     *
     * @param file     the file to write; its directory must exist
     * @param tensors  the tensors to write, in any order (the file holds them in the reference order)
     * @param metadata the {@code __metadata__} strings (may be empty); keys are written sorted
     * @throws IllegalArgumentException for a repeated or reserved name, a negative dimension, or
     *                                  values that do not fill their shape (the old file is kept)
     * @throws IOException              if the file cannot be written; the old file, if any, is kept
     */
    public static void write(Path file, List<Entry> tensors, Map<String, String> metadata) throws IOException {
        List<Entry> ordered = ordered(tensors);
        byte[] header = header(ordered, metadata);
        AtomicFile.write(file, out -> writeTo(out, header, ordered));
    }

    /**
     * Writes a safetensors file to a stream (not atomic; the caller owns the stream).
     *
     * @param out      the stream to write to; not closed or flushed
     * @param tensors  the tensors to write, in any order (the file holds them in the reference order)
     * @param metadata the {@code __metadata__} strings (may be empty or {@code null}); keys are written sorted
     * @throws IllegalArgumentException for a repeated or reserved name or a negative dimension (before anything is
     *                                  written), or values that do not fill their shape (part of the file may
     *                                  already be written then)
     * @throws IOException              if the stream fails
     */
    public static void write(OutputStream out, List<Entry> tensors, Map<String, String> metadata) throws IOException {
        List<Entry> ordered = ordered(tensors);
        writeTo(out, header(ordered, metadata), ordered);
    }

    /**
     * The file's bytes, in memory.
     *
     * @param tensors  the tensors to write, in any order (the bytes hold them in the reference order)
     * @param metadata the {@code __metadata__} strings (may be empty or {@code null}); keys are written sorted
     * @return a new array holding the whole file, as {@link #write(Path, List, Map)} would write it
     * @throws IllegalArgumentException for a repeated or reserved name, a negative dimension, or values that do
     *                                  not fill their shape
     */
    public static byte[] toBytes(List<Entry> tensors, Map<String, String> metadata) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);   // ByteArrayOutputStream never throws
        }
        return out.toByteArray();
    }

    /** The reference order: larger dtypes first (they keep their alignment), then names in byte order. */
    private static List<Entry> ordered(List<Entry> tensors) {
        Set<String> names = new HashSet<>();
        for (Entry e : tensors) {
            if (e.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: \"" + METADATA_KEY + "\" is reserved and cannot name a tensor");
            }
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("safetensors: tensor name \"" + e.name() + "\" is used twice");
            }
            for (int d : e.shape()) {
                if (d < 0) {
                    throw new IllegalArgumentException("safetensors: tensor \"" + e.name() + "\" has a negative dimension in "
                            + Arrays.toString(e.shape()));
                }
            }
            if (e.count() < 0) {
                throw new IllegalArgumentException("safetensors: tensor \"" + e.name() + "\" has shape "
                        + Arrays.toString(e.shape()) + ", more values than an array can hold (at most "
                        + NamedTensor.MAX_VALUES + ")");
            }
        }
        List<Entry> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing((Entry e) -> e.dtype().ordinal()).reversed()
                .thenComparing(Entry::name, SafeTensors::compareCodePoints));
        return sorted;
    }

    /** Rust compares strings by UTF-8 bytes, which is code point order (not Java's UTF-16 unit order). */
    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static byte[] header(List<Entry> ordered, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            json.put(METADATA_KEY, new TreeMap<>(metadata));
        }
        long offset = 0;
        for (Entry e : ordered) {
            long bytes = e.count() * e.dtype().bytes();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype().name());
            info.put("shape", e.shape());
            info.put("data_offsets", List.of(offset, offset + bytes));
            json.put(e.name(), info);
            offset += bytes;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;   // spaces, so the data starts 8-byte aligned
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    private static void writeTo(OutputStream out, byte[] header, List<Entry> ordered) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        out.write(buf.array(), 0, 8);
        out.write(header);
        for (Entry e : ordered) {
            float[] values = e.values().get();
            if (values.length != e.count()) {
                throw new IllegalArgumentException("safetensors: tensor \"" + e.name() + "\" has " + values.length
                        + " values for shape " + Arrays.toString(e.shape()));
            }
            buf.clear();
            for (float v : values) {
                if (buf.remaining() < 8) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                Codec.encode(e.dtype(), v, buf);
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
