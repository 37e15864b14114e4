package dendrite.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format's writing side, as much of it as an ONNX model needs: varint, 32-bit and
 * length-delimited fields (protobuf's encoding guide). Not protobuf-java's {@code CodedOutputStream}:
 * that calls {@code sun.misc.Unsafe}, which JDK 24 and later warn about on standard error in every
 * application that exports a model; reading keeps {@code CodedInputStream}, which does not.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int64 field (negative values take ten bytes, as protobuf writes them). */
    void writeInt64(int field, long value) {
        tag(field, VARINT);
        varint(value);
    }

    /** An int32 or enum field: the same varint as int64, sign-extended. */
    void writeInt32(int field, int value) {
        writeInt64(field, value);
    }

    /** A float field: four bytes, little-endian. */
    void writeFloat(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
    }

    /** A string field, UTF-8. */
    void writeString(int field, String value) {
        writeByteArray(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field, or an embedded message already written. */
    void writeByteArray(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
