package dendrite.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * ONNX files written field by field with protobuf's {@link CodedOutputStream}, for tests that must not
 * need PyTorch: a Gemm (transB=1, weight {@code [3, 2]}, bias) then a Relu, on input {@code [batch, 2]}.
 */
final class TinyOnnx {
    static final float[] WEIGHT = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f};     // [3, 2]
    static final float[] BIAS = {0.1f, -0.2f, 0.3f};

    private TinyOnnx() {
    }

    /** The model, whose op is {@code op} ("Relu" for the supported one), weights in raw_data. */
    static byte[] gemmThen(String op) throws IOException {
        return gemmThen(op, true, 2);
    }

    /**
     * The model with its weights in raw_data (as torch writes them) or in float_data (packed), and the
     * input's second dimension fixed at {@code features} or, for -1, symbolic ("features").
     */
    static byte[] gemmThen(String op, boolean raw, int features) throws IOException {
        byte[] gemm = message(o -> {
            o.writeString(1, "x");
            o.writeString(1, "W");
            o.writeString(1, "B");
            o.writeString(2, "h");
            o.writeString(3, "Gemm_0");
            o.writeString(4, "Gemm");
            o.writeByteArray(5, message(a -> {
                a.writeString(1, "transB");
                a.writeInt64(3, 1);
                a.writeInt32(20, 2);
            }));
        });
        byte[] last = message(o -> {
            o.writeString(1, "h");
            o.writeString(2, "y");
            o.writeString(3, op + "_1");
            o.writeString(4, op);
        });
        byte[] graph = message(g -> {
            g.writeByteArray(1, gemm);
            g.writeByteArray(1, last);
            g.writeString(2, "tiny");
            g.writeByteArray(5, tensor("W", WEIGHT, raw, 3, 2));
            g.writeByteArray(5, tensor("B", BIAS, raw, 3));
            g.writeByteArray(11, valueInfo("x", features));
            g.writeByteArray(12, valueInfo("y", 3));
        });
        return message(m -> {
            m.writeInt64(1, 8);
            m.writeString(2, "dendrite-test");
            m.writeByteArray(7, graph);
            m.writeByteArray(8, message(o -> o.writeInt64(2, 17)));
        });
    }

    private static byte[] tensor(String name, float[] values, boolean inRaw, long... dims) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return message(t -> {
            for (long d : dims) {
                t.writeInt64(1, d);
            }
            t.writeInt32(2, 1);
            t.writeString(8, name);
            if (inRaw) {
                t.writeBytes(9, ByteString.copyFrom(raw.array()));
            } else {
                t.writeTag(4, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                t.writeUInt32NoTag(values.length * 4);
                for (float v : values) {
                    t.writeFloatNoTag(v);
                }
            }
        });
    }

    /** A float tensor {@code [batch, features]}. */
    private static byte[] valueInfo(String name, int features) throws IOException {
        byte[] shape = message(s -> {
            s.writeByteArray(1, message(d -> d.writeString(2, "batch")));
            s.writeByteArray(1, message(d -> {
                if (features > 0) {
                    d.writeInt64(1, features);
                } else {
                    d.writeString(2, "features");
                }
            }));
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, 1);
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, name);
            v.writeByteArray(2, message(t -> t.writeByteArray(1, tensorType)));
        });
    }

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
