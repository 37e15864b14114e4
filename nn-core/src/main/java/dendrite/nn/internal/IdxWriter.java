package dendrite.nn.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@link IdxArray}s in the IDX format read by {@link IdxReader}: for exporting a dataset
 * in MNIST's layout, and for tests that need small, exact IDX files.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes {@code array} to {@code file}, gzip-compressed when {@code gzip} is true. */
    public static void write(IdxArray array, Path file, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file)) {
            if (gzip) {
                try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
                    write(array, gz);
                }
            } else {
                write(array, raw);
            }
        }
    }

    /** Writes {@code array} to a stream (uncompressed); the stream is flushed, not closed. */
    public static void write(IdxArray array, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
        int[] dims = array.dims();
        data.writeByte(0);
        data.writeByte(0);
        data.writeByte(array.type().code());
        data.writeByte(dims.length);
        for (int d : dims) {
            data.writeInt(d);
        }
        data.write(array.payload());
        data.flush();
    }
}
