package dendrite.nn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a stream as UTF-8, refusing what is not: every character before a bad byte is returned
 * first, and the read after them throws a {@link CharacterCodingException} naming the byte and its
 * offset. (An {@code InputStreamReader} with a strict decoder throws as soon as its read-ahead meets
 * the bad byte, so a reader counting lines cannot say where it was.)
 */
public final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    /** Bytes consumed from the stream before {@link #bytes}' start. */
    private long consumedBefore;
    private boolean eof;
    /** The decoder has been flushed at the end of the stream: every later read returns -1. */
    private boolean done;
    private CharacterCodingException pending;

    public StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending != null) {
            throw pending;
        }
        if (done) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.position() == off) {
            if (!eof && bytes.remaining() < 4) {
                fill();
            }
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                long at = consumedBefore + bytes.position();
                // The byte is read now, not when the message is asked for: by then the buffer has moved on.
                String message = String.format(java.util.Locale.ROOT, "byte 0x%02x at byte offset %d is not UTF-8",
                        bytes.get(bytes.position()) & 0xFF, at);
                pending = new CharacterCodingException() {
                    @Override
                    public String getMessage() {
                        return message;
                    }
                };
                if (out.position() > off) {
                    break;
                }
                throw pending;
            }
            if (eof && !bytes.hasRemaining()) {
                decoder.flush(out);
                done = true;
                break;
            }
            if (r.isOverflow()) {
                break;
            }
        }
        int n = out.position() - off;
        return n == 0 ? -1 : n;
    }

    private void fill() throws IOException {
        consumedBefore += bytes.position();
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
