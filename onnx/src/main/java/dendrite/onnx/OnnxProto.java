package dendrite.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of ONNX's {@code onnx.proto} that import reads, decoded from the protobuf wire format with
 * {@link CodedInputStream}; the field numbers are the ONNX specification's. Fields that are not
 * listed here are skipped. A known field with the wrong wire type is a {@link Malformed} error.
 */
final class OnnxProto {
    private OnnxProto() {
    }

    /** The file is not a well-formed ONNX protobuf message: what is wrong, in words. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int DOUBLE = 11;

    // AttributeProto.AttributeType
    static final int ATTR_FLOAT = 1;
    static final int ATTR_INT = 2;
    static final int ATTR_STRING = 3;
    static final int ATTR_TENSOR = 4;
    static final int ATTR_FLOATS = 6;
    static final int ATTR_INTS = 7;

    /** ModelProto: ir_version = 1, graph = 7, opset_import = 8. */
    record Model(long irVersion, boolean hasIrVersion, Graph graph, List<OpsetId> opsets) {
    }

    /** OperatorSetIdProto: domain = 1, version = 2. */
    record OpsetId(String domain, long version) {
    }

    /** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
    record Graph(String name, List<Node> nodes, List<TensorData> initializers, List<ValueInfo> inputs,
            List<ValueInfo> outputs) {
    }

    /** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7. */
    record Node(List<String> inputs, List<String> outputs, String name, String opType, List<Attribute> attributes,
            String domain) {
        Attribute attribute(String n) {
            for (Attribute a : attributes) {
                if (a.name().equals(n)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20. */
    record Attribute(String name, int type, float f, long i, String s, TensorData t, float[] floats, long[] ints) {
        /** The type as ONNX names it, for messages. */
        String typeName() {
            return switch (type) {
                case ATTR_FLOAT -> "float";
                case ATTR_INT -> "int";
                case ATTR_STRING -> "string";
                case ATTR_TENSOR -> "tensor";
                case ATTR_FLOATS -> "floats";
                case ATTR_INTS -> "ints";
                default -> "type " + type;
            };
        }
    }

    /**
     * TensorProto: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7, name = 8,
     * raw_data = 9 (little-endian), double_data = 10, data_location = 14 (1: external). The values as
     * floats (FLOAT, DOUBLE) or longs (INT32, INT64, BOOL); other types keep neither.
     */
    record TensorData(String name, long[] dims, int dataType, float[] floats, long[] longs, boolean external) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1; Tensor: elem_type = 1, shape = 2;
     * TensorShapeProto.dim = 1; Dimension: dim_value = 1, dim_param = 2. A dimension is its value, or
     * -1 when it is symbolic (dim_param, named in {@code params}) or absent. {@code dims} is null
     * without a shape.
     */
    record ValueInfo(String name, int elemType, long[] dims, String[] params) {
    }

    static Model parseModel(byte[] bytes) throws Malformed {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(100);
            in.setSizeLimit(Integer.MAX_VALUE);
            long ir = 0;
            boolean hasIr = false;
            Graph graph = null;
            List<OpsetId> opsets = new ArrayList<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        expect(tag, WireFormat.WIRETYPE_VARINT, "ModelProto.ir_version");
                        ir = in.readInt64();
                        hasIr = true;
                    }
                    case 7 -> {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.graph");
                        graph = parseGraph(in.readByteArray());
                    }
                    case 8 -> {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.opset_import");
                        opsets.add(parseOpset(in.readByteArray()));
                    }
                    default -> in.skipField(tag);
                }
            }
            return new Model(ir, hasIr, graph, opsets);
        } catch (InvalidProtocolBufferException e) {
            throw new Malformed(explain(e));
        } catch (IOException e) {
            throw new Malformed(e.getMessage());
        }
    }

    private static String explain(InvalidProtocolBufferException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("ended unexpectedly") || m.contains("truncated")) {
            return "the file ends in the middle of a field (truncated?)";
        }
        return "not a valid protobuf message (" + m + ")";
    }

    private static void expect(int tag, int wireType, String field) throws Malformed {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new Malformed("field " + field + " has wire type " + WireFormat.getTagWireType(tag) + ", not "
                    + wireType + " (not an ONNX model, or a damaged one)");
        }
    }

    private static String string(CodedInputStream in, int tag, String field) throws IOException, Malformed {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return new String(in.readByteArray(), StandardCharsets.UTF_8);
    }

    private static OpsetId parseOpset(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String domain = "";
        long version = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = string(in, tag, "OperatorSetIdProto.domain");
                case 2 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "OperatorSetIdProto.version");
                    version = in.readInt64();
                }
                default -> in.skipField(tag);
            }
        }
        return new OpsetId(domain, version);
    }

    private static Graph parseGraph(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setSizeLimit(Integer.MAX_VALUE);
        String name = "";
        List<Node> nodes = new ArrayList<>();
        List<TensorData> inits = new ArrayList<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.node");
                    nodes.add(parseNode(in.readByteArray()));
                }
                case 2 -> name = string(in, tag, "GraphProto.name");
                case 5 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.initializer");
                    inits.add(parseTensor(in.readByteArray()));
                }
                case 11 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.input");
                    inputs.add(parseValueInfo(in.readByteArray()));
                }
                case 12 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.output");
                    outputs.add(parseValueInfo(in.readByteArray()));
                }
                default -> in.skipField(tag);
            }
        }
        return new Graph(name, nodes, inits, inputs, outputs);
    }

    private static Node parseNode(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(string(in, tag, "NodeProto.input"));
                case 2 -> outputs.add(string(in, tag, "NodeProto.output"));
                case 3 -> name = string(in, tag, "NodeProto.name");
                case 4 -> op = string(in, tag, "NodeProto.op_type");
                case 5 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.attribute");
                    attributes.add(parseAttribute(in.readByteArray()));
                }
                case 7 -> domain = string(in, tag, "NodeProto.domain");
                default -> in.skipField(tag);
            }
        }
        return new Node(inputs, outputs, name, op, attributes, domain);
    }

    private static Attribute parseAttribute(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        TensorData t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int wire = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(in, tag, "AttributeProto.name");
                case 2 -> {
                    expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    f = in.readFloat();
                }
                case 3 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.i");
                    i = in.readInt64();
                }
                case 4 -> s = string(in, tag, "AttributeProto.s");
                case 5 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.t");
                    t = parseTensor(in.readByteArray());
                }
                case 7 -> readFloats(in, wire, floats, "AttributeProto.floats");
                case 8 -> readLongs(in, wire, ints, "AttributeProto.ints");
                case 20 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.type");
                    type = in.readInt32();
                }
                default -> in.skipField(tag);
            }
        }
        return new Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    static TensorData parseTensor(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setSizeLimit(Integer.MAX_VALUE);
        LongList dims = new LongList();
        int dataType = 0;
        FloatList floatData = new FloatList();
        LongList longData = new LongList();
        List<Double> doubleData = new ArrayList<>();
        byte[] raw = null;
        String name = "";
        boolean external = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int wire = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readLongs(in, wire, dims, "TensorProto.dims");
                case 2 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "TensorProto.data_type");
                    dataType = in.readInt32();
                }
                case 4 -> readFloats(in, wire, floatData, "TensorProto.float_data");
                case 5, 7 -> readLongs(in, wire, longData, "TensorProto.int64_data");
                case 8 -> name = string(in, tag, "TensorProto.name");
                case 9 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
                    raw = in.readByteArray();
                }
                case 10 -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            doubleData.add(in.readDouble());
                        }
                        in.popLimit(limit);
                    } else {
                        expect(tag, WireFormat.WIRETYPE_FIXED64, "TensorProto.double_data");
                        doubleData.add(in.readDouble());
                    }
                }
                case 14 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "TensorProto.data_location");
                    external = in.readInt32() == 1;
                }
                default -> in.skipField(tag);
            }
        }
        long[] shape = dims.toArray();
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new Malformed("tensor '" + name + "' has a negative dimension " + d);
            }
            size = Math.multiplyExact(size, d);
        }
        float[] floats = null;
        long[] longs = null;
        if (external) {
            return new TensorData(name, shape, dataType, null, null, true);
        }
        if (dataType == FLOAT || dataType == DOUBLE) {
            int width = dataType == FLOAT ? 4 : 8;
            if (raw != null) {
                floats = new float[checkedSize(name, size, raw.length, width)];
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < floats.length; k++) {
                    floats[k] = width == 4 ? b.getFloat() : (float) b.getDouble();
                }
            } else if (dataType == FLOAT) {
                floats = floatData.toArray();
            } else {
                floats = new float[doubleData.size()];
                for (int k = 0; k < floats.length; k++) {
                    floats[k] = doubleData.get(k).floatValue();
                }
            }
            if (floats.length != size) {
                throw new Malformed("tensor '" + name + "' holds " + floats.length + " values, its dims "
                        + java.util.Arrays.toString(shape) + " need " + size);
            }
        } else if (dataType == INT64 || dataType == INT32 || dataType == BOOL) {
            int width = dataType == INT64 ? 8 : dataType == INT32 ? 4 : 1;
            if (raw != null) {
                longs = new long[checkedSize(name, size, raw.length, width)];
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < longs.length; k++) {
                    longs[k] = width == 8 ? b.getLong() : width == 4 ? b.getInt() : b.get();
                }
            } else {
                longs = longData.toArray();
            }
            if (longs.length != size) {
                throw new Malformed("tensor '" + name + "' holds " + longs.length + " values, its dims "
                        + java.util.Arrays.toString(shape) + " need " + size);
            }
        }
        return new TensorData(name, shape, dataType, floats, longs, false);
    }

    private static int checkedSize(String name, long size, int bytes, int width) throws Malformed {
        if ((long) bytes != size * width) {
            throw new Malformed("tensor '" + name + "' has " + bytes + " bytes of raw data, its " + size
                    + " values need " + size * width);
        }
        return (int) size;
    }

    private static ValueInfo parseValueInfo(byte[] bytes) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "";
        int elemType = 0;
        long[] dims = null;
        String[] params = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(in, tag, "ValueInfoProto.name");
                case 2 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ValueInfoProto.type");
                    CodedInputStream type = CodedInputStream.newInstance(in.readByteArray());
                    for (int t; (t = type.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) != 1) {       // TypeProto.tensor_type
                            type.skipField(t);
                            continue;
                        }
                        expect(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.tensor_type");
                        CodedInputStream tensor = CodedInputStream.newInstance(type.readByteArray());
                        for (int u; (u = tensor.readTag()) != 0; ) {
                            switch (WireFormat.getTagFieldNumber(u)) {
                                case 1 -> {
                                    expect(u, WireFormat.WIRETYPE_VARINT, "TypeProto.Tensor.elem_type");
                                    elemType = tensor.readInt32();
                                }
                                case 2 -> {
                                    expect(u, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.Tensor.shape");
                                    List<long[]> found = new ArrayList<>();
                                    List<String> names = new ArrayList<>();
                                    parseShape(tensor.readByteArray(), found, names);
                                    dims = new long[found.size()];
                                    params = names.toArray(new String[0]);
                                    for (int k = 0; k < dims.length; k++) {
                                        dims[k] = found.get(k)[0];
                                    }
                                }
                                default -> tensor.skipField(u);
                            }
                        }
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return new ValueInfo(name, elemType, dims, params);
    }

    private static void parseShape(byte[] bytes, List<long[]> dims, List<String> params) throws IOException, Malformed {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) != 1) {
                in.skipField(tag);
                continue;
            }
            expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorShapeProto.dim");
            CodedInputStream dim = CodedInputStream.newInstance(in.readByteArray());
            long value = -1;
            String param = null;
            for (int t; (t = dim.readTag()) != 0; ) {
                switch (WireFormat.getTagFieldNumber(t)) {
                    case 1 -> {
                        expect(t, WireFormat.WIRETYPE_VARINT, "Dimension.dim_value");
                        value = dim.readInt64();
                    }
                    case 2 -> param = string(dim, t, "Dimension.dim_param");
                    default -> dim.skipField(t);
                }
            }
            dims.add(new long[] {value});
            params.add(param);
        }
    }

    private static void readLongs(CodedInputStream in, int wire, LongList out, String field) throws IOException, Malformed {
        if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                out.add(in.readInt64());
            }
            in.popLimit(limit);
        } else if (wire == WireFormat.WIRETYPE_VARINT) {
            out.add(in.readInt64());
        } else {
            throw new Malformed("field " + field + " has wire type " + wire + " (not an ONNX model, or a damaged one)");
        }
    }

    private static void readFloats(CodedInputStream in, int wire, FloatList out, String field) throws IOException, Malformed {
        if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                out.add(in.readFloat());
            }
            in.popLimit(limit);
        } else if (wire == WireFormat.WIRETYPE_FIXED32) {
            out.add(in.readFloat());
        } else {
            throw new Malformed("field " + field + " has wire type " + wire + " (not an ONNX model, or a damaged one)");
        }
    }

    /** A growable array of longs. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** A growable array of floats. */
    private static final class FloatList {
        private float[] values = new float[8];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
