package dendrite.onnx;

import dendrite.nn.Sequential;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.ELU;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.Hardswish;
import dendrite.nn.layers.Hardtanh;
import dendrite.nn.layers.LogSoftmax;
import dendrite.nn.layers.PReLU;
import dendrite.nn.layers.Softplus;
import dendrite.nn.layers.GlobalAvgPool2d;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LeakyReLU;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.ReLU6;
import dendrite.nn.layers.Rescaling;
import dendrite.nn.layers.Reshape;
import dendrite.nn.layers.SELU;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.Softmax;
import dendrite.nn.layers.Tanh;
import dendrite.onnx.OnnxProto.Attribute;
import dendrite.onnx.OnnxProto.Graph;
import dendrite.onnx.OnnxProto.Malformed;
import dendrite.onnx.OnnxProto.Model;
import dendrite.onnx.OnnxProto.Node;
import dendrite.onnx.OnnxProto.TensorData;
import dendrite.onnx.OnnxProto.ValueInfo;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.op.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an ONNX model file into a {@link Sequential}: train in PyTorch, export with
 * {@code torch.onnx.export}, run the model in a JVM application with Dendrite.
 *
 * <pre>{@code
 * Sequential model = OnnxImport.load(Path.of("model.onnx"), Backends.best());
 * float[] probabilities = model.predict(features, n);
 * }</pre>
 *
 * <h2>What can be imported</h2>
 * A graph with one float32 input whose dimensions are fixed apart from the batch (the first, usually
 * dynamic) and one output, whose nodes take data computed from the input and constants (initializers
 * or {@code Constant} nodes). This is what {@code torch.onnx.export} (opsets 9 to 17 tested; up to 21
 * read) writes in {@code eval()} mode for models built of the layers below, in a chain (an
 * {@code nn.Sequential}) or with branches that merge again:
 * <ul>
 *   <li>{@code Add} of two data values of one shape (a residual connection, {@code x + f(x)}),
 *       {@code Mul} of two (a gate, {@code x * torch.sigmoid(g(x))}), {@code Concat} of two or more along
 *       a per-sample axis ({@code torch.cat(..., dim=1)}: channels of images, features of rows); no
 *       broadcasting;</li>
 *   <li>{@code Add}, {@code Sub}, {@code Mul} and {@code Div} of the data and a one-element constant
 *       ({@code x / 255}, {@code 2 * x - 1}, {@code 1.5 - x}): {@link Rescaling} ({@code x / c} as
 *       {@code x * (1 / c)}, which can differ from the quotient in its last bit; {@code c / x} refused);</li>
 *   <li>{@code Gemm} ({@code nn.Linear}; any alpha and beta, transA 0, transB 0 or 1) and {@code MatMul}
 *       with a constant matrix, optionally followed by {@code Add} of a constant bias ({@code nn.Linear}
 *       without bias, or exporters that split it): {@link Dense};</li>
 *   <li>{@code Conv} on {@code [C, H, W]} images (any group count: grouped and depthwise too; symmetric
 *       pads, any strides and dilations, with or without bias): {@link Conv2d};</li>
 *   <li>{@code MaxPool}, {@code AveragePool} (padding counted, as PyTorch's default
 *       {@code count_include_pad=True}; the {@code Pad} node torch writes before it is folded into it),
 *       {@code GlobalAveragePool}: {@link MaxPool2d}, {@link AvgPool2d}, {@link GlobalAvgPool2d};</li>
 *   <li>{@code Flatten} (axis 1): {@link Flatten}; {@code Reshape} that keeps the batch, to a shape that is
 *       constant or computed from the data's ({@code Shape}, {@code Gather}, {@code Unsqueeze},
 *       {@code Concat}, as torch writes {@code x.view(x.size(0), -1)}): {@link Flatten} or {@link Reshape};</li>
 *   <li>{@code Relu}, {@code LeakyRelu}, {@code Sigmoid}, {@code Tanh}, {@code Elu}, {@code Selu},
 *       {@code HardSwish}, {@code Softplus}, {@code Softmax} and {@code LogSoftmax} (over the last axis),
 *       {@code PRelu} (one slope, or one per channel: {@link PReLU}); {@code Clip}: {@link ReLU} with min 0
 *       and no max ({@code torch.clamp(x, min=0)}), {@link ReLU6} from 0 to 6, {@link Hardtanh} with other
 *       bounds ({@code nn.Hardtanh}, {@code torch.clamp}; a missing bound is open);</li>
 *   <li>{@code nn.GELU()}, which torch 1.13 writes as {@code Div} by sqrt 2, {@code Erf}, {@code Add} 1,
 *       {@code Mul} by the input, {@code Mul} by 0.5: {@link GELU} (exact); {@code nn.GELU(approximate='tanh')},
 *       written as {@code Mul}s, {@code Add}s and {@code Tanh} ({@code 0.5 x (1 + tanh(sqrt(2/pi) (x +
 *       0.044715 x^3)))}): {@link GELU} in its tanh form;</li>
 *   <li>{@code BatchNormalization} (inference, running statistics) on flat rows or images:
 *       {@link BatchNorm1d}, {@link BatchNorm2d}; {@code LayerNormalization} over the last axis (opset 17),
 *       and below opset 17 the {@code ReduceMean}, {@code Sub}, {@code Pow}, {@code ReduceMean},
 *       {@code Add}, {@code Sqrt}, {@code Div}, {@code Mul}, {@code Add} torch writes for
 *       {@code nn.LayerNorm(features)}: {@link LayerNorm};</li>
 *   <li>{@code Dropout} and {@code Identity}: nothing (they do nothing in inference).</li>
 * </ul>
 * The model is a {@link Sequential}: where one value alone is passed on, each layer is one of its
 * layers; each part where values branch and merge again (a residual block from the value it takes
 * to the sum, an Inception-like block to its concatenation) is one {@link dendrite.nn.graph.Graph}
 * among them, its nodes named after their layer type and position ({@code 2.conv2d_0.weight}).
 * Note that the exporter folds a {@code BatchNorm2d} that directly follows a {@code Conv2d} into the
 * convolution's weights, so the model has one layer fewer than the PyTorch one; names in
 * {@link Sequential#stateDict()} are therefore not PyTorch's.
 *
 * <p>Anything else (another operator, a second input or output, broadcasting, an option Dendrite's
 * layer does not have) is refused with an {@link OnnxImportException} naming the file, the node and
 * what is not supported, as is a file that is not ONNX or is damaged.
 */
public final class OnnxImport {
    /** The ONNX operators import understands, in the order of the list above. */
    public static final List<String> SUPPORTED_OPS = List.of("Add", "Mul", "Concat", "Gemm", "MatMul", "Conv",
            "MaxPool", "AveragePool", "Pad", "GlobalAveragePool", "Flatten", "Reshape", "Relu", "LeakyRelu",
            "Sigmoid", "Tanh", "Elu", "Selu", "Softmax", "LogSoftmax", "PRelu", "HardSwish", "Softplus", "Clip",
            "Div", "Erf", "BatchNormalization", "LayerNormalization", "ReduceMean", "Sub", "Pow", "Sqrt", "Dropout",
            "Identity", "Constant", "Shape", "Gather", "Unsqueeze");

    /** Of {@link #SUPPORTED_OPS}, those supported only inside the patterns torch writes for GELU and LayerNorm. */
    private static final List<String> PATTERN_OPS = List.of("Div", "Erf", "ReduceMean", "Sub", "Pow", "Sqrt");

    /** The batch size in values computed from the data's shape (it is not known until run time). */
    private static final long BATCH = Long.MIN_VALUE;

    /** The default domain's opsets import reads. */
    private static final int MIN_OPSET = 9;
    private static final int MAX_OPSET = 21;

    private OnnxImport() {
    }

    /**
     * Reads {@code file} and builds the model it describes on {@code backend}, with its weights.
     *
     * @param file    an ONNX model file ({@code .onnx}), e.g. from {@code torch.onnx.export}
     * @param backend the backend the model is built for and runs on
     * @return the model: its input shape is the graph input's without the batch dimension; its output
     *         is the graph's output
     * @throws OnnxImportException if the file cannot be read, is not an ONNX model, is damaged, or holds
     *                             something that is not supported (see the class comment); the message
     *                             names the file and what is wrong
     */
    public static Sequential load(Path file, Backend backend) throws OnnxImportException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OnnxImportException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new OnnxImportException(file, null, "cannot read it: " + e, e);
        }
        if (bytes.length == 0) {
            throw new OnnxImportException(file, null, "the file is empty, not an ONNX model", null);
        }
        Model model;
        try {
            model = OnnxProto.parseModel(bytes);
        } catch (Malformed e) {
            throw new OnnxImportException(file, null, "not a valid ONNX model: " + e.getMessage() + hint(bytes), e);
        }
        if (model.graph() == null || !model.hasIrVersion()) {
            throw new OnnxImportException(file, null, "not an ONNX model: it has no "
                    + (model.graph() == null ? "graph" : "ir_version") + hint(bytes), null);
        }
        long opset = -1;
        for (OnnxProto.OpsetId id : model.opsets()) {
            if (id.domain().isEmpty() || id.domain().equals("ai.onnx")) {
                opset = id.version();
            }
        }
        if (opset < 0) {
            throw new OnnxImportException(file, null,
                    "the model names no opset of the default ONNX domain (truncated, or not an ONNX model?)", null);
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new OnnxImportException(file, null, "opset " + opset + " is not supported (" + MIN_OPSET + " to "
                    + MAX_OPSET + "; torch.onnx.export(..., opset_version=17) writes a supported one)", null);
        }
        return new Chain(file, model.graph(), (int) opset).build(backend);
    }

    /** What a file that is not ONNX probably is, for the message. */
    private static String hint(byte[] bytes) {
        if (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
            return " (it is a zip archive: a PyTorch .pt/.pth file? Export the model with torch.onnx.export)";
        }
        if (bytes.length > 8 && bytes[8] == '{') {
            return " (it looks like a safetensors file: load that with Sequential.loadStateDict or ModelFile)";
        }
        return "";
    }

    /**
     * One node of the model being built: a layer applied to one earlier node's value, or a merge of
     * several; its weights by state-dict name within the layer.
     */
    static final class Step {
        Layer layer;
        /** "add", "multiply" or "concat" (with {@link #axis}, per sample) where {@link #layer} is null. */
        final String merge;
        final int axis;
        /** The steps whose values it takes, {@link #INPUT} for the model's input. */
        final int[] inputs;
        /** The ONNX node it came from, for messages. */
        final String source;
        final Map<String, float[]> weights = new LinkedHashMap<>();
        /** For a Dense from MatMul without bias: its sizes, so that a following Add can become its bias. */
        int matmulIn = -1;
        int matmulOut = -1;

        /** The input of {@link #inputs}: the model's. */
        static final int INPUT = -1;

        Step(Layer layer, String merge, int axis, int[] inputs, String source) {
            this.layer = layer;
            this.merge = merge;
            this.axis = axis;
            this.inputs = inputs;
            this.source = source;
        }
    }

    /**
     * A data value: the step that computes it ({@link Step#INPUT} for the model's input) and its
     * per-sample shape; {@code pad} is a Pad's {padH, padW} waiting for the AveragePool that must take it.
     */
    private record Value(int step, Shape shape, int[] pad, Node padNode, int padIndex) {
        Value(int step, Shape shape) {
            this(step, shape, null, null, -1);
        }
    }

    /** The walk along the graph's nodes that turns them into layers. */
    private static final class Chain {
        private final Path file;
        private final Graph graph;
        private final int opset;
        private final Map<String, TensorData> constants = new HashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private int[] inputDims;
        /** The data values computed so far, by name. */
        private final Map<String, Value> values = new HashMap<>();
        /** How many nodes (and graph outputs) take each value. */
        private final Map<String, Integer> uses = new HashMap<>();
        private Fusions fusions;
        private boolean[] fused;      // nodes taken into a pattern (GELU, LayerNorm) already converted
        private Shape shape;          // per sample: the node's data input's, then its output's
        private String current;       // the node's data input
        private Node node;            // the node being converted
        private int nodeIndex;
        /** int64 values computed from the data's shape: {@link #BATCH} stands for the batch size. */
        private final Map<String, long[]> shapeValues = new HashMap<>();

        Chain(Path file, Graph graph, int opset) {
            this.file = file;
            this.graph = graph;
            this.opset = opset;
        }

        private OnnxImportException fileError(String problem) {
            return new OnnxImportException(file, null, problem, null);
        }

        private static String label(Node n, int index) {
            return n.name().isEmpty() ? "node #" + index + " (" + n.opType() + ")"
                    : "node '" + n.name() + "' (" + n.opType() + ")";
        }

        private OnnxImportException error(String problem) {
            return new OnnxImportException(file, label(node, nodeIndex), problem, null);
        }

        Sequential build(Backend backend) throws OnnxImportException {
            start();
            List<Node> nodes = graph.nodes();
            for (nodeIndex = 0; nodeIndex < nodes.size(); nodeIndex++) {
                node = nodes.get(nodeIndex);
                if (!fused[nodeIndex]) {
                    convert();
                }
            }
            node = null;
            if (graph.outputs().size() != 1) {
                throw fileError("the graph has " + graph.outputs().size() + " outputs; only one is supported");
            }
            String out = graph.outputs().get(0).name();
            Value v = values.get(out);
            if (v == null) {
                throw fileError("the graph's output '" + out + "' is not computed from its input");
            }
            if (v.pad() != null) {
                throw padAlone(v);
            }
            if (steps.isEmpty() || v.step() == Step.INPUT) {
                throw fileError("the graph has no layers");
            }
            return GraphAssembly.build(file, inputDims, steps, v.step(), backend);
        }

        /** The constants, and the one data input with its shape. */
        private void start() throws OnnxImportException {
            for (TensorData t : graph.initializers()) {
                if (t.external()) {
                    throw fileError("initializer '" + t.name() + "' is stored in an external data file; "
                            + "only models with their weights inside the .onnx file are supported");
                }
                constants.put(t.name(), t);
            }
            List<ValueInfo> data = new ArrayList<>();
            for (ValueInfo v : graph.inputs()) {
                if (!constants.containsKey(v.name())) {
                    data.add(v);
                }
            }
            if (data.size() != 1) {
                throw fileError("the graph has " + data.size() + " inputs " + data.stream().map(ValueInfo::name).toList()
                        + "; only one is supported");
            }
            ValueInfo in = data.get(0);
            if (in.elemType() != OnnxProto.FLOAT) {
                throw fileError("input '" + in.name() + "' has element type " + in.elemType()
                        + " (ONNX's numbering); only float32 (1) is supported");
            }
            if (in.dims() == null || in.dims().length < 2) {
                throw fileError("input '" + in.name() + "' has " + (in.dims() == null ? "no shape" : "rank " + in.dims().length)
                        + "; a batch dimension and at least one more, of fixed sizes, are needed");
            }
            inputDims = new int[in.dims().length - 1];
            for (int k = 1; k < in.dims().length; k++) {
                long d = in.dims()[k];
                if (d <= 0 || d > Integer.MAX_VALUE) {
                    throw fileError("dimension " + k + " of input '" + in.name() + "' is "
                            + (in.params()[k] != null ? "'" + in.params()[k] + "' (not fixed)" : "not fixed")
                            + "; only the batch dimension (0) may vary");
                }
                inputDims[k - 1] = (int) d;
            }
            values.put(in.name(), new Value(Step.INPUT, Shape.of(inputDims)));
            List<Node> nodes = graph.nodes();
            fused = new boolean[nodes.size()];
            for (nodeIndex = 0; nodeIndex < nodes.size(); nodeIndex++) {
                node = nodes.get(nodeIndex);
                for (String name : node.inputs()) {
                    uses.merge(name, 1, Integer::sum);
                }
                if (node.opType().equals("Constant") && defaultDomain(node)) {
                    constant();                 // data-free: known before the nodes that take them
                }
            }
            for (ValueInfo o : graph.outputs()) {
                uses.merge(o.name(), 1, Integer::sum);
            }
            fusions = new Fusions(nodes, constants);
        }

        private static boolean defaultDomain(Node n) {
            return n.domain().isEmpty() || n.domain().equals("ai.onnx");
        }

        private void convert() throws OnnxImportException {
            String op = node.opType();
            if (!defaultDomain(node)) {
                throw error("operators of domain '" + node.domain() + "' are not supported (only the default ONNX domain)");
            }
            if (op.equals("Constant")) {
                return;                         // read before the walk
            }
            if (op.equals("Identity") && constants.containsKey(input(0))) {
                constants.put(output(), constants.get(input(0)));   // the exporter's alias of a weight
                return;
            }
            switch (op) {
                case "Shape" -> {
                    shapeOf();
                    return;
                }
                case "Gather", "Unsqueeze" -> {
                    shapeArithmetic(op);
                    return;
                }
                case "Concat" -> {
                    if (node.inputs().stream().anyMatch(values::containsKey)) {
                        concat();
                    } else {
                        shapeArithmetic(op);
                    }
                    return;
                }
                case "Add" -> {
                    add();
                    return;
                }
                case "Mul" -> {
                    mul();
                    return;
                }
                default -> {
                }
            }
            Value in = values.get(input(0));
            if (in != null && in.pad() != null && !op.equals("AveragePool")) {
                throw padAlone(in);
            }
            current = input(0);
            shape = in == null ? null : in.shape();
            if (in != null && (op.equals("Div") || op.equals("ReduceMean")) && pattern(op)) {
                return;
            }
            if ((op.equals("Sub") || op.equals("Div")) && scalarArithmetic(op)) {
                return;
            }
            int before = steps.size();
            switch (op) {
                case "Identity" -> chainInputs(1);
                case "Dropout" -> dropout();
                case "Gemm" -> gemm();
                case "MatMul" -> matMul();
                case "Conv" -> conv();
                case "MaxPool" -> pool(true);
                case "AveragePool" -> pool(false);
                case "Pad" -> {
                    pad();
                    return;
                }
                case "GlobalAveragePool" -> {
                    chainInputs(1);
                    images("GlobalAveragePool");
                    layer(new GlobalAvgPool2d());
                }
                case "Flatten" -> flatten();
                case "Reshape" -> reshape();
                case "Relu" -> activation(new ReLU());
                case "Sigmoid" -> activation(new Sigmoid());
                case "Tanh" -> activation(new Tanh());
                case "LeakyRelu" -> activation(new LeakyReLU(floatAttr("alpha", 0.01f)));
                case "Elu" -> activation(new ELU(floatAttr("alpha", 1f)));
                case "Selu" -> selu();
                case "Softmax" -> softmax(false);
                case "LogSoftmax" -> softmax(true);
                case "PRelu" -> prelu();
                case "HardSwish" -> activation(new Hardswish());
                case "Softplus" -> activation(new Softplus());
                case "BatchNormalization" -> batchNorm();
                case "LayerNormalization" -> layerNormalization();
                case "Clip" -> clip();
                default -> throw error(PATTERN_OPS.contains(op) ? op + " is supported only" + withConstant(op)
                        + " in the patterns torch "
                        + "writes for nn.GELU() (Div by sqrt 2, Erf, Add 1, Mul, Mul by 0.5) and for nn.LayerNorm below "
                        + "opset 17 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add), which this node does not"
                        + " begin or is not a part of"
                        : op + " is not supported; supported ops: " + String.join(", ", SUPPORTED_OPS));
            }
            // a layer's output, or the same value (Identity, Dropout)
            values.put(output(), steps.size() > before ? new Value(steps.size() - 1, shape) : in);
        }

        /** For a pattern operator's refusal: the form {@link #scalarArithmetic} also takes, if any. */
        private static String withConstant(String op) {
            return switch (op) {
                case "Sub" -> " with a one-element constant (the data minus it, or it minus the data) and";
                case "Div" -> " with a one-element constant (the data divided by it) and";
                default -> "";
            };
        }

        private OnnxImportException padAlone(Value pad) {
            return new OnnxImportException(file, label(pad.padNode(), pad.padIndex()),
                    "Pad is supported only right before AveragePool (as torch exports AvgPool2d), not before "
                            + (node == null ? "the end of the graph" : label(node, nodeIndex)), null);
        }

        private String input(int k) {
            return k < node.inputs().size() ? node.inputs().get(k) : "";
        }

        private String output() throws OnnxImportException {
            if (node.outputs().isEmpty() || node.outputs().get(0).isEmpty()) {
                throw error("the node has no output");
            }
            return node.outputs().get(0);
        }

        /**
         * Checks that input 0 is the chain's value and inputs 1 to {@code maxInputs - 1} (where given) are
         * constants.
         */
        private void chainInputs(int maxInputs) throws OnnxImportException {
            List<String> in = node.inputs();
            for (int k = 0; k < in.size(); k++) {
                String name = in.get(k);
                if (k == 0 ? !values.containsKey(name) : !name.isEmpty() && !constants.containsKey(name)) {
                    throw notChain(name);
                }
            }
            if (in.isEmpty()) {
                throw error("the node has no input");
            }
            if (in.size() > maxInputs) {
                throw error("it has " + in.size() + " inputs; at most " + maxInputs + " are supported");
            }
        }

        private OnnxImportException notChain(String name) {
            String what = constants.containsKey(name) ? "is a constant where the data was expected"
                    : values.containsKey(name) ? "is data where a constant was expected (" + node.opType()
                    + " is supported with the data as its first input and constants for the others)"
                    : "is neither computed from the graph's input by an earlier node nor a constant"
                    + " (a second graph input, or nodes out of order?)";
            return error("input '" + name + "' " + what);
        }

        private TensorData constantInput(int k, String role) throws OnnxImportException {
            String name = input(k);
            TensorData t = constants.get(name);
            if (name.isEmpty() || t == null) {
                throw error("its " + role + " (input " + k + ") must be a constant in the file"
                        + (name.isEmpty() ? "" : ", but '" + name + "' is not"));
            }
            return t;
        }

        private float[] floats(int k, String role) throws OnnxImportException {
            TensorData t = constantInput(k, role);
            if (t.floats() == null) {
                throw error("its " + role + " '" + t.name() + "' has data type " + t.dataType()
                        + " (ONNX's numbering); float32 (1) is expected");
            }
            return t.floats();
        }

        private long[] longs(int k, String role) throws OnnxImportException {
            TensorData t = constantInput(k, role);
            if (t.longs() == null) {
                throw error("its " + role + " '" + t.name() + "' has data type " + t.dataType()
                        + " (ONNX's numbering); int64 (7) is expected");
            }
            return t.longs();
        }

        private Attribute attr(String name, int type) throws OnnxImportException {
            Attribute a = node.attribute(name);
            if (a != null && a.type() != 0 && a.type() != type) {
                throw error("attribute " + name + " is of type " + a.typeName() + ", not the expected "
                        + new Attribute("", type, 0, 0, null, null, null, null).typeName());
            }
            return a;
        }

        private float floatAttr(String name, float otherwise) throws OnnxImportException {
            Attribute a = attr(name, OnnxProto.ATTR_FLOAT);
            return a == null ? otherwise : a.f();
        }

        private long intAttr(String name, long otherwise) throws OnnxImportException {
            Attribute a = attr(name, OnnxProto.ATTR_INT);
            return a == null ? otherwise : a.i();
        }

        private long[] intsAttr(String name, long[] otherwise) throws OnnxImportException {
            Attribute a = attr(name, OnnxProto.ATTR_INTS);
            return a == null ? otherwise : a.ints();
        }

        private String stringAttr(String name, String otherwise) throws OnnxImportException {
            Attribute a = attr(name, OnnxProto.ATTR_STRING);
            return a == null || a.s() == null ? otherwise : a.s();
        }

        /** Fails unless an integer attribute has the one value Dendrite supports. */
        private void onlyInt(String name, long otherwise, long supported) throws OnnxImportException {
            long v = intAttr(name, otherwise);
            if (v != supported) {
                throw error(name + "=" + v + " is not supported (only " + supported + ")");
            }
        }

        private void onlyNotSet() throws OnnxImportException {
            String autoPad = stringAttr("auto_pad", "NOTSET");
            if (!autoPad.equals("NOTSET")) {
                throw error("auto_pad=" + autoPad + " is not supported (only explicit pads)");
            }
        }

        /** Appends a layer after checking that it takes the current shape. */
        private Step layer(Layer layer) throws OnnxImportException {
            Shape next;
            try {
                next = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {            // LayerShapeException among them
                throw error("it cannot take the per-sample shape " + shape + ": " + e.getMessage());
            }
            Step step = new Step(layer, null, 0, new int[] {values.get(current).step()}, label(node, nodeIndex));
            steps.add(step);
            shape = next;
            return step;
        }

        private void activation(Layer layer) throws OnnxImportException {
            chainInputs(1);
            layer(layer);
        }

        private void constant() throws OnnxImportException {
            String out = output();
            Attribute a = node.attribute("value");
            if (a != null && a.t() != null) {
                constants.put(out, a.t());
                return;
            }
            Attribute ints = node.attribute("value_ints");
            Attribute one = node.attribute("value_int");
            Attribute f = node.attribute("value_float");
            Attribute fs = node.attribute("value_floats");
            if (ints != null) {
                constants.put(out, new TensorData(out, new long[] {ints.ints().length}, OnnxProto.INT64, null, ints.ints(), false));
            } else if (one != null) {
                constants.put(out, new TensorData(out, new long[0], OnnxProto.INT64, null, new long[] {one.i()}, false));
            } else if (fs != null) {
                constants.put(out, new TensorData(out, new long[] {fs.floats().length}, OnnxProto.FLOAT, fs.floats(), null, false));
            } else if (f != null) {
                constants.put(out, new TensorData(out, new long[0], OnnxProto.FLOAT, new float[] {f.f()}, null, false));
            } else {
                throw error("only a Constant with a value, value_int(s) or value_float(s) is supported");
            }
        }

        private void dropout() throws OnnxImportException {
            chainInputs(3);
            if (!input(2).isEmpty()) {
                long[] training = constants.get(input(2)).longs();
                if (training != null && training.length == 1 && training[0] != 0) {
                    throw error("training_mode=true is not supported (export the model in eval() mode)");
                }
            }
        }

        private void gemm() throws OnnxImportException {
            chainInputs(3);
            onlyInt("transA", 0, 0);
            long transB = intAttr("transB", 0);
            float alpha = floatAttr("alpha", 1f);
            float beta = floatAttr("beta", 1f);
            if (!Float.isFinite(alpha) || !Float.isFinite(beta)) {
                throw error("alpha=" + alpha + " and beta=" + beta + " must be finite");
            }
            if (shape.rank() != 1) {
                throw error("it needs flat rows [N, features], not per-sample shape " + shape + " (add a Flatten)");
            }
            TensorData b = constantInput(1, "weight");
            float[] w = floats(1, "weight");
            if (b.dims().length != 2) {
                throw error("its weight '" + b.name() + "' has dims " + Arrays.toString(b.dims()) + "; a matrix is expected");
            }
            int in = (int) b.dims()[transB != 0 ? 1 : 0];
            int out = (int) b.dims()[transB != 0 ? 0 : 1];
            if (in != shape.dim(0)) {
                throw error("its weight '" + b.name() + "' " + Arrays.toString(b.dims()) + " takes " + in
                        + " features, the input has " + shape.dim(0));
            }
            float[] weight = transB != 0 ? w : transpose(w, in, out);
            // alpha A B + beta C: alpha goes into the weights (alpha (x . w) and x . (alpha w) differ only in
            // the roundings of the terms), beta into the bias (the same float product ONNX adds).
            weight = scaled(weight, alpha);
            float[] bias = null;
            if (!input(2).isEmpty()) {
                bias = scaled(biasOf(floats(2, "bias"), out), beta);
            }
            Step s = layer(new Dense(in, out, bias != null, null));
            s.weights.put("weight", weight);
            if (bias != null) {
                s.weights.put("bias", bias);
            }
        }

        /** {@code v} times {@code factor}, a new array unless the factor is 1. */
        private static float[] scaled(float[] v, float factor) {
            if (factor == 1f) {
                return v;
            }
            float[] s = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = v[i] * factor;
            }
            return s;
        }

        /** A bias of {@code out} values, or one broadcast to them. */
        private float[] biasOf(float[] c, int out) throws OnnxImportException {
            if (c.length == out) {
                return c;
            }
            if (c.length == 1) {
                float[] b = new float[out];
                Arrays.fill(b, c[0]);
                return b;
            }
            throw error("its bias has " + c.length + " values; " + out + " (one per output) are expected");
        }

        private void matMul() throws OnnxImportException {
            chainInputs(2);
            TensorData b = constantInput(1, "weight");
            float[] w = floats(1, "weight");
            if (b.dims().length != 2) {
                throw error("its second input '" + b.name() + "' has dims " + Arrays.toString(b.dims())
                        + "; a constant matrix [in, out] is expected");
            }
            int in = (int) b.dims()[0];
            int out = (int) b.dims()[1];
            if (shape.dim(shape.rank() - 1) != in) {
                throw error("its weight '" + b.name() + "' " + Arrays.toString(b.dims()) + " takes " + in
                        + " features, the input has " + shape.dim(shape.rank() - 1));
            }
            Step s = layer(new Dense(in, out, false, null));
            s.weights.put("weight", transpose(w, in, out));
            s.matmulIn = in;
            s.matmulOut = out;
        }

        /**
         * {@code Add}, {@code Sub}, {@code Mul} or {@code Div} of the data and a constant of one float
         * ({@code x + c}, {@code x - c}, {@code c - x}, {@code x * c}, {@code x / c}): one {@link Rescaling}
         * layer, {@code scale * x + offset}. Add, Sub and Mul give exactly ONNX's floats; Div multiplies by the
         * reciprocal rounded to float, which can differ from the quotient in its last bit. {@code c / x} is
         * not affine and stays refused.
         *
         * @return whether the node was that; false leaves everything as it was
         */
        private boolean scalarArithmetic(String op) throws OnnxImportException {
            List<String> in = node.inputs();
            if (in.size() != 2) {
                return false;
            }
            int data = values.containsKey(in.get(0)) ? 0 : values.containsKey(in.get(1)) ? 1 : -1;
            TensorData c = data < 0 ? null : constants.get(in.get(1 - data));
            if (c == null || c.floats() == null || c.floats().length != 1 || (op.equals("Div") && data == 1)) {
                return false;
            }
            Value v = values.get(in.get(data));
            if (c.dims().length > v.shape().rank() + 1) {
                return false;                   // the output would gain dimensions: broadcasting
            }
            double k = c.floats()[0];
            double scale = switch (op) {
                case "Mul" -> k;
                case "Div" -> (float) (1 / k);
                case "Sub" -> data == 0 ? 1 : -1;
                default -> 1;
            };
            double offset = switch (op) {
                case "Add" -> k;
                case "Sub" -> data == 0 ? -k : k;
                default -> 0;
            };
            if (v.pad() != null) {
                throw padAlone(v);
            }
            Rescaling layer;
            try {
                layer = new Rescaling(scale, offset);
            } catch (IllegalArgumentException e) {
                throw error(op + " by the constant '" + c.name() + "' (" + k + ") is not supported: " + e.getMessage());
            }
            current = in.get(data);
            shape = v.shape();
            layer(layer);
            values.put(output(), new Value(steps.size() - 1, shape));
            return true;
        }

        /**
         * {@code Add} of two data values of one shape (a residual connection), or of a constant bias to the
         * MatMul before it (the value it adds to taken by nothing else): that Dense then has the bias; or of a
         * one-element constant elsewhere ({@link #scalarArithmetic}).
         */
        private void add() throws OnnxImportException {
            List<String> in = node.inputs();
            if (in.size() != 2) {
                throw error("it has " + in.size() + " inputs; 2 are expected");
            }
            if (values.containsKey(in.get(0)) && values.containsKey(in.get(1))) {
                merge("add", 0);
                return;
            }
            int data = values.containsKey(in.get(0)) ? 0 : values.containsKey(in.get(1)) ? 1 : -1;
            if (data < 0) {
                throw notChain(in.get(constants.containsKey(in.get(0)) ? 1 : 0));
            }
            if (!constants.containsKey(in.get(1 - data))) {
                throw notChain(in.get(1 - data));
            }
            Value v = values.get(in.get(data));
            if (v.pad() != null) {
                throw padAlone(v);
            }
            Step last = v.step() == Step.INPUT ? null : steps.get(v.step());
            if (last == null || last.matmulOut < 0 || uses.get(in.get(data)) != 1) {
                if (scalarArithmetic("Add")) {
                    return;
                }
                throw error("Add of a constant is supported only as the bias right after a MatMul (a Linear layer) "
                        + "and of a one-element constant; Add of two data values of one shape (a residual connection)"
                        + " is supported too");
            }
            float[] bias = biasOf(floats(1 - data, "bias"), last.matmulOut);
            last.layer = new Dense(last.matmulIn, last.matmulOut, true, null);
            last.weights.put("bias", bias);
            last.matmulOut = -1;
            values.put(output(), v);
        }

        /**
         * {@code Mul} of two data values of one shape (a gate); the GELU pattern's are taken with it, and one
         * of a value by itself may begin the pattern of GELU's tanh approximation.
         */
        private void mul() throws OnnxImportException {
            List<String> in = node.inputs();
            Fusions.Match tanh = in.size() == 2 && in.get(0).equals(in.get(1)) && values.containsKey(in.get(0))
                    ? fusions.geluTanh(nodeIndex, in.get(0)) : null;
            if (tanh != null && values.get(in.get(0)).pad() == null) {
                current = in.get(0);
                shape = values.get(current).shape();
                for (int k : tanh.nodes()) {
                    fused[k] = true;
                }
                layer(new GELU(GELU.Approximate.TANH));
                values.put(tanh.output(), new Value(steps.size() - 1, shape));
                return;
            }
            if (in.size() == 2 && values.containsKey(in.get(0)) && values.containsKey(in.get(1))) {
                merge("multiply", 0);
                return;
            }
            if (scalarArithmetic("Mul")) {
                return;
            }
            throw error("Mul is supported only of two data values of one shape (element by element), by a one-element"
                    + " constant, and in the pattern torch writes for GELU; not with a constant of more values"
                    + " (broadcasting)" + (in.size() == 2 ? " ('" + in.get(constants.containsKey(in.get(0)) ? 0 : 1)
                    + "')" : ""));
        }

        /** {@code Concat} of data values along a per-sample axis (channels of images, features of rows). */
        private void concat() throws OnnxImportException {
            Value first = values.get(node.inputs().stream().filter(values::containsKey).findFirst().orElseThrow());
            Attribute a = attr("axis", OnnxProto.ATTR_INT);
            if (a == null) {
                throw error("its axis is missing");
            }
            int rank = first.shape().rank() + 1;
            long axis = a.i() < 0 ? a.i() + rank : a.i();
            if (axis < 1 || axis >= rank) {
                throw error("axis=" + a.i() + " on inputs " + batchShape(first.shape()) + " is not supported: only a "
                        + "per-sample axis (1 to " + (rank - 1) + "; 1 joins the channels of images or the features of"
                        + " rows), not the batch");
            }
            merge("concat", (int) axis - 1);
        }

        /** A merge of the node's inputs, all data values, into one: {@code add}, {@code multiply} or {@code concat}. */
        private void merge(String kind, int axis) throws OnnxImportException {
            List<String> in = node.inputs();
            int[] from = new int[in.size()];
            Shape first = null;
            int joined = 0;
            for (int k = 0; k < in.size(); k++) {
                Value v = values.get(in.get(k));
                if (v == null) {
                    throw error("input '" + in.get(k) + "' is " + (constants.containsKey(in.get(k)) ? "a constant"
                            : "not computed from the graph's input") + "; " + node.opType()
                            + " is supported of data values only");
                }
                if (v.pad() != null) {
                    throw padAlone(v);
                }
                Shape s = v.shape();
                boolean fits = first == null || s.rank() == first.rank();
                for (int d = 0; fits && first != null && d < s.rank(); d++) {
                    fits = s.dim(d) == first.dim(d) || kind.equals("concat") && d == axis;
                }
                if (!fits) {
                    throw error("input '" + in.get(k) + "' is " + batchShape(s) + " and '" + in.get(0) + "' is "
                            + batchShape(first) + ": " + (kind.equals("concat") ? "joined values may differ only along "
                            + "axis " + (axis + 1) : node.opType() + " of data values of different shapes (broadcasting) "
                            + "is not supported, only of one shape"));
                }
                first = first == null ? s : first;
                joined += kind.equals("concat") ? s.dim(axis) : 0;
                from[k] = v.step();
            }
            Shape out = first;
            if (kind.equals("concat")) {
                int[] dims = first.dims();
                dims[axis] = joined;
                out = Shape.of(dims);
            }
            steps.add(new Step(null, kind, axis, from, label(node, nodeIndex)));
            values.put(output(), new Value(steps.size() - 1, out));
        }

        /** {@code [N, dims...]}. */
        private static String batchShape(Shape s) {
            return "[N, " + s.toString().replaceAll("[\\[\\]]", "") + "]";
        }

        /**
         * The node (Div or ReduceMean) begins a pattern torch writes for one layer: GELU, or layer
         * normalization below opset 17. Converts the pattern's nodes into that layer; false if it is none.
         */
        private boolean pattern(String op) throws OnnxImportException {
            Fusions.Match m = op.equals("Div") ? fusions.gelu(nodeIndex, current)
                    : fusions.layerNorm(nodeIndex, current, shape.rank() + 1, shape.last());
            if (m == null) {
                return false;
            }
            for (int k : m.nodes()) {
                fused[k] = true;
            }
            if (op.equals("Div")) {
                layer(new GELU());
            } else {
                layerNorm(m.eps(), m.weight(), m.bias());
            }
            values.put(m.output(), new Value(steps.size() - 1, shape));
            return true;
        }

        /** {@code LayerNormalization} (opset 17) over the last axis, with its scale and optional bias. */
        private void layerNormalization() throws OnnxImportException {
            chainInputs(3);
            int rank = shape.rank() + 1;
            long axis = intAttr("axis", -1);
            if ((axis < 0 ? axis + rank : axis) != rank - 1) {
                throw error("axis=" + axis + " on input of rank " + rank + " is not supported (only the last axis, "
                        + "as nn.LayerNorm(features) normalizes)");
            }
            for (int k = 1; k < node.outputs().size(); k++) {
                String o = node.outputs().get(k);
                if (!o.isEmpty() && uses.containsKey(o)) {
                    throw error("its output '" + o + "' (the mean or inverse standard deviation) is not supported");
                }
            }
            int n = shape.last();
            float[] scale = floats(1, "scale");
            float[] bias = input(2).isEmpty() ? new float[n] : floats(2, "bias");
            if (scale.length != n || bias.length != n) {
                throw error("its scale and bias have " + scale.length + " and " + bias.length + " values; the last "
                        + "axis has " + n);
            }
            layerNorm(floatAttr("epsilon", 1e-5f), scale, bias);
        }

        /** A LayerNorm over the last axis: affine with {@code weight} (and {@code bias}, or zeros) if given. */
        private void layerNorm(double eps, float[] weight, float[] bias) throws OnnxImportException {
            Step s = layer(new LayerNorm(shape.last(), eps, weight != null));
            if (weight != null) {
                s.weights.put("weight", weight);
                s.weights.put("bias", bias != null ? bias : new float[weight.length]);
            }
        }

        /**
         * {@code Clip}: with min 0 and no max a {@link ReLU}, with min 0 and max 6 a {@link ReLU6}, with other
         * bounds (Hardtanh, {@code torch.clamp}) a {@link Hardtanh}, a missing bound open. Bounds out of order
         * (which ONNX defines as every output the max) are refused.
         */
        private void clip() throws OnnxImportException {
            chainInputs(3);
            float min = Float.NEGATIVE_INFINITY;
            float max = Float.POSITIVE_INFINITY;
            if (opset >= 11) {
                min = input(1).isEmpty() ? min : scalar(1, "min");
                max = input(2).isEmpty() ? max : scalar(2, "max");
            } else {
                min = floatAttr("min", -Float.MAX_VALUE);    // opset 6's defaults: the float range
                max = floatAttr("max", Float.MAX_VALUE);
            }
            if (Float.isNaN(min) || Float.isNaN(max) || !(min < max)) {
                throw error("Clip to [" + bound(min) + ", " + bound(max) + "] is not supported (the min must be below"
                        + " the max)");
            }
            if (min == 0f && max >= Float.MAX_VALUE) {
                layer(new ReLU());
            } else if (min == 0f && max == 6f) {
                layer(new ReLU6());
            } else {
                layer(new Hardtanh(min <= -Float.MAX_VALUE ? Float.NEGATIVE_INFINITY : min,
                        max >= Float.MAX_VALUE ? Float.POSITIVE_INFINITY : max));
            }
        }

        private static String bound(float v) {
            return v >= Float.MAX_VALUE ? "inf" : v <= -Float.MAX_VALUE ? "-inf" : Float.toString(v);
        }

        private float scalar(int k, String role) throws OnnxImportException {
            float[] v = floats(k, role);
            if (v.length != 1) {
                throw error("its " + role + " has " + v.length + " values; one is expected");
            }
            return v[0];
        }

        private void images(String what) throws OnnxImportException {
            if (shape.rank() != 3) {
                throw error(what + " is supported on images [N, C, H, W] only; the input here is [N, "
                        + shape.toString().replaceAll("[\\[\\]]", "") + "]");
            }
        }

        /** Two values from an ints attribute (for the two spatial axes), or the default. */
        private int[] pair(String name, int otherwise) throws OnnxImportException {
            long[] v = intsAttr(name, new long[] {otherwise, otherwise});
            if (v.length != 2) {
                throw error(name + "=" + Arrays.toString(v) + ": two values (height, width) are expected");
            }
            return new int[] {(int) v[0], (int) v[1]};
        }

        /** Symmetric {@code pads} [top, left, bottom, right] as {padH, padW}. */
        private int[] pads() throws OnnxImportException {
            long[] p = intsAttr("pads", new long[4]);
            if (p.length != 4) {
                throw error("pads=" + Arrays.toString(p) + ": four values are expected");
            }
            if (p[0] != p[2] || p[1] != p[3]) {
                throw error("pads=" + Arrays.toString(p) + " is not supported: padding must be the same before and "
                        + "after (top = bottom, left = right)");
            }
            return new int[] {(int) p[0], (int) p[1]};
        }

        private void conv() throws OnnxImportException {
            chainInputs(3);
            images("Conv");
            long group = intAttr("group", 1);
            onlyNotSet();
            TensorData w = constantInput(1, "weight");
            float[] weight = floats(1, "weight");
            if (w.dims().length != 4) {
                throw error("its weight '" + w.name() + "' has dims " + Arrays.toString(w.dims())
                        + "; [out, in, kh, kw] is expected");
            }
            int out = (int) w.dims()[0];
            int kh = (int) w.dims()[2];
            int kw = (int) w.dims()[3];
            int[] kernel = pair("kernel_shape", -1);
            if (kernel[0] != -1 && (kernel[0] != kh || kernel[1] != kw)) {
                throw error("kernel_shape " + Arrays.toString(kernel) + " differs from the weight's " + kh + "x" + kw);
            }
            if (group < 1 || shape.dim(0) % group != 0 || w.dims()[1] * group != shape.dim(0)) {
                throw error("its weight '" + w.name() + "' " + Arrays.toString(w.dims()) + " in " + group + " group"
                        + (group == 1 ? "" : "s") + " takes " + w.dims()[1] * group + " channels, the input has "
                        + shape.dim(0));
            }
            int[] strides = pair("strides", 1);
            int[] dilations = pair("dilations", 1);
            int[] pads = pads();
            float[] bias = input(2).isEmpty() ? null : biasOf(floats(2, "bias"), out);
            Conv2d conv;
            try {
                conv = new Conv2d(shape.dim(0), out, kh, kw, strides[0], strides[1], pads[0], pads[1], false,
                        dilations[0], dilations[1], (int) group, bias != null, null);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            Step s = layer(conv);
            s.weights.put("weight", weight);
            if (bias != null) {
                s.weights.put("bias", bias);
            }
        }

        private void pool(boolean max) throws OnnxImportException {
            chainInputs(1);
            images(node.opType());
            onlyNotSet();
            onlyInt("ceil_mode", 0, 0);
            int[] kernel = pair("kernel_shape", -1);
            if (kernel[0] < 1) {
                throw error("kernel_shape is missing");
            }
            int[] strides = pair("strides", 1);
            int[] pads = pads();
            int[] dilations = pair("dilations", 1);          // MaxPool's since opset 10, AveragePool's since 19
            if (dilations[0] != 1 || dilations[1] != 1) {
                throw error("dilations=" + Arrays.toString(dilations) + " is not supported (only 1)");
            }
            if (max) {
                onlyInt("storage_order", 0, 0);
                if (node.outputs().size() > 1 && !node.outputs().get(1).isEmpty()) {
                    throw error("its Indices output is not supported");
                }
            } else {
                int[] padded = values.get(current).pad();
                if (padded != null) {
                    if (pads[0] != 0 || pads[1] != 0) {
                        throw error("pads after a Pad node are not supported");
                    }
                    pads = padded;
                } else if ((pads[0] != 0 || pads[1] != 0) && intAttr("count_include_pad", 0) == 0) {
                    throw error("count_include_pad=0 with padding is not supported (Dendrite's AvgPool2d counts the "
                            + "padding, as PyTorch's default count_include_pad=True)");
                }
            }
            Layer pool;
            try {
                pool = max ? new MaxPool2d(kernel[0], kernel[1], strides[0], strides[1], pads[0], pads[1])
                        : new AvgPool2d(kernel[0], kernel[1], strides[0], strides[1], pads[0], pads[1]);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            layer(pool);
        }

        /** A zero Pad of the spatial axes, which the AveragePool that must follow takes as its padding. */
        private void pad() throws OnnxImportException {
            chainInputs(opset >= 11 ? 3 : 1);
            images("Pad");
            String mode = stringAttr("mode", "constant");
            if (!mode.equals("constant")) {
                throw error("mode=" + mode + " is not supported (only constant)");
            }
            long[] p;
            if (opset >= 11) {
                p = longs(1, "pads");
                if (!input(2).isEmpty()) {
                    float[] value = floats(2, "constant_value");
                    if (value.length != 1 || value[0] != 0f) {
                        throw error("padding with " + Arrays.toString(value) + " is not supported (only 0)");
                    }
                }
            } else {
                p = intsAttr("pads", new long[8]);
                if (floatAttr("value", 0f) != 0f) {
                    throw error("padding with " + floatAttr("value", 0f) + " is not supported (only 0)");
                }
            }
            if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0 || p[2] != p[6] || p[3] != p[7]) {
                throw error("pads=" + Arrays.toString(p) + " is not supported: only the same padding before and after "
                        + "the height and width");
            }
            Value in = values.get(current);
            values.put(output(), new Value(in.step(), in.shape(), new int[] {(int) p[2], (int) p[3]}, node, nodeIndex));
        }

        /** The int64 values of a constant or of a value computed from the data's shape; null for neither. */
        private long[] intValues(String name) {
            long[] s = shapeValues.get(name);
            if (s != null) {
                return s;
            }
            TensorData t = constants.get(name);
            return t == null ? null : t.longs();
        }

        /** {@code Shape} of the data: {@code [BATCH, dims...]} (opset 15's start and end applied). */
        private void shapeOf() throws OnnxImportException {
            Value in = values.get(input(0));
            if (in == null || node.inputs().size() != 1) {
                throw notChain(input(0));
            }
            Shape s = in.shape();
            long[] full = new long[s.rank() + 1];
            full[0] = BATCH;
            for (int k = 0; k < s.rank(); k++) {
                full[k + 1] = s.dim(k);
            }
            int start = (int) clampAxis(intAttr("start", 0), full.length);
            int end = (int) clampAxis(intAttr("end", full.length), full.length);
            shapeValues.put(output(), Arrays.copyOfRange(full, start, Math.max(start, end)));
        }

        private static long clampAxis(long axis, int rank) {
            long a = axis < 0 ? axis + rank : axis;
            return Math.max(0, Math.min(rank, a));
        }

        /** Gather, Unsqueeze and Concat on values computed from the data's shape (and constants). */
        private void shapeArithmetic(String op) throws OnnxImportException {
            String unsupported = op + " is supported only on the data's shape (as torch writes x.view(x.size(0), -1))";
            for (String in : node.inputs()) {
                if (!in.isEmpty() && intValues(in) == null) {
                    throw error(unsupported + "; input '" + in + "' is not an int64 constant or computed from the shape");
                }
            }
            if (node.inputs().isEmpty()) {
                throw error("the node has no input");
            }
            long[] data = intValues(input(0));
            long[] result;
            switch (op) {
                case "Gather" -> {
                    onlyInt("axis", 0, 0);
                    long[] index = intValues(input(1));
                    if (index == null) {
                        throw error("its indices are missing");
                    }
                    result = new long[index.length];
                    for (int k = 0; k < index.length; k++) {
                        long i = index[k] < 0 ? index[k] + data.length : index[k];
                        if (i < 0 || i >= data.length) {
                            throw error("index " + index[k] + " is out of range for " + data.length + " values");
                        }
                        result[k] = data[(int) i];
                    }
                }
                case "Unsqueeze" -> {
                    long[] axes = opset >= 13 ? intValues(input(1)) : intsAttr("axes", null);
                    if (axes == null || axes.length != 1 || axes[0] != 0 || data.length != 1) {
                        throw error(unsupported + "; only axes=[0] of one value is");
                    }
                    result = data;
                }
                default -> {
                    onlyInt("axis", 0, 0);
                    LongArrays all = new LongArrays();
                    for (String in : node.inputs()) {
                        all.add(intValues(in));
                    }
                    result = all.values;
                }
            }
            shapeValues.put(output(), result);
        }

        /** A growing long[]. */
        private static final class LongArrays {
            long[] values = new long[0];

            void add(long[] more) {
                long[] joined = Arrays.copyOf(values, values.length + more.length);
                System.arraycopy(more, 0, joined, values.length, more.length);
                values = joined;
            }
        }

        /** Reshape keeping the batch: Flatten when the target is flat, else Reshape of each sample. */
        private void reshape() throws OnnxImportException {
            if (!values.containsKey(input(0))) {
                throw notChain(input(0));
            }
            long[] target = intValues(input(1));
            if (target == null) {
                throw error("its shape '" + input(1) + "' must be an int64 constant or computed from the data's shape");
            }
            long allowZero = intAttr("allowzero", 0);
            target = target.clone();
            for (int k = 0; k < target.length; k++) {
                if (target[k] == 0 && allowZero == 0) {
                    target[k] = k == 0 ? BATCH : k - 1 < shape.rank() ? shape.dim(k - 1) : 0;
                }
            }
            int inferred = 0;
            for (long t : target) {
                inferred += t == -1 ? 1 : 0;
            }
            boolean batchKept = target.length >= 1 && (target[0] == BATCH || target[0] == -1 && inferred == 1);
            int[] sample = new int[Math.max(0, target.length - 1)];
            for (int k = 1; k < target.length && batchKept; k++) {
                batchKept = target[k] == -1 || target[k] > 0 && target[k] <= Integer.MAX_VALUE;
                sample[k - 1] = (int) target[k];
            }
            if (!batchKept || sample.length == 0) {
                throw error("the target shape " + shapeText(target) + " is not supported: it must keep the batch "
                        + "dimension first (as x.view(x.size(0), ...) or a constant [-1, ...] gives)");
            }
            if (sample.length == 1 && (sample[0] == -1 || sample[0] == shape.size())) {
                layer(new Flatten());
            } else {
                layer(new Reshape(sample));
            }
        }

        private static String shapeText(long[] dims) {
            StringBuilder b = new StringBuilder("[");
            for (int k = 0; k < dims.length; k++) {
                b.append(k == 0 ? "" : ", ").append(dims[k] == BATCH ? "N" : Long.toString(dims[k]));
            }
            return b.append(']').toString();
        }

        private void flatten() throws OnnxImportException {
            chainInputs(1);
            long axis = intAttr("axis", 1);
            int rank = shape.rank() + 1;
            if ((axis < 0 ? axis + rank : axis) != 1) {
                throw error("axis=" + axis + " is not supported (only 1: keep the batch, flatten the rest)");
            }
            layer(new Flatten());
        }

        private void selu() throws OnnxImportException {
            chainInputs(1);
            double alpha = floatAttr("alpha", (float) Activation.SELU_ALPHA);
            double gamma = floatAttr("gamma", (float) Activation.SELU_SCALE);
            if (Math.abs(alpha - Activation.SELU_ALPHA) > 1e-6 * Activation.SELU_ALPHA
                    || Math.abs(gamma - Activation.SELU_SCALE) > 1e-6 * Activation.SELU_SCALE) {
                throw error(String.format(Locale.ROOT, "alpha=%s, gamma=%s are not supported (only SELU's constants "
                        + "%s and %s)", alpha, gamma, Activation.SELU_ALPHA, Activation.SELU_SCALE));
            }
            layer(new SELU());
        }

        private void softmax(boolean log) throws OnnxImportException {
            chainInputs(1);
            long axis = intAttr("axis", opset >= 13 ? -1 : 1);
            int rank = shape.rank() + 1;
            if ((axis < 0 ? axis + rank : axis) != rank - 1) {
                throw error("axis=" + axis + " on input of rank " + rank + " is not supported (only the last axis)");
            }
            layer(log ? new LogSoftmax() : new Softmax());
        }

        /**
         * {@code PRelu} with a constant slope: one for every input, or one per channel (the sample's first
         * dimension, the slope's other dimensions 1, as torch writes {@code nn.PReLU(channels)}).
         */
        private void prelu() throws OnnxImportException {
            chainInputs(2);
            TensorData t = constantInput(1, "slope");
            float[] slope = floats(1, "slope");
            boolean perChannel = slope.length > 1 && shape.rank() >= 1 && slope.length == shape.dim(0);
            if (perChannel) {
                long[] d = t.dims();
                perChannel = d.length == shape.rank() && d[0] == slope.length;
                for (int k = 1; perChannel && k < d.length; k++) {
                    perChannel = d[k] == 1;
                }
            }
            if (slope.length != 1 && !perChannel) {
                throw error("its slope '" + t.name() + "' has dims " + Arrays.toString(t.dims()) + " for input "
                        + shape + "; one slope, or one per channel ([" + (shape.rank() == 0 ? "C" : shape.dim(0))
                        + (shape.rank() > 1 ? ", 1".repeat(shape.rank() - 1) : "") + "]), is supported");
            }
            Step s = layer(new PReLU(slope.length, 0.25));
            s.weights.put("weight", slope);
        }

        private void batchNorm() throws OnnxImportException {
            chainInputs(5);
            onlyInt("training_mode", 0, 0);
            for (int k = 1; k < node.outputs().size(); k++) {
                if (!node.outputs().get(k).isEmpty()) {
                    throw error("its training outputs (running statistics) are not supported: export in eval() mode");
                }
            }
            int channels = shape.dim(0);
            String[] names = {"weight", "bias", "running_mean", "running_var"};
            String[] roles = {"scale", "B", "input_mean", "input_var"};
            float[][] values = new float[4][];
            for (int k = 0; k < 4; k++) {
                values[k] = floats(k + 1, roles[k]);
                if (values[k].length != channels) {
                    throw error("its " + roles[k] + " has " + values[k].length + " values; the input has " + channels
                            + " channels");
                }
            }
            double eps = floatAttr("epsilon", 1e-5f);
            double momentum = 1 - floatAttr("momentum", 0.9f);     // ONNX's is PyTorch's 1 - momentum
            if (!(momentum >= 0 && momentum <= 1)) {
                momentum = 0.1;
            }
            Layer bn;
            if (shape.rank() == 1) {
                bn = new BatchNorm1d(eps, momentum);
            } else if (shape.rank() == 3) {
                bn = new BatchNorm2d(eps, momentum);
            } else {
                throw error("it is supported on [N, C] rows and [N, C, H, W] images only; the per-sample shape here is "
                        + shape);
            }
            Step s = layer(bn);
            for (int k = 0; k < 4; k++) {
                s.weights.put(names[k], values[k]);
            }
        }
    }

    /** {@code [rows, cols]} row-major to {@code [cols, rows]} (a Gemm's weights to PyTorch's layout, and back in export). */
    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
