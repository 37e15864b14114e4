package dendrite.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The export's own wire-format writer writes the bytes protobuf-java's {@link CodedOutputStream} writes. */
class ProtoWriterTest {
    private static final long[] LONGS = {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35,
        Long.MAX_VALUE, -1, -2, Integer.MIN_VALUE, Long.MIN_VALUE};
    private static final int[] INTS = {0, 1, 7, 20, 150, -1, -150, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final float[] FLOATS = {0f, -0f, 1.5f, -3.25e-7f, Float.MAX_VALUE, Float.MIN_VALUE,
        Float.NaN, Float.NEGATIVE_INFINITY};
    private static final String[] STRINGS = {"", "input", "/3/Conv_output_0", "ünïcødé ✓ 𝄞"};

    @Test
    void everyFieldKindIsWrittenAsProtobufWritesIt() throws IOException {
        ProtoWriter mine = new ProtoWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream theirs = CodedOutputStream.newInstance(bytes);
        int field = 1;
        for (long v : LONGS) {
            mine.writeInt64(field, v);
            theirs.writeInt64(field, v);
            field += 37;            // one- and two-byte tags alike
        }
        for (int v : INTS) {
            mine.writeInt32(field, v);
            theirs.writeInt32(field, v);
            field += 101;
        }
        for (float v : FLOATS) {
            mine.writeFloat(2, v);
            theirs.writeFloat(2, v);
        }
        for (String s : STRINGS) {
            mine.writeString(8, s);
            theirs.writeString(8, s);
        }
        byte[] big = new byte[70_000];      // a three-byte length
        big[69_999] = 5;
        mine.writeByteArray(9, big);
        theirs.writeByteArray(9, big);
        theirs.flush();
        assertArrayEquals(bytes.toByteArray(), mine.toByteArray());
    }
}
