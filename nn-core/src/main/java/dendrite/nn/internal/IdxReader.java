package dendrite.nn.internal;

import dendrite.nn.data.DatasetFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed (recognised by the
 * gzip magic bytes {@code 1f 8b}, whatever the file is called).
 *
 * <p>The format: two zero bytes, a type byte ({@link IdxType}), a dimension count, then one
 * big-endian 32-bit size per dimension, then the values, big-endian, outermost dimension first.
 * Every part is checked, and a file that breaks the format is refused with a
 * {@link DatasetFormatException} naming the file and the byte offset (in the decompressed
 * data for a gzip file): a wrong magic number, an unknown type, a truncated header or payload,
 * bytes left over after the payload, or a corrupt gzip stream.
 *
 * <p>Declared sizes are never trusted: a header that claims more than a Java array can hold is
 * refused before anything is allocated, and the payload buffer grows only as bytes actually
 * arrive, so a 16-byte file claiming two billion items costs nothing.
 *
 * <pre>{@code
 * IdxArray images = IdxReader.read(Path.of("train-images-idx3-ubyte.gz"));
 * int[] dims = images.dims();                  // [60000, 28, 28]
 * float[] pixels = images.toFloats(1 / 255f);  // in [0, 1]
 * }</pre>
 */
public final class IdxReader {
    /** The largest array the JVM reliably allocates. */
    public static final int MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 8;
    /** More dimensions than any real IDX file has; guards against a garbage count byte. */
    static final int MAX_DIMS = 16;
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads an IDX file, raw or gzip. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads IDX data from a stream (raw or gzip) that ends where the data ends;
     * {@code source} names it in error messages. The stream is not closed.
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                StrictGzipInputStream gz = new StrictGzipInputStream(buffered);
                return new Parser(gz, source, true).parse();
            } catch (DatasetFormatException e) {
                throw e;
            } catch (IOException e) {
                // The gzip header itself is broken (a payload error is reported with its offset below).
                throw DatasetFormatException.atOffset(source, 0, "corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return new Parser(buffered, source, false).parse();
    }

    /** One pass over one stream, counting bytes so every error can say where it is. */
    private static final class Parser {
        private final InputStream in;
        private final String source;
        private final boolean gzip;
        private long offset;

        Parser(InputStream in, String source, boolean gzip) {
            this.in = in;
            this.source = source;
            this.gzip = gzip;
        }

        IdxArray parse() throws IOException {
            byte[] magic = readHeaderBytes(4, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0) {
                throw fail(0, String.format("not an IDX file: magic number starts %02x %02x, expected 00 00",
                        magic[0] & 0xFF, magic[1] & 0xFF));
            }
            IdxType type = IdxType.fromCode(magic[2] & 0xFF);
            if (type == null) {
                throw fail(2, String.format("unknown IDX data type 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)",
                        magic[2] & 0xFF));
            }
            int ndims = magic[3] & 0xFF;
            if (ndims == 0 || ndims > MAX_DIMS) {
                throw fail(3, "dimension count " + ndims + " is outside 1.." + MAX_DIMS);
            }
            int[] dims = new int[ndims];
            long elements = 1;
            long maxElements = MAX_PAYLOAD_BYTES / type.bytes();
            for (int i = 0; i < ndims; i++) {
                long at = offset;
                byte[] b = readHeaderBytes(4, "the size of dimension " + i + " of " + ndims);
                long d = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
                if (d > Integer.MAX_VALUE) {
                    throw fail(at, "dimension " + i + " declares " + d + " entries, more than 2^31-1");
                }
                if (d == 0) {
                    throw fail(at, "dimension " + i + " of " + ndims + " is 0: the array would hold no values");
                }
                dims[i] = (int) d;
                // Checked per factor, so the product can neither overflow nor hide a huge size behind a zero.
                if (d != 0 && elements > maxElements / d) {
                    throw fail(at, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " of " + type
                            + " declare more than " + MAX_PAYLOAD_BYTES + " bytes, the most a Java array can hold");
                }
                elements *= d;
            }
            // Checked before reading any of it: the payload and the floats made from it must fit in
            // the heap, or a 2 MB gzip file declaring 2 GB would inflate its way to an OutOfMemoryError.
            long needed = elements * (type.bytes() + 4L);
            long heap = Runtime.getRuntime().maxMemory();
            if (needed > heap) {
                throw fail(offset, String.format(java.util.Locale.ROOT, "dimensions %s of %s declare %,d values,"
                        + " which need %,d MiB in memory (the data and its floats), more than this JVM may use (maximum"
                        + " heap %,d MiB; raise it with -Xmx)", Arrays.toString(dims), type, elements, needed >> 20,
                        heap >> 20));
            }
            int payloadBytes = (int) (elements * type.bytes());
            byte[] payload = readPayload(payloadBytes, dims, type);
            if (readInto(new byte[1], 0, 1) > 0) {
                throw fail(offset - 1, "unexpected data after the end of the payload: dimensions "
                        + Arrays.toString(dims) + " of " + type + " end the file at byte offset " + (offset - 1));
            }
            return new IdxArray(type, dims, payload);
        }

        private byte[] readHeaderBytes(int n, String what) throws IOException {
            byte[] b = new byte[n];
            int got = readInto(b, 0, n);
            if (got < n) {
                throw fail(offset, "file ends inside " + what + " (truncated header)");
            }
            return b;
        }

        /** Reads exactly {@code n} payload bytes, growing the buffer only as data arrives. */
        private byte[] readPayload(int n, int[] dims, IdxType type) throws IOException {
            long start = offset;
            byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
            int filled = 0;
            while (filled < n) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                }
                int got = readInto(buf, filled, buf.length - filled);
                filled += got;
                if (got == 0) {
                    throw fail(offset, "file ends inside the payload (truncated): dimensions " + Arrays.toString(dims)
                            + " of " + type + " need " + n + " bytes from offset " + start + ", found " + filled);
                }
            }
            return buf;
        }

        /** Reads up to {@code len} bytes, stopping early only at the end of the stream. */
        private int readInto(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int r;
                try {
                    r = in.read(b, off + total, len - total);
                } catch (IOException e) {
                    if (gzip) {
                        throw DatasetFormatException.atOffset(source, offset,
                                "corrupt gzip data (" + e.getMessage() + ") (offset in the decompressed data)", e);
                    }
                    throw e;
                }
                if (r < 0) {
                    break;
                }
                total += r;
                offset += r;
            }
            return total;
        }

        private DatasetFormatException fail(long at, String problem) {
            return DatasetFormatException.atOffset(source, at, gzip ? problem + " (offset in the decompressed data)" : problem);
        }
    }
}
