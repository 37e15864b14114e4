package dendrite.onnx;

import dendrite.nn.graph.Graph;
import dendrite.nn.layers.Layer;
import dendrite.onnx.OnnxGraphWriter.Attr;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each of nn-core's layers becomes ONNX nodes, for {@link OnnxExport}: one method per kind of layer,
 * chosen by {@link Layer#type()}, reading only what the layer shows every user (its {@link Layer#config()},
 * parameters and buffers), so a layer's export follows its documented meaning and not its internals.
 * One instance per layer; a graph's layer nodes get one each, under the graph's path.
 */
final class LayerNodes {
    private final OnnxGraphWriter g;
    private final Backend backend;
    private final String path;
    private final Layer layer;
    private final Shape in;
    private final Shape out;
    private final Map<String, Object> config;
    private int nodes;                                // the layer's nodes so far, for their names

    /**
     * @param path the layer's place, as its state-dict names start: {@code 3}, or {@code 3.enc} for the
     *             node {@code enc} of a graph at index 3
     */
    LayerNodes(OnnxGraphWriter g, Backend backend, String path, Layer layer, Shape in, Shape out) {
        this.g = g;
        this.backend = backend;
        this.path = path;
        this.layer = layer;
        this.in = in;
        this.out = out;
        this.config = layer.config();
    }

    /** Adds the layer's nodes after {@code x}; returns the value they end in. */
    String emit(String x) {
        return switch (layer.type()) {
            case "dense" -> dense(x);
            case "conv2d", "conv1d" -> conv(x);
            case "max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d" -> pool(x);
            case "global_avg_pool2d" -> op("GlobalAveragePool", x);
            case "global_avg_pool1d" -> op("ReduceMean", x, Attr.ints("axes", 1), Attr.integer("keepdims", 0));
            case "flatten" -> op("Flatten", x, Attr.integer("axis", 1));
            case "reshape" -> op("Reshape", List.of(x, batchShape(out)));
            case "transpose" -> op("Transpose", x, Attr.ints("perm", 0, 2, 1));
            case "dropout", "dropout2d" -> x;
            case "graph" -> graph(x);
            case "embedding" -> embedding(x);
            case "position_embedding" -> op("Add", List.of(x, g.floats(param("positions"), OnnxExport.dims(in),
                    positions())));
            case "conv_transpose2d" -> convTranspose(x);
            case "upsample2d" -> upsample(x);
            case "group_norm" -> groupNorm(x);
            case "multihead_attention" -> attention(x);
            case "lstm", "gru", "rnn" -> recurrent(x, layer.type(), 1, false);
            case "bidirectional" -> recurrent(x, (String) config.get("cell"), 1, true);
            case "recurrent_stack" -> recurrent(x, (String) config.get("cell"),
                    ((Number) config.get("num_layers")).intValue(), Boolean.TRUE.equals(config.get("bidirectional")));
            case "columns" -> columns(x);
            case "batch_norm1d", "batch_norm2d" -> batchNorm(x);
            case "layer_norm" -> layerNorm(x);
            case "rescaling" -> rescaling(x);
            case "relu" -> op("Relu", x);
            case "sigmoid" -> op("Sigmoid", x);
            case "tanh" -> op("Tanh", x);
            case "softplus" -> op("Softplus", x);
            case "hardswish" -> op("HardSwish", x);
            case "selu" -> op("Selu", x);
            case "leaky_relu" -> op("LeakyRelu", x, Attr.real("alpha", real("negative_slope")));
            case "elu" -> op("Elu", x, Attr.real("alpha", real("alpha")));
            case "softmax" -> op("Softmax", x, Attr.integer("axis", -1));
            case "log_softmax" -> op("LogSoftmax", x, Attr.integer("axis", -1));
            case "relu6" -> clip(x, 0, 6);
            case "hardtanh" -> clip(x, real("min_val"), real("max_val"));
            case "prelu" -> prelu(x);
            case "silu" -> op("Mul", List.of(x, op("Sigmoid", x)));
            case "mish" -> op("Mul", List.of(x, op("Tanh", op("Softplus", x))));
            case "gelu" -> "tanh".equals(config.get("approximate")) ? geluTanh(x) : gelu(x);
            default -> throw new IllegalArgumentException("ONNX export: layer " + path + " (" + layer.type() + ", "
                    + layer + ") is not a layer ONNX export knows: it writes nn-core's own layers (see OnnxExport)");
        };
    }

    private String dense(String x) {
        float[] w = state("weight");                       // [units, in], as PyTorch's nn.Linear
        int units = ((Number) config.get("units")).intValue();
        int features = w.length / units;
        boolean bias = Boolean.TRUE.equals(config.get("use_bias"));
        String y;
        if (in.rank() == 1) {
            List<String> inputs = bias
                    ? List.of(x, weight("weight", units, features), weight("bias", units))
                    : List.of(x, weight("weight", units, features));
            y = op("Gemm", inputs, Attr.integer("transB", 1));
        } else {                                          // per step of a sequence: x W^T (+ b) on the last axis
            y = op("MatMul", List.of(x, g.floats(param("weight"), new long[] {features, units},
                    OnnxImport.transpose(w, units, features))));
            if (bias) {
                y = op("Add", List.of(y, weight("bias", units)));
            }
        }
        Object act = config.getOrDefault("activation", "identity");
        return switch ((String) act) {
            case "identity" -> y;
            case "relu" -> op("Relu", y);
            case "sigmoid" -> op("Sigmoid", y);
            case "tanh" -> op("Tanh", y);
            default -> throw new IllegalArgumentException("ONNX export: layer " + path + " (dense) has a fused"
                    + " activation '" + act + "' this exporter does not know");
        };
    }

    private String conv(String x) {
        boolean twoD = layer.type().equals("conv2d");
        long[] kernel = pair("kernel_size", twoD);
        long[] dilation = pair("dilation", twoD);
        long[] pad = "same".equals(config.get("padding"))
                ? twoD ? new long[] {dilation[0] * (kernel[0] - 1) / 2, dilation[1] * (kernel[1] - 1) / 2}
                        : new long[] {dilation[0] * (kernel[0] - 1) / 2}
                : pair("padding", twoD);
        int outChannels = ((Number) config.get("out_channels")).intValue();
        float[] w = state("weight");
        long[] dims = twoD
                ? new long[] {outChannels, w.length / outChannels / kernel[0] / kernel[1], kernel[0], kernel[1]}
                : new long[] {outChannels, w.length / outChannels / kernel[0], kernel[0]};
        List<String> inputs = Boolean.TRUE.equals(config.get("bias"))
                ? List.of(x, g.floats(param("weight"), dims, w), weight("bias", outChannels))
                : List.of(x, g.floats(param("weight"), dims, w));
        return op("Conv", inputs, Attr.ints("kernel_shape", kernel), Attr.ints("strides", pair("stride", twoD)),
                Attr.ints("pads", both(pad)), Attr.ints("dilations", dilation),
                Attr.integer("group", ((Number) config.get("groups")).longValue()));
    }

    private String pool(String x) {
        boolean twoD = layer.type().endsWith("2d");
        Attr[] attrs = {Attr.ints("kernel_shape", pair("kernel_size", twoD)),
            Attr.ints("strides", pair("stride", twoD)), Attr.ints("pads", both(pair("padding", twoD))),
            Attr.integer("count_include_pad", 1)};
        return layer.type().startsWith("max")
                ? op("MaxPool", x, Arrays.copyOf(attrs, 3))
                : op("AveragePool", x, attrs);   // PyTorch's count_include_pad=True, as Dendrite's pools
    }

    /**
     * A graph's nodes in their order: each layer node's own nodes (named {@code /3/enc/Gemm}, weights
     * {@code 3.enc.weight} as the graph's state dict), merges as Add, Mul or Concat; several outputs are
     * flattened and joined side by side, as the graph gives them.
     */
    private String graph(String x) {
        Graph graph = (Graph) layer;
        Map<String, Object> c = graph.config();
        Map<String, String> values = new HashMap<>();
        values.put((String) c.get("input"), x);
        for (Object o : (List<?>) c.get("nodes")) {
            Map<?, ?> spec = (Map<?, ?>) o;
            String name = (String) spec.get("name");
            List<String> from = ((List<?>) spec.get("inputs")).stream().map(i -> (String) i).toList();
            List<String> inputs = from.stream().map(values::get).toList();
            String nodePath = path + "." + name;
            String v = switch ((String) spec.get("op")) {
                case "layer" -> new LayerNodes(g, backend, nodePath, graph.layer(name), graph.shapeOf(from.get(0)),
                        graph.shapeOf(name)).emit(inputs.get(0));
                case "add" -> merged(nodePath, "Add", inputs);
                case "multiply" -> merged(nodePath, "Mul", inputs);
                case "concat" -> g.node("Concat", "/" + nodePath.replace('.', '/') + "/Concat", inputs,
                        Attr.integer("axis", ((Number) spec.get("axis")).longValue() + 1));
                default -> throw new IllegalArgumentException("ONNX export: graph node " + nodePath + " is a '"
                        + spec.get("op") + "', which this exporter does not know");
            };
            values.put(name, v);
        }
        List<String> outputs = ((List<?>) c.get("outputs")).stream().map(n -> values.get((String) n)).toList();
        if (outputs.size() == 1) {
            return outputs.get(0);
        }
        List<String> flat = outputs.stream().map(v -> op("Flatten", v, Attr.integer("axis", 1))).toList();
        return op("Concat", flat, Attr.integer("axis", 1));
    }

    /** {@code ((a op b) op c) ...}: the inputs combined two at a time, in their order. */
    private String merged(String nodePath, String opType, List<String> inputs) {
        String local = "/" + nodePath.replace('.', '/') + "/" + opType;
        String v = inputs.get(0);
        for (int k = 1; k < inputs.size(); k++) {
            v = g.node(opType, k == 1 ? local : local + "_" + (k - 1), List.of(v, inputs.get(k)));
        }
        return v;
    }

    /** A graph's named input: values {@code [from, from + size)} of each flattened sample, in its shape. */
    private String columns(String x) {
        long from = ((Number) config.get("from")).longValue();
        String flat = in.rank() == 1 ? x : op("Flatten", x, Attr.integer("axis", 1));
        String block = op("Slice", List.of(flat, g.longs(local("starts"), new long[] {1}, new long[] {from}),
                g.longs(local("ends"), new long[] {1}, new long[] {from + out.size()}),
                g.longs(local("axes"), new long[] {1}, new long[] {1})));
        return out.rank() == 1 ? block : op("Reshape", List.of(block, batchShape(out)));
    }

    /**
     * PyTorch's recurrent layers as ONNX's LSTM, GRU and RNN operators, one per layer of a stack, both
     * directions in one: time-major (ONNX Runtime runs no other layout), so the batch-first sequence is
     * transposed in and out; the gates reordered from PyTorch's (i, f, g, o; r, z, n) to ONNX's (i, o, f,
     * c; z, r, h), GRU with {@code linear_before_reset} as PyTorch computes it; the last step's state
     * from the operator's {@code Y_h}, both directions side by side. Starts from a zero state.
     */
    private String recurrent(String x, String cell, int layers, boolean both) {
        if (Boolean.TRUE.equals(config.get("mask_zero")) || Boolean.TRUE.equals(config.get("stateful"))) {
            throw new IllegalArgumentException("ONNX export: layer " + path + " (" + layer.type() + ") "
                    + (Boolean.TRUE.equals(config.get("stateful")) ? "is stateful (its state carries over from"
                    + " batch to batch)" : "skips padding steps (mask_zero)") + ", which the exported model"
                    + " would not do");
        }
        int hidden = ((Number) config.get("hidden_size")).intValue();
        int dirs = both ? 2 : 1;
        int[] order = switch (cell) {
            case "lstm" -> new int[] {0, 3, 1, 2};
            case "gru" -> new int[] {1, 0, 2};
            default -> new int[] {0};
        };
        String opType = switch (cell) {
            case "lstm" -> "LSTM";
            case "gru" -> "GRU";
            default -> "RNN";
        };
        List<Attr> attrs = new ArrayList<>(List.of(Attr.integer("hidden_size", hidden),
                Attr.string("direction", both ? "bidirectional" : "forward")));
        if (cell.equals("gru")) {
            attrs.add(Attr.integer("linear_before_reset", 1));
        } else if (cell.equals("rnn")) {
            String f = "relu".equals(config.get("nonlinearity")) ? "Relu" : "Tanh";
            attrs.add(Attr.strings("activations", both ? new String[] {f, f} : new String[] {f}));
        }
        Attr[] attributes = attrs.toArray(new Attr[0]);
        String v = op("Transpose", x, Attr.ints("perm", 1, 0, 2));                   // [T, N, F]
        for (int k = 0; k < layers; k++) {
            float[][] w = new float[dirs][];
            float[][] r = new float[dirs][];
            float[][] b = new float[dirs][];
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
                w[d] = gates(state("weight_ih" + suffix), order);
                r[d] = gates(state("weight_hh" + suffix), order);
                b[d] = concat(gates(state("bias_ih" + suffix), order), gates(state("bias_hh" + suffix), order));
            }
            long rows = (long) order.length * hidden;
            List<String> inputs = List.of(v,
                    g.floats(param("W_l" + k), new long[] {dirs, rows, w[0].length / rows}, concat(w)),
                    g.floats(param("R_l" + k), new long[] {dirs, rows, hidden}, concat(r)),
                    g.floats(param("B_l" + k), new long[] {dirs, 2 * rows}, concat(b)));
            boolean last = k == layers - 1;
            if (last && !Boolean.TRUE.equals(config.get("return_sequences"))) {
                String h = g.node(opType, local(opType) + (k == 0 ? "" : "_" + k), inputs, 1, attributes);
                return op("Reshape", List.of(op("Transpose", h, Attr.ints("perm", 1, 0, 2)),    // [N, dirs, H]
                        g.longs(local("state_shape"), new long[] {2}, new long[] {0, (long) dirs * hidden})));
            }
            String y = g.node(opType, local(opType) + (k == 0 ? "" : "_" + k), inputs, attributes);
            if (last) {                                                               // [N, T, dirs * H]
                return op("Reshape", List.of(op("Transpose", y, Attr.ints("perm", 2, 0, 1, 3)), batchShape(out)));
            }
            v = op("Reshape", List.of(op("Transpose", y, Attr.ints("perm", 0, 2, 1, 3)),     // [T, N, dirs * H]
                    g.longs(local("steps_shape_" + k), new long[] {3}, new long[] {0, 0, (long) dirs * hidden})));
        }
        throw new IllegalStateException("a recurrent layer of " + layers + " layers");
    }

    /** A PyTorch gate-stacked matrix or vector ({@code [gates * H, ...]}) with its gate blocks in {@code order}. */
    private static float[] gates(float[] m, int[] order) {
        float[] out = new float[m.length];
        int block = m.length / order.length;
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(m, order[k] * block, out, k * block, block);
        }
        return out;
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * Self-attention written out as PyTorch's exporter writes {@code nn.MultiheadAttention}: the query, key
     * and value projections (the rows of {@code in_proj_weight}), the heads split off with Reshape and
     * Transpose, {@code softmax(Q K^T / sqrt(d) + mask) V} with the causal mask as {@code -inf} above the
     * diagonal, the heads joined, the output projection.
     */
    private String attention(String x) {
        if (Boolean.TRUE.equals(config.get("mask_zero"))) {
            throw new IllegalArgumentException("ONNX export: layer " + path + " (" + layer.type() + ") hides"
                    + " padding steps (mask_zero), which the exported model would not do");
        }
        int e = ((Number) config.get("embed_dim")).intValue();
        int heads = ((Number) config.get("num_heads")).intValue();
        int d = e / heads;
        int steps = in.dim(0);
        boolean bias = Boolean.TRUE.equals(config.get("bias"));
        float[] w = state("in_proj_weight");                               // [3E, E]: query, key, value
        float[] b = bias ? state("in_proj_bias") : null;
        String headShape = g.longs(local("head_shape"), new long[] {4}, new long[] {0, 0, heads, d});
        String[] qkv = new String[3];
        String[] names = {"q", "k", "v"};
        for (int j = 0; j < 3; j++) {
            float[] wj = Arrays.copyOfRange(w, j * e * e, (j + 1) * e * e);
            String y = op("MatMul", List.of(x, g.floats(param(names[j] + "_proj_weight_t"), new long[] {e, e},
                    OnnxImport.transpose(wj, e, e))));
            if (bias) {
                y = op("Add", List.of(y, g.floats(param(names[j] + "_proj_bias"), new long[] {e},
                        Arrays.copyOfRange(b, j * e, (j + 1) * e))));
            }
            String split = op("Reshape", List.of(y, headShape));                    // [N, T, H, d]
            qkv[j] = op("Transpose", split, j == 1 ? Attr.ints("perm", 0, 2, 3, 1)    // K^T: [N, H, d, T]
                    : Attr.ints("perm", 0, 2, 1, 3));                                // [N, H, T, d]
        }
        String scores = op("Mul", List.of(op("MatMul", List.of(qkv[0], qkv[1])),
                g.scalar(local("scale"), (float) (1 / Math.sqrt(d)))));
        if (Boolean.TRUE.equals(config.get("causal"))) {
            float[] mask = new float[steps * steps];
            for (int t = 0; t < steps; t++) {
                for (int u = t + 1; u < steps; u++) {
                    mask[t * steps + u] = Float.NEGATIVE_INFINITY;
                }
            }
            scores = op("Add", List.of(scores, g.floats(local("causal_mask"), new long[] {steps, steps}, mask)));
        }
        String perHead = op("MatMul", List.of(op("Softmax", scores, Attr.integer("axis", -1)), qkv[2]));
        String joined = op("Reshape", List.of(op("Transpose", perHead, Attr.ints("perm", 0, 2, 1, 3)),
                g.longs(local("joined_shape"), new long[] {3}, new long[] {0, 0, e})));
        String y = op("MatMul", List.of(joined, g.floats(param("out_proj.weight_t"), new long[] {e, e},
                OnnxImport.transpose(state("out_proj.weight"), e, e))));
        return bias ? op("Add", List.of(y, weight("out_proj.bias", e))) : y;
    }

    /** The rows of the weights the ids pick: ids arrive as floats, as all data, and Gather takes integers. */
    private String embedding(String x) {
        long vocab = ((Number) config.get("num_embeddings")).longValue();
        long dim = ((Number) config.get("embedding_dim")).longValue();
        return op("Gather", List.of(weight("weight", vocab, dim), op("Cast", x, Attr.integer("to", OnnxProto.INT64))));
    }

    /** What the layer adds to every sample: the table's first rows, as its own forward pass on zeros gives them. */
    private float[] positions() {
        Backend be = layer.parameters().isEmpty() ? backend : layer.parameters().get(0).value().backend();
        int[] dims = new int[in.rank() + 1];
        dims[0] = 1;
        System.arraycopy(in.dims(), 0, dims, 1, in.rank());
        try (Tensor zeros = be.zeros(dims)) {
            return layer.forward(zeros, false).toArray();
        }
    }

    private String convTranspose(String x) {
        long k = ((Number) config.get("kernel_size")).longValue();
        long stride = ((Number) config.get("stride")).longValue();
        long pad = ((Number) config.get("padding")).longValue();
        long outputPadding = ((Number) config.get("output_padding")).longValue();
        long dilation = ((Number) config.get("dilation")).longValue();
        long groups = ((Number) config.get("groups")).longValue();
        int outChannels = ((Number) config.get("out_channels")).intValue();
        float[] w = state("weight");                    // [in, out / groups, k, k], as PyTorch's
        long[] dims = {w.length / (outChannels / groups) / k / k, outChannels / groups, k, k};
        List<String> inputs = Boolean.TRUE.equals(config.get("bias"))
                ? List.of(x, g.floats(param("weight"), dims, w), weight("bias", outChannels))
                : List.of(x, g.floats(param("weight"), dims, w));
        return op("ConvTranspose", inputs, Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride, stride),
                Attr.ints("pads", pad, pad, pad, pad), Attr.ints("output_padding", outputPadding, outputPadding),
                Attr.ints("dilations", dilation, dilation), Attr.integer("group", groups));
    }

    /**
     * ONNX's Resize with PyTorch's coordinates: nearest as {@code floor(x / scale)}, bilinear with or without
     * aligned corners.
     */
    private String upsample(String x) {
        long[] scale = pair("scale_factor", true);
        String scales = g.floats(local("scales"), new long[] {4}, new float[] {1, 1, scale[0], scale[1]});
        boolean nearest = "nearest".equals(config.get("mode"));
        String coordinates = nearest ? "asymmetric"
                : Boolean.TRUE.equals(config.get("align_corners")) ? "align_corners" : "pytorch_half_pixel";
        return op("Resize", List.of(x, "", scales), Attr.string("mode", nearest ? "nearest" : "linear"),
                Attr.string("coordinate_transformation_mode", coordinates), Attr.string("nearest_mode", "floor"));
    }

    /**
     * Opset 17 has no GroupNormalization: the groups as the channels of an InstanceNormalization (scale 1,
     * shift 0) on {@code [N, groups, rest]}, then the per-channel weight and bias.
     */
    private String groupNorm(String x) {
        int channels = in.dim(0);
        long groups = ((Number) config.get("num_groups")).longValue();
        String grouped = op("Reshape", List.of(x, g.longs(local("grouped_shape"), new long[] {3},
                new long[] {0, groups, -1})));
        float[] ones = new float[(int) groups];
        Arrays.fill(ones, 1);
        String normalized = op("InstanceNormalization", List.of(grouped,
                g.floats(param("group_scale"), new long[] {groups}, ones),
                g.floats(param("group_shift"), new long[] {groups}, new float[(int) groups])),
                Attr.real("epsilon", real("eps")));
        String y = op("Reshape", List.of(normalized, batchShape(in)));
        if (!Boolean.TRUE.equals(config.get("affine"))) {
            return y;
        }
        long[] perChannel = new long[in.rank()];                 // [C, 1, 1]: broadcasts over [N, C, H, W]
        Arrays.fill(perChannel, 1);
        perChannel[0] = channels;
        return op("Add", List.of(op("Mul", List.of(y, g.floats(param("weight"), perChannel, state("weight")))),
                g.floats(param("bias"), perChannel, state("bias"))));
    }

    private String batchNorm(String x) {
        int c = in.dim(0);
        return op("BatchNormalization", List.of(x, weight("weight", c), weight("bias", c),
                weight("running_mean", c), weight("running_var", c)), Attr.real("epsilon", real("eps")));
    }

    private String layerNorm(String x) {
        int size = in.dim(in.rank() - 1);
        boolean affine = Boolean.TRUE.equals(config.get("elementwise_affine"));
        String scale = affine ? weight("weight", size) : g.floats(param("ones"), new long[] {size}, filled(size, 1));
        String shift = affine ? weight("bias", size) : g.floats(param("zeros"), new long[] {size}, new float[size]);
        return op("LayerNormalization", List.of(x, scale, shift), Attr.integer("axis", -1),
                Attr.real("epsilon", real("eps")));
    }

    private String rescaling(String x) {
        float scale = real("scale");
        float offset = real("offset");
        String y = scale == 1 ? x : op("Mul", List.of(x, g.scalar(local("scale"), scale)));
        return offset == 0 && scale != 1 ? y : op("Add", List.of(y, g.scalar(local("offset"), offset)));
    }

    private String clip(String x, float min, float max) {
        return op("Clip", List.of(x, g.scalar(local("min"), min), g.scalar(local("max"), max)));
    }

    private String prelu(String x) {
        float[] slope = state("weight");
        long[] dims = new long[slope.length == 1 ? 1 : in.rank()];     // [C, 1, 1] broadcasts over [N, C, H, W]
        Arrays.fill(dims, 1);
        dims[0] = slope.length;
        return op("PRelu", List.of(x, g.floats(param("weight"), dims, slope)));
    }

    /** {@code x * 0.5 * (1 + erf(x / sqrt 2))}, the nodes torch writes for {@code nn.GELU()}. */
    private String gelu(String x) {
        String erf = op("Erf", op("Div", List.of(x, g.scalar(local("sqrt2"), (float) Math.sqrt(2)))));
        String onePlus = op("Add", List.of(erf, g.scalar(local("one"), 1f)));
        return op("Mul", List.of(op("Mul", List.of(x, onePlus)), g.scalar(local("half"), 0.5f)));
    }

    /** {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}, {@code nn.GELU(approximate='tanh')}. */
    private String geluTanh(String x) {
        String cube = op("Mul", List.of(op("Mul", List.of(x, x)), x));
        String inner = op("Add", List.of(x, op("Mul", List.of(cube, g.scalar(local("c"), 0.044715f)))));
        String t = op("Tanh", op("Mul", List.of(inner, g.scalar(local("k"), (float) Math.sqrt(2 / Math.PI)))));
        String onePlus = op("Add", List.of(t, g.scalar(local("one"), 1f)));
        return op("Mul", List.of(op("Mul", List.of(x, g.scalar(local("half"), 0.5f))), onePlus));
    }

    private String op(String opType, String x, Attr... attrs) {
        return op(opType, List.of(x), attrs);
    }

    /** A node named as torch names them ({@code /3/Conv}, then {@code /3/Conv_1}, ...). */
    private String op(String opType, List<String> inputs, Attr... attrs) {
        String name = local(opType) + (nodes++ == 0 ? "" : "_" + (nodes - 1));
        return g.node(opType, name, inputs, attrs);
    }

    /** An initializer's name for the layer's {@code name}, as the state dict names it ({@code 3.weight}). */
    private String param(String name) {
        return path + "." + name;
    }

    /** A node's or constant's name in the layer, as torch names them ({@code /3/Conv}, {@code /3/enc/min}). */
    private String local(String name) {
        return "/" + path.replace('.', '/') + "/" + name;
    }

    /** The parameter or buffer {@code name} as an initializer named as in the state dict. */
    private String weight(String name, long... dims) {
        return g.floats(param(name), dims, state(name));
    }

    private float[] state(String name) {
        for (var p : layer.parameters()) {
            if (p.name().equals(name)) {
                return p.value().toArray();
            }
        }
        Tensor buffer = layer.buffers().get(name);
        if (buffer == null) {
            throw new IllegalArgumentException("ONNX export: layer " + path + " (" + layer.type() + ") has no '"
                    + name + "'; is the model built?");
        }
        return buffer.toArray();
    }

    /** The per-sample shape as a Reshape target, the batch first ({@code 0}: kept as it is). */
    private String batchShape(Shape s) {
        long[] dims = new long[s.rank() + 1];
        for (int i = 0; i < s.rank(); i++) {
            dims[i + 1] = s.dim(i);
        }
        return g.longs(local("shape"), new long[] {dims.length}, dims);
    }

    private float real(String key) {
        return ((Number) config.get(key)).floatValue();
    }

    /** A config value that is one number (1-D) or a list of two (2-D). */
    private long[] pair(String key, boolean twoD) {
        Object v = config.get(key);
        if (v instanceof List<?> l) {
            return l.stream().mapToLong(e -> ((Number) e).longValue()).toArray();
        }
        long one = ((Number) v).longValue();
        return twoD ? new long[] {one, one} : new long[] {one};
    }

    /** ONNX's pads: the start of every axis, then the end of every axis (symmetric here). */
    private static long[] both(long[] pad) {
        long[] p = Arrays.copyOf(pad, 2 * pad.length);
        System.arraycopy(pad, 0, p, pad.length, pad.length);
        return p;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
