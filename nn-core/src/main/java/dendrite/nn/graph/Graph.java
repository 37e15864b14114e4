package dendrite.nn.graph;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.layers.LayerShapeException;
import dendrite.nn.layers.Parameter;
import dendrite.nn.layers.ViewCache;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.CounterRandom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A network that is not a straight line: named nodes, each a layer applied to an earlier node or a
 * merge (add, multiply, concatenate) of several, with one or more outputs. A graph is itself a
 * {@link Layer}, so it goes wherever a layer goes: alone in a {@code Sequential} (which then trains,
 * evaluates, checkpoints and saves it like any model) or as one block among other layers (a residual
 * block inside a CNN), as a Keras functional model can be used as a layer.
 *
 * <pre>{@code
 * // 16 -> 16 channels, 3 x 3, stride 1, padding 1 (PyTorch's arguments), so the sum's shapes match
 * Conv2d conv1 = new Conv2d(16, 16, 3, 3, 1, 1, 1, 1, false, 1, 1, 1, true, null);
 * Conv2d conv2 = new Conv2d(16, 16, 3, 3, 1, 1, 1, 1, false, 1, 1, 1, true, null);
 * Graph block = Graph.builder()                         // the input node is called "input"
 *         .layer("conv1", conv1, "input")
 *         .layer("relu1", new ReLU(), "conv1")
 *         .layer("conv2", conv2, "relu1")
 *         .add("sum", "conv2", "input")                 // the skip connection
 *         .layer("out", new ReLU(), "sum")
 *         .build();                                     // the last node is the output
 * Sequential model = Sequential.builder(16, 28, 28).add(block).flatten().dense(10).build(backend, 42);
 * }</pre>
 *
 * <h2>The passes</h2>
 * Forward runs the nodes in topological order. Backward runs them in reverse, and a node that feeds
 * several others (the input of a residual block feeds both the convolution and the sum) receives
 * the sum of their gradients, which is the chain rule for a variable used twice. Building checks the
 * graph: unknown inputs, duplicate names, cycles, nodes that no output depends on (their layers would
 * never get a gradient) and shapes that do not fit are refused, naming the nodes.
 *
 * <h2>Several outputs</h2>
 * With more than one output, the graph's output is each output flattened and laid side by side,
 * {@code [batch, size1 + size2 + ...]}, in the order given to {@link GraphBuilder#outputs}; a
 * {@link dendrite.nn.losses.MultiTaskLoss} gives each part its own loss and weight.
 *
 * <h2>Names and reuse</h2>
 * Parameters and buffers are named {@code <node>.<name>} ({@code conv1.weight}), as PyTorch names a
 * module's children, so inside a {@code Sequential} they read {@code 0.conv1.weight}.
 * {@link #subgraph} gives the part between two nodes as a graph of its own sharing the trained
 * layers (an autoencoder's encoder). A layer object may appear in only one node.
 */
public final class Graph implements Layer {
    /** The name {@link #builder()} gives the input node. */
    public static final String INPUT = "input";

    private final String inputName;
    private final List<Node> nodes;          // topological order; node 0 is the input
    private final int[] outputs;
    private final boolean layersPrebuilt;    // a subgraph or replica: its layers are already built
    private final Graph origin;              // the graph a subgraph's layers were built in, or null

    private Backend backend;
    private Shape[] shapes;
    private Tensor[] values;
    private Tensor[][] mergeInputs;
    private Tensor[] grads;
    private boolean[] ownedGrad;
    private BatchBuffer[] sums;
    private BatchBuffer joinedOutput;
    private BatchBuffer[] outputGrads;
    private ViewCache[] outputViews;
    private ViewCache[] outputGradViews;
    private ViewCache joinedView;
    private ViewCache joinedGradView;
    private int outputWidth;
    private List<Parameter> parameters = List.of();
    private Map<String, Tensor> buffers = Map.of();
    private boolean inputGradientNeeded = true;

    /** One node: the input, a layer applied to one earlier node, or a merge of several. */
    record Node(String name, Layer layer, Merge merge, int[] inputs) {
        boolean isInput() {
            return layer == null && merge == null;
        }

        String kind() {
            return isInput() ? "input" : layer != null ? layer.type() : merge.op();
        }
    }

    Graph(String inputName, List<Node> nodes, int[] outputs, boolean layersPrebuilt, Graph origin) {
        this.inputName = inputName;
        this.nodes = List.copyOf(nodes);
        this.outputs = outputs.clone();
        this.layersPrebuilt = layersPrebuilt;
        this.origin = origin;
    }

    /**
     * Starts a graph whose input node is called {@value #INPUT}.
     *
     * @return a builder holding only the input node
     */
    public static GraphBuilder builder() {
        return new GraphBuilder(INPUT);
    }

    /**
     * Starts a graph whose input node has the given name.
     *
     * @param inputName the input node's name: not empty, without a dot
     * @return a builder holding only the input node
     */
    public static GraphBuilder builder(String inputName) {
        return new GraphBuilder(inputName);
    }

    /**
     * The features of a model with several named inputs ({@link GraphBuilder#input}): for each sample,
     * the first input's values, then the second's, and so on, as the graph reads them.
     *
     * @param samples the number of samples, at least 0
     * @param inputs  each input's values for all samples, sample after sample, in the order the inputs
     *                were declared; each array's length a multiple of {@code samples}
     * @return a new array of {@code samples} rows of all inputs' values
     * @throws IllegalArgumentException if an array's length is not a multiple of {@code samples}, or
     *         differs from zero when there are no samples
     */
    public static float[] sideBySide(int samples, float[]... inputs) {
        if (samples < 0) {
            throw new IllegalArgumentException("sideBySide: samples must be at least 0, got " + samples);
        }
        int[] widths = new int[inputs.length];
        long row = 0;
        for (int k = 0; k < inputs.length; k++) {
            int length = inputs[k].length;
            if (samples == 0 ? length != 0 : length % samples != 0) {
                throw new IllegalArgumentException("sideBySide: input " + k + " has " + length
                        + " values, not a multiple of " + samples + " samples");
            }
            widths[k] = samples == 0 ? 0 : length / samples;
            row += widths[k];
        }
        if (row * samples > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sideBySide: " + samples + " samples of " + row
                    + " values are more than an array holds");
        }
        float[] out = new float[(int) (row * samples)];
        int at = 0;
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < inputs.length; k++) {
                System.arraycopy(inputs[k], i * widths[k], out, at, widths[k]);
                at += widths[k];
            }
        }
        return out;
    }

    /**
     * Rebuilds a graph from its {@link #config()} (how model files store it).
     *
     * @param config {@code input} (the input node's name), {@code nodes} (each with {@code name},
     *               {@code op}, {@code inputs}, and for a layer node {@code layer}: its {@code type} and
     *               {@code config}; for a concat node {@code axis}) and {@code outputs}
     * @return an unbuilt graph
     * @throws IllegalArgumentException when the description is incomplete or describes an invalid graph
     */
    public static Graph fromConfig(Map<String, ?> config) {
        return GraphConfig.read(config);
    }

    // ------------------------------------------------------------------ description

    @Override
    public String type() {
        return "graph";
    }

    @Override
    public Map<String, Object> config() {
        return GraphConfig.write(inputName, nodes, outputs);
    }

    /**
     * The node names in topological order, the input first.
     *
     * @return a new list of the names
     */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            names.add(n.name());
        }
        return names;
    }

    /**
     * The names of the output nodes, in the order their values are laid side by side.
     *
     * @return a new list of the names
     */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>(outputs.length);
        for (int o : outputs) {
            names.add(nodes.get(o).name());
        }
        return names;
    }

    /**
     * The layer of a layer node.
     *
     * @param node a node's name
     * @return the layer that node applies
     * @throws IllegalArgumentException if there is no such node or it is not a layer node
     */
    public Layer layer(String node) {
        Node n = nodes.get(indexOf(node));
        if (n.layer() == null) {
            throw new IllegalArgumentException("graph node '" + node + "' is " + n.kind() + ", not a layer");
        }
        return n.layer();
    }

    /**
     * The per-sample output shape of one node, once the graph is built.
     *
     * @param node a node's name
     * @return that node's per-sample shape
     * @throws IllegalStateException before {@link #build}
     * @throws IllegalArgumentException if there is no such node
     */
    public Shape shapeOf(String node) {
        requireBuilt("shapeOf");
        return shapes[indexOf(node)];
    }

    /**
     * The value a node computed in the last forward pass, e.g. an autoencoder's code.
     *
     * @param node a node's name
     * @return its output {@code [batch, shape...]}, valid until the next forward; {@code null} before any
     * @throws IllegalArgumentException if there is no such node
     */
    public Tensor lastValue(String node) {
        int i = indexOf(node);
        return values == null ? null : values[i];
    }

    int indexOf(String node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the graph has no node '" + node + "'; its nodes are " + nodeNames());
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return outputOf(shapesFor(inputShape));
    }

    private Shape outputOf(Shape[] s) {
        if (outputs.length == 1) {
            return s[outputs[0]];
        }
        int total = 0;
        for (int o : outputs) {
            total += s[o].size();
        }
        return Shape.of(total);
    }

    /** Every node's per-sample shape, checking that each node takes what its inputs give. */
    private Shape[] shapesFor(Shape inputShape) {
        Shape[] s = new Shape[nodes.size()];
        s[0] = inputShape;
        for (int i = 1; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.layer() != null) {
                try {
                    s[i] = n.layer().outputShape(s[n.inputs()[0]]);
                } catch (LayerShapeException e) {
                    throw new LayerShapeException(e.expected() + " at graph node '" + n.name() + "' ("
                            + n.layer().type() + ", fed by '" + nodes.get(n.inputs()[0]).name() + "')", e.actual(),
                            e.fix());
                }
            } else {
                List<String> names = new ArrayList<>();
                List<Shape> in = new ArrayList<>();
                for (int j : n.inputs()) {
                    names.add(nodes.get(j).name());
                    in.add(s[j]);
                }
                s[i] = n.merge().outputShape(n.name(), names, in);
            }
        }
        return s;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape inputShape) {
        Shape[] s = shapesFor(inputShape);
        Map<String, int[]> all = new LinkedHashMap<>();
        for (int i = 1; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.layer() == null) {
                continue;
            }
            Optional<Map<String, int[]>> mine = n.layer().stateShapes(s[n.inputs()[0]]);
            if (mine.isEmpty()) {
                return Optional.empty();         // a layer that does not declare its shapes: not declared
            }
            for (Map.Entry<String, int[]> e : mine.get().entrySet()) {
                all.put(n.name() + "." + e.getKey(), e.getValue());
            }
        }
        return Optional.of(all);
    }

    // ------------------------------------------------------------------ building

    @Override
    public void followedBy(Layer next) {
        // The graph's own output layers choose their defaults from what is inside the graph.
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        Shape[] s = shapesFor(inputShape);
        if (layersPrebuilt && origin != null) {
            if (origin.backend != backend) {
                throw new IllegalArgumentException("subgraph from '" + inputName + "': its layers live on "
                        + origin.backend.name() + ", not on " + backend.name());
            }
            Shape expected = origin.shapes[origin.indexOf(inputName)];
            if (!expected.equals(inputShape)) {
                throw new LayerShapeException(expected + " (the shape of node '" + inputName + "')", inputShape,
                        "build the subgraph for input shape " + expected);
            }
        }
        this.backend = backend;
        this.shapes = s;
        int n = nodes.size();
        int[] consumers = consumerCounts();
        for (int i = 1; i < n; i++) {
            Node node = nodes.get(i);
            if (node.layer() != null && !layersPrebuilt) {
                node.layer().followedBy(onlyConsumerLayer(i, consumers));
                node.layer().build(backend, s[node.inputs()[0]], CounterRandom.bits(seed, i));
            } else if (node.merge() != null) {
                List<Shape> in = new ArrayList<>();
                for (int j : node.inputs()) {
                    in.add(s[j]);
                }
                node.merge().build(backend, in, s[i]);
            }
        }
        values = new Tensor[n];
        mergeInputs = new Tensor[n][];
        grads = new Tensor[n];
        ownedGrad = new boolean[n];
        sums = new BatchBuffer[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (node.merge() != null) {
                mergeInputs[i] = new Tensor[node.inputs().length];
            }
            if (consumers[i] > 1) {
                sums[i] = new BatchBuffer(backend, s[i]);
            }
        }
        buildOutputs(s);
        collectState();
        setInputGradientNeeded(inputGradientNeeded);
    }

    private void buildOutputs(Shape[] s) {
        if (outputs.length == 1) {
            return;
        }
        outputWidth = outputOf(s).size();
        joinedOutput = new BatchBuffer(backend, Shape.of(outputWidth));
        joinedView = new ViewCache();
        joinedGradView = new ViewCache();
        outputGrads = new BatchBuffer[outputs.length];
        outputViews = new ViewCache[outputs.length];
        outputGradViews = new ViewCache[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            outputGrads[k] = new BatchBuffer(backend, s[outputs[k]]);
            outputViews[k] = new ViewCache();
            outputGradViews[k] = new ViewCache();
        }
    }

    private void collectState() {
        List<Parameter> ps = new ArrayList<>();
        Map<String, Tensor> bs = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.layer() == null) {
                continue;
            }
            for (Parameter p : node.layer().parameters()) {
                ps.add(p.prefixed(node.name()));
            }
            for (Map.Entry<String, Tensor> b : node.layer().buffers().entrySet()) {
                bs.put(node.name() + "." + b.getKey(), b.getValue());
            }
        }
        parameters = Collections.unmodifiableList(ps);
        buffers = Collections.unmodifiableMap(bs);
    }

    /** How many times each node's value is used: by later nodes, and once more for each output it is. */
    private int[] consumerCounts() {
        int[] c = new int[nodes.size()];
        for (Node node : nodes) {
            for (int j : node.inputs()) {
                c[j]++;
            }
        }
        for (int o : outputs) {
            c[o]++;
        }
        return c;
    }

    /** The layer that alone consumes node i (so it can choose its initialization for it), or null. */
    private Layer onlyConsumerLayer(int i, int[] consumers) {
        if (consumers[i] != 1) {
            return null;
        }
        for (Node node : nodes) {
            for (int j : node.inputs()) {
                if (j == i) {
                    return node.layer();
                }
            }
        }
        return null;
    }

    private void requireBuilt(String op) {
        if (backend == null) {
            throw new IllegalStateException("graph " + op + ": build the graph first (e.g. in a Sequential)");
        }
    }

    // ------------------------------------------------------------------ passes

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt("forward");
        int batch = x.dim(0);
        values[0] = x;
        for (int i = 1; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            int[] in = node.inputs();
            if (node.layer() != null) {
                values[i] = node.layer().forward(values[in[0]], training);
            } else {
                Tensor[] args = mergeInputs[i];
                for (int k = 0; k < in.length; k++) {
                    args[k] = values[in[k]];
                }
                values[i] = node.merge().forward(args, batch);
            }
        }
        if (outputs.length == 1) {
            return values[outputs[0]];
        }
        Tensor joined = joinedOutput.get(batch);
        Tensor rows = joinedView.rows(joined, batch, outputWidth);
        int column = 0;
        for (int k = 0; k < outputs.length; k++) {
            Tensor v = values[outputs[k]];
            int width = shapes[outputs[k]].size();
            backend.copyColumns(outputViews[k].rows(v, batch, width), 0, rows, column, width);
            column += width;
        }
        return joined;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        requireBuilt("backward");
        int batch = dOut.dim(0);
        Arrays.fill(grads, null);
        Arrays.fill(ownedGrad, false);
        seedOutputs(dOut, batch);
        for (int i = nodes.size() - 1; i >= 1; i--) {
            Node node = nodes.get(i);
            Tensor g = grads[i];
            if (node.layer() != null) {
                Tensor dIn = node.layer().backward(g);
                if (dIn != null) {
                    contribute(node.inputs()[0], dIn, batch);
                }
            } else {
                Tensor[] dIns = node.merge().backward(g);
                for (int k = 0; k < dIns.length; k++) {
                    contribute(node.inputs()[k], dIns[k], batch);
                }
            }
        }
        return inputGradientNeeded ? grads[0] : null;
    }

    private void seedOutputs(Tensor dOut, int batch) {
        if (outputs.length == 1) {
            contribute(outputs[0], dOut, batch);
            return;
        }
        Tensor rows = joinedGradView.rows(dOut, batch, outputWidth);
        int column = 0;
        for (int k = 0; k < outputs.length; k++) {
            int width = shapes[outputs[k]].size();
            Tensor part = outputGrads[k].get(batch);
            backend.copyColumns(rows, column, outputGradViews[k].rows(part, batch, width), 0, width);
            column += width;
            contribute(outputs[k], part, batch);
        }
    }

    /**
     * Adds one consumer's gradient into node j's: the first is kept as it is (no copy), a second is
     * summed into the node's own buffer, and later ones are added to that buffer.
     */
    private void contribute(int j, Tensor g, int batch) {
        if (grads[j] == null) {
            grads[j] = g;
        } else if (!ownedGrad[j]) {
            Tensor sum = sums[j].get(batch);
            backend.binary(BinaryOp.ADD, grads[j], g, sum);
            grads[j] = sum;
            ownedGrad[j] = true;
        } else {
            backend.binary(BinaryOp.ADD, grads[j], g, grads[j]);
        }
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
        if (origin != null) {
            return;      // a subgraph's layers are its origin's too, and the origin may need their input gradients
        }
        for (Node node : nodes) {
            if (node.layer() != null && node.inputs()[0] == 0) {
                node.layer().setInputGradientNeeded(needed);
            }
        }
    }

    // ------------------------------------------------------------------ state

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, Tensor> buffers() {
        return buffers;
    }

    @Override
    public Map<String, Long> randomState() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.layer() != null) {
                for (Map.Entry<String, Long> e : node.layer().randomState().entrySet()) {
                    all.put(node.name() + "." + e.getKey(), e.getValue());
                }
            }
        }
        return all;
    }

    @Override
    public void restoreRandomState(Map<String, Long> state) {
        if (!state.keySet().equals(randomState().keySet())) {
            throw new IllegalArgumentException("graph: random state names " + state.keySet() + " are not "
                    + randomState().keySet());
        }
        for (Node node : nodes) {
            if (node.layer() == null || node.layer().randomState().isEmpty()) {
                continue;
            }
            Map<String, Long> mine = new LinkedHashMap<>();
            String prefix = node.name() + ".";
            for (Map.Entry<String, Long> e : state.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    mine.put(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
            node.layer().restoreRandomState(mine);
        }
    }

    @Override
    public boolean outputsProbabilities() {
        Node out = nodes.get(outputs[0]);
        return outputs.length == 1 && out.layer() != null && out.layer().outputsProbabilities();
    }

    /** Prepares every node's layer (see {@link Layer#prepareForPrediction}). */
    @Override
    public void prepareForPrediction() {
        requireBuilt("prepareForPrediction");
        for (Node node : nodes) {
            if (node.layer() != null) {
                node.layer().prepareForPrediction();
            }
        }
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        requireBuilt("replicaForInference");
        List<Node> copies = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node.layer() != null) {
                Optional<Layer> copy = node.layer().replicaForInference(backend, shapes[node.inputs()[0]]);
                if (copy.isEmpty()) {
                    return Optional.empty();
                }
                copies.add(new Node(node.name(), copy.get(), null, node.inputs()));
            } else {
                copies.add(new Node(node.name(), null, node.merge() == null ? null : node.merge().copy(),
                        node.inputs()));
            }
        }
        Graph replica = new Graph(inputName, copies, outputs, true, null);
        replica.build(backend, inputShape, 0L);
        return Optional.of(replica);
    }

    // ------------------------------------------------------------------ reuse

    /**
     * The part of this built graph from node {@code from} to node {@code to}, as a graph of its own
     * whose input is {@code from}'s value and whose output is {@code to}'s. It shares this graph's layers
     * (the same weights, trained or not), so an autoencoder's encoder is
     * {@code autoencoder.subgraph("input", "code")}. Put it in a {@code Sequential} built on the same
     * backend, with {@code from}'s shape as the input shape; the weights are not re-initialized.
     * Like any layer it keeps per-batch state, so do not run both graphs at once.
     *
     * @param from the node whose value becomes the input (the input node for "from the start")
     * @param to   the node whose value becomes the output
     * @return the subgraph, ready to be put in a model
     * @throws IllegalStateException before this graph is built
     * @throws IllegalArgumentException if a node is unknown, or {@code to} also depends on a node that is
     *                                  not reached through {@code from}
     */
    public Graph subgraph(String from, String to) {
        requireBuilt("subgraph");
        int f = indexOf(from);
        int t = indexOf(to);
        boolean[] needed = new boolean[nodes.size()];
        markNeeded(t, f, needed, to, from);
        List<Node> part = new ArrayList<>();
        int[] remap = new int[nodes.size()];
        Arrays.fill(remap, -1);
        part.add(new Node(from, null, null, new int[0]));
        remap[f] = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (!needed[i] || i == f) {
                continue;
            }
            Node node = nodes.get(i);
            int[] in = new int[node.inputs().length];
            for (int k = 0; k < in.length; k++) {
                in[k] = remap[node.inputs()[k]];
            }
            remap[i] = part.size();
            part.add(new Node(node.name(), node.layer(), node.merge() == null ? null : node.merge().copy(), in));
        }
        return new Graph(from, part, new int[] {remap[t]}, true, this);
    }

    private void markNeeded(int i, int from, boolean[] needed, String to, String fromName) {
        if (needed[i]) {
            return;
        }
        needed[i] = true;
        if (i == from) {
            return;
        }
        if (i == 0) {
            throw new IllegalArgumentException("subgraph '" + fromName + "' to '" + to + "': '" + to
                    + "' also depends on the input '" + inputName + "' by a path that does not pass through '"
                    + fromName + "'");
        }
        for (int j : nodes.get(i).inputs()) {
            markNeeded(j, from, needed, to, fromName);
        }
    }

    // ------------------------------------------------------------------ display

    /**
     * A table of the nodes: name, what it does, what feeds it, its output shape and its parameter count.
     *
     * @return the table, one line per node
     * @throws IllegalStateException before the graph is built
     */
    public String summary() {
        requireBuilt("summary");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %-18s %-24s %-16s %10s%n", "Node", "Op", "Inputs", "Output shape",
                "Params"));
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<String> in = new ArrayList<>();
            for (int j : node.inputs()) {
                in.add(nodes.get(j).name());
            }
            long params = node.layer() == null ? 0 : node.layer().parameterCount();
            String name = node.name() + (contains(outputs, i) ? " *" : "");
            sb.append(String.format(Locale.ROOT, "%-16s %-18s %-24s %-16s %,10d%n", name,
                    node.layer() != null ? node.layer().toString() : node.kind(), String.join(", ", in),
                    shapes[i].toString(), params));
        }
        sb.append("(* an output)\n");
        return sb.toString();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Graph(" + (nodes.size() - 1) + " nodes)";
    }

    List<Node> nodes() {
        return nodes;
    }

    int[] outputIndices() {
        return outputs.clone();
    }

    String inputName() {
        return inputName;
    }
}
