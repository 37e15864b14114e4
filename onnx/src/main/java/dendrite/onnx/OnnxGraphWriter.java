package dendrite.onnx;

import dendrite.tensor.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model built node by node and written in the protobuf wire format with
 * {@link ProtoWriter}; the field numbers are the ONNX specification's, as {@link OnnxProto} reads
 * them, and {@code metadata_props} (14). One float input and one float output, each with a symbolic
 * batch dimension; weights are initializers in {@code raw_data} (little-endian), as
 * {@code torch.onnx.export} writes them.
 */
final class OnnxGraphWriter {
    /** The IR version that goes with opset 17 (ONNX 1.12), which every runtime of the last years reads. */
    static final long IR_VERSION = 8;

    /** AttributeProto.AttributeType STRINGS (import reads none). */
    static final int ATTR_STRINGS = 8;

    private final List<NodeSpec> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();

    /** One attribute of a node: its name and a writer of its value fields. */
    record Attr(String name, Field value) {
        static Attr integer(String name, long v) {
            return new Attr(name, o -> {
                o.writeInt64(3, v);
                o.writeInt32(20, OnnxProto.ATTR_INT);
            });
        }

        static Attr real(String name, float v) {
            return new Attr(name, o -> {
                o.writeFloat(2, v);
                o.writeInt32(20, OnnxProto.ATTR_FLOAT);
            });
        }

        static Attr string(String name, String v) {
            return new Attr(name, o -> {
                o.writeString(4, v);
                o.writeInt32(20, OnnxProto.ATTR_STRING);
            });
        }

        static Attr strings(String name, String... v) {
            return new Attr(name, o -> {
                for (String x : v) {
                    o.writeString(9, x);
                }
                o.writeInt32(20, ATTR_STRINGS);
            });
        }

        static Attr ints(String name, long... v) {
            return new Attr(name, o -> {
                for (long x : v) {
                    o.writeInt64(8, x);
                }
                o.writeInt32(20, OnnxProto.ATTR_INTS);
            });
        }
    }

    /** Writes some fields of one message. */
    @FunctionalInterface
    interface Field {
        void write(ProtoWriter out);
    }

    /**
     * A node, serialized when the model is: the outputs before the one used are left unnamed (ONNX's
     * way of not asking for an optional output), so {@code output} is always the last.
     */
    private record NodeSpec(String opType, String name, List<String> inputs, List<String> outputs, Attr[] attrs) {
        String output() {
            return outputs.get(outputs.size() - 1);
        }

        NodeSpec withOutput(String output) {
            List<String> o = new ArrayList<>(outputs);
            o.set(o.size() - 1, output);
            return new NodeSpec(opType, name, inputs, o, attrs);
        }

        byte[] bytes() {
            return message(o -> {
                for (String in : inputs) {
                    o.writeString(1, in);
                }
                for (String out : outputs) {
                    o.writeString(2, out);
                }
                o.writeString(3, name);
                o.writeString(4, opType);
                for (Attr a : attrs) {
                    o.writeByteArray(5, message(m -> {
                        m.writeString(1, a.name());
                        a.value().write(m);
                    }));
                }
            });
        }
    }

    /**
     * Adds a node and uses its first output, named {@code name + "_output_0"}.
     *
     * @return the output's name
     */
    String node(String opType, String name, List<String> inputs, Attr... attrs) {
        return node(opType, name, inputs, 0, attrs);
    }

    /**
     * Adds a node and uses its output number {@code k} (from 0), named {@code name + "_output_" + k};
     * the outputs before it are not asked for.
     *
     * @return the output's name
     */
    String node(String opType, String name, List<String> inputs, int k, Attr... attrs) {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            outputs.add("");
        }
        outputs.add(name + "_output_" + k);
        nodes.add(new NodeSpec(opType, name, List.copyOf(inputs), List.copyOf(outputs), attrs.clone()));
        return outputs.get(k);
    }

    /** Adds a float initializer of {@code dims}; returns its name. */
    String floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, OnnxProto.FLOAT, raw.array()));
        return name;
    }

    /** Adds an int64 initializer of {@code dims}; returns its name. */
    String longs(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(name, dims, OnnxProto.INT64, raw.array()));
        return name;
    }

    /** Adds a one-value float initializer (a scalar, dims {@code []}); returns its name. */
    String scalar(String name, float value) {
        return floats(name, new long[0], new float[] {value});
    }

    /**
     * The whole model: {@code input} of per-sample shape {@code in}, the nodes in the order they were
     * added, and {@code result} exposed as {@code output} of per-sample shape {@code out}: the last node's
     * output renamed when it is the result, else an Identity node added for it.
     */
    byte[] model(String graphName, String input, Shape in, String result, String output, Shape out,
            String producerVersion, Map<String, String> metadata) {
        if (nodes.isEmpty() || !nodes.get(nodes.size() - 1).output().equals(result)) {
            node("Identity", "/Identity", List.of(result));
        }
        nodes.set(nodes.size() - 1, nodes.get(nodes.size() - 1).withOutput(output));
        byte[] graph = message(g -> {
            for (NodeSpec n : nodes) {
                g.writeByteArray(1, n.bytes());
            }
            g.writeString(2, graphName);
            for (byte[] t : initializers) {
                g.writeByteArray(5, t);
            }
            g.writeByteArray(11, valueInfo(input, in));
            g.writeByteArray(12, valueInfo(output, out));
        });
        return message(m -> {
            m.writeInt64(1, IR_VERSION);
            m.writeString(2, "Dendrite");
            m.writeString(3, producerVersion);
            m.writeByteArray(7, graph);
            m.writeByteArray(8, message(op -> {
                op.writeString(1, "");
                op.writeInt64(2, OnnxExport.OPSET);
            }));
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                m.writeByteArray(14, message(kv -> {
                    kv.writeString(1, e.getKey());
                    kv.writeString(2, e.getValue());
                }));
            }
        });
    }

    private static byte[] tensor(String name, long[] dims, int dataType, byte[] raw) {
        return message(t -> {
            for (long d : dims) {
                t.writeInt64(1, d);
            }
            t.writeInt32(2, dataType);
            t.writeString(8, name);
            t.writeByteArray(9, raw);
        });
    }

    /** A float tensor's ValueInfoProto: dims {@code ["batch", shape...]}. */
    private static byte[] valueInfo(String name, Shape shape) {
        byte[] dims = message(s -> {
            s.writeByteArray(1, message(d -> d.writeString(2, "batch")));
            for (int i = 0; i < shape.rank(); i++) {
                long v = shape.dim(i);
                s.writeByteArray(1, message(d -> d.writeInt64(1, v)));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, OnnxProto.FLOAT);
            t.writeByteArray(2, dims);
        });
        return message(v -> {
            v.writeString(1, name);
            v.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
        });
    }

    static byte[] message(Field fields) {
        ProtoWriter out = new ProtoWriter();
        fields.write(out);
        return out.toByteArray();
    }
}
