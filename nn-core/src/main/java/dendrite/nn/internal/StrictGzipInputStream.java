package dendrite.nn.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Gzip data (one member or several, concatenated, as RFC 1952 allows) that must end where the
 * file ends. The JDK's {@code GZIPInputStream} stops quietly at bytes after the last member that do
 * not start another one, so a file with garbage appended reads as if it were whole; here they are
 * an error, as are a bad header, corrupt deflate data, a truncated member and a CRC or length that
 * does not match.
 */
public final class StrictGzipInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;
    /** Compressed bytes consumed before {@code buf}, for the offset in messages. */
    private long consumedBefore;
    private boolean done;

    /** Reads the first member's header at once: a stream that is not gzip fails here. */
    public StrictGzipInputStream(InputStream in) throws IOException {
        this.in = in;
        readHeader(true);
    }

    private long offset() {
        return consumedBefore + pos;
    }

    /** Makes at least one unread byte available; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pos < len) {
            return true;
        }
        consumedBefore += len;
        pos = 0;
        len = in.read(buf, 0, buf.length);
        if (len <= 0) {
            len = 0;
            return false;
        }
        return true;
    }

    private int nextByte(String what) throws IOException {
        if (!fill()) {
            throw new EOFException("gzip data ends inside " + what + " at byte offset " + offset());
        }
        return buf[pos++] & 0xFF;
    }

    private int nextShort(String what) throws IOException {
        return nextByte(what) | (nextByte(what) << 8);
    }

    private long nextInt(String what) throws IOException {
        return (nextShort(what) | ((long) nextShort(what) << 16)) & 0xFFFFFFFFL;
    }

    private void readHeader(boolean first) throws IOException {
        long at = offset();
        int id1 = nextByte("the gzip header");
        int id2 = nextByte("the gzip header");
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException((first ? "not gzip data" : "unexpected data after the end of the gzip data")
                    + " at byte offset " + at);
        }
        if (nextByte("the gzip header") != 8) {
            throw new ZipException("unsupported gzip compression method at byte offset " + (at + 2));
        }
        int flags = nextByte("the gzip header");
        for (int i = 0; i < 6; i++) {
            nextByte("the gzip header");     // modification time, extra flags, operating system
        }
        if ((flags & FEXTRA) != 0) {
            int n = nextShort("the gzip header");
            for (int i = 0; i < n; i++) {
                nextByte("the gzip header's extra field");
            }
        }
        if ((flags & FNAME) != 0) {
            while (nextByte("the gzip header's file name") != 0) {
                // skip
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (nextByte("the gzip header's comment") != 0) {
                // skip
            }
        }
        if ((flags & FHCRC) != 0) {
            nextShort("the gzip header");
        }
        inflater.reset();
        crc.reset();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) {
            return 0;
        }
        while (!done) {
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("gzip data ends inside a compressed member (truncated file) at byte offset "
                            + offset());
                }
                inflater.setInput(buf, pos, len - pos);
                pos = len;                        // handed to the inflater; what it leaves is given back below
            }
            int got;
            try {
                got = inflater.inflate(b, off, n);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt gzip data near byte offset " + offset() + ": " + e.getMessage());
            }
            if (got > 0) {
                crc.update(b, off, got);
                return got;
            }
            if (inflater.finished()) {
                pos = len - inflater.getRemaining();
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip data needs a preset dictionary, which gzip never uses");
            }
        }
        return -1;
    }

    /** Checks the member's trailer; then either the input ends here or another member starts. */
    private void endMember() throws IOException {
        long expectedCrc = nextInt("the gzip trailer");
        long expectedSize = nextInt("the gzip trailer");
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("gzip CRC mismatch before byte offset " + offset() + " (the data is corrupt)");
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
            throw new ZipException("gzip length mismatch before byte offset " + offset() + " (the data is corrupt)");
        }
        if (!fill()) {
            done = true;
            return;
        }
        readHeader(false);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
