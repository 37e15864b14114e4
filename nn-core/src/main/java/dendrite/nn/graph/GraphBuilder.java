package dendrite.nn.graph;

import dendrite.nn.layers.Layer;
import dendrite.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a {@link Graph}'s nodes by name; {@link #build()} checks them and puts them in order.
 * Nodes may be added in any order (a node may name an input added later), since the graph is sorted
 * when it is built; the last node added is the output unless {@link #outputs} says otherwise.
 */
public final class GraphBuilder {
    private final String inputName;
    private final List<Spec> specs = new ArrayList<>();
    private final Map<String, Shape> namedInputs = new java.util.LinkedHashMap<>();
    private List<String> outputs;

    /** A node as given: a layer (with one input) or a merge (with several). */
    private record Spec(String name, Layer layer, Merge merge, List<String> inputs) {
    }

    GraphBuilder(String inputName) {
        checkName(inputName);
        this.inputName = inputName;
    }

    /**
     * Adds a node applying {@code layer} to the value of node {@code input}.
     *
     * @param name  the node's name: not empty, without a dot (it prefixes the layer's parameter names)
     * @param layer an unbuilt layer, used in no other node
     * @param input the node whose value the layer takes
     * @return this builder
     */
    public GraphBuilder layer(String name, Layer layer, String input) {
        if (layer == null) {
            throw new IllegalArgumentException("graph node '" + name + "': the layer is null");
        }
        return node(name, layer, null, input);
    }

    /**
     * Declares a named input: a model with several inputs (an image and a few numbers about it, say)
     * takes each sample as the inputs' values laid side by side, in the order they are declared, and
     * each named input node gives its own block, shaped {@code shape} (Keras's {@code Input(shape,
     * name)} in a functional model with several inputs). With inputs declared, the graph's input is
     * that row of {@code size of the first + size of the second + ...} values: build the model with
     * {@code Sequential.builder(total)} and join the inputs' arrays with {@link Graph#sideBySide}.
     * Each named input is a {@link dendrite.nn.layers.Columns} node reading the graph's input.
     *
     * @param name  the input node's name, used by later nodes as their input
     * @param shape its per-sample shape, without the batch
     * @return this builder
     */
    public GraphBuilder input(String name, int... shape) {
        checkName(name);
        if (name.equals(inputName)) {
            throw new IllegalArgumentException("graph input '" + name + "': the graph's whole input is already called '"
                    + inputName + "'; give the named input another name");
        }
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("graph input '" + name + "': give its per-sample shape, e.g. input(\""
                    + name + "\", 4)");
        }
        if (namedInputs.containsKey(name)) {
            throw new IllegalArgumentException("graph node name '" + name + "' is used twice");
        }
        try {
            namedInputs.put(name, Shape.of(shape));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("graph input '" + name + "': " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Adds a node summing the values of two or more nodes of one shape (a residual connection).
     *
     * @param name   the node's name
     * @param inputs the nodes added, at least two
     * @return this builder
     */
    public GraphBuilder add(String name, String... inputs) {
        return node(name, null, new MergeAdd(), inputs);
    }

    /**
     * Adds a node multiplying the values of two or more nodes of one shape element by element (a gate).
     *
     * @param name   the node's name
     * @param inputs the nodes multiplied, at least two
     * @return this builder
     */
    public GraphBuilder multiply(String name, String... inputs) {
        return node(name, null, new MergeMultiply(), inputs);
    }

    /**
     * Adds a node joining the values of two or more nodes along a per-sample axis: axis 0 of
     * {@code [64]} features joins features, axis 0 of {@code [channels, h, w]} images joins channels.
     *
     * @param name   the node's name
     * @param axis   the per-sample axis (counting from 0, without the batch); the inputs may differ only along it
     * @param inputs the nodes joined, at least two, in order
     * @return this builder
     */
    public GraphBuilder concat(String name, int axis, String... inputs) {
        return node(name, null, new MergeConcat(axis), inputs);
    }

    /**
     * Names the output nodes; with several, the graph's output is their values flattened and laid side
     * by side in this order. Default: the last node added.
     *
     * @param names one or more node names, each once
     * @return this builder
     */
    public GraphBuilder outputs(String... names) {
        this.outputs = List.of(names);
        return this;
    }

    GraphBuilder node(String name, Layer layer, Merge merge, String... inputs) {
        checkName(name);
        if (inputs == null || Arrays.asList(inputs).contains(null)) {
            throw new IllegalArgumentException("graph node '" + name + "': an input name is null");
        }
        specs.add(new Spec(name, layer, merge, List.of(inputs)));
        return this;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("graph node name '" + name
                    + "' must be non-empty and without dots (it prefixes parameter names, e.g. conv1.weight)");
        }
    }

    /**
     * Checks the nodes and makes the graph (unbuilt: put it in a model, which builds it).
     *
     * @return the graph, its nodes in topological order
     * @throws IllegalArgumentException naming the nodes, when a name is used twice, an input is not a node,
     *         a layer node does not have exactly one input or a merge fewer than two, a layer object appears
     *         in two nodes, the nodes form a cycle, an output is not a node, or a node feeds no output
     */
    public Graph build() {
        if (!namedInputs.isEmpty()) {
            return withInputNodes().build();
        }
        Map<String, Spec> byName = checkNodes();
        List<String> outs = outputs != null ? outputs : specs.isEmpty() ? List.of() : List.of(specs.get(specs.size() - 1).name());
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("graph: no nodes besides the input '" + inputName + "'");
        }
        List<Spec> order = topologicalOrder(byName);
        Map<String, Integer> index = new HashMap<>();
        index.put(inputName, 0);
        List<Graph.Node> nodes = new ArrayList<>();
        nodes.add(new Graph.Node(inputName, null, null, new int[0]));
        for (Spec s : order) {
            int[] in = new int[s.inputs().size()];
            for (int k = 0; k < in.length; k++) {
                in[k] = index.get(s.inputs().get(k));
            }
            index.put(s.name(), nodes.size());
            nodes.add(new Graph.Node(s.name(), s.layer(), s.merge(), in));
        }
        int[] out = new int[outs.size()];
        for (int k = 0; k < out.length; k++) {
            String o = outs.get(k);
            if (!byName.containsKey(o) || outs.indexOf(o) != k) {
                throw new IllegalArgumentException("graph output '" + o + "' is " + (byName.containsKey(o)
                        ? "listed twice" : o.equals(inputName) ? "the input itself" : "not a node")
                        + "; nodes: " + byName.keySet());
            }
            out[k] = index.get(o);
        }
        requireEveryNodeFeedsAnOutput(nodes, out);
        return new Graph(inputName, nodes, out, false, null);
    }

    /** This builder's nodes preceded by a {@link dendrite.nn.layers.Columns} node per named input. */
    private GraphBuilder withInputNodes() {
        long total = namedInputs.values().stream().mapToLong(Shape::size).sum();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("graph inputs: " + total + " values a sample in all, more than an array holds");
        }
        GraphBuilder b = new GraphBuilder(inputName);
        int from = 0;
        for (Map.Entry<String, Shape> in : namedInputs.entrySet()) {
            b.layer(in.getKey(), new dendrite.nn.layers.Columns(from, (int) total, in.getValue().dims()), inputName);
            from += in.getValue().size();
        }
        b.specs.addAll(specs);
        b.outputs = outputs != null ? outputs
                : specs.isEmpty() ? null : List.of(specs.get(specs.size() - 1).name());
        return b;
    }

    private Map<String, Spec> checkNodes() {
        Map<String, Spec> byName = new java.util.LinkedHashMap<>();
        Map<Layer, String> layers = new IdentityHashMap<>();
        for (Spec s : specs) {
            if (s.name().equals(inputName) || byName.containsKey(s.name())) {
                throw new IllegalArgumentException("graph node name '" + s.name() + "' is used twice");
            }
            byName.put(s.name(), s);
            if (s.layer() != null) {
                if (s.inputs().size() != 1) {
                    throw new IllegalArgumentException("graph node '" + s.name() + "': a layer takes one input, got "
                            + s.inputs());
                }
                String other = layers.put(s.layer(), s.name());
                if (other != null) {
                    throw new IllegalArgumentException("graph nodes '" + other + "' and '" + s.name()
                            + "' hold the same layer object; give each node its own layer");
                }
            } else if (s.inputs().size() < 2) {
                throw new IllegalArgumentException("graph node '" + s.name() + "': " + s.merge().op()
                        + " joins two or more inputs, got " + s.inputs());
            }
        }
        for (Spec s : specs) {
            for (String in : s.inputs()) {
                if (!in.equals(inputName) && !byName.containsKey(in)) {
                    throw new IllegalArgumentException("graph node '" + s.name() + "': input '" + in
                            + "' is not a node; nodes: " + inputName + ", " + String.join(", ", byName.keySet()));
                }
            }
        }
        return byName;
    }

    /** The nodes ordered so each comes after its inputs, keeping the order given where free; refuses a cycle. */
    private List<Spec> topologicalOrder(Map<String, Spec> byName) {
        List<Spec> order = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        placed.add(inputName);
        List<Spec> left = new ArrayList<>(specs);
        while (!left.isEmpty()) {
            Spec next = null;
            for (Spec s : left) {
                if (placed.containsAll(s.inputs())) {
                    next = s;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("graph has a cycle: " + cycle(left.get(0), byName, placed));
            }
            left.remove(next);
            placed.add(next.name());
            order.add(next);
        }
        return order;
    }

    /** A cycle among the unplaced nodes, as {@code 'a' -> 'b' -> 'a'} (each node's input follows it). */
    private static String cycle(Spec start, Map<String, Spec> byName, java.util.Set<String> placed) {
        List<String> path = new ArrayList<>();
        Spec s = start;
        while (!path.contains(s.name())) {
            path.add(s.name());
            for (String in : s.inputs()) {
                if (!placed.contains(in)) {
                    s = byName.get(in);
                    break;
                }
            }
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(s.name()), path.size()));
        loop.add(s.name());
        StringBuilder sb = new StringBuilder();
        for (String n : loop) {
            sb.append(sb.isEmpty() ? "" : " <- ").append('\'').append(n).append('\'');
        }
        return sb + " (each node takes the next one's value)";
    }

    private static void requireEveryNodeFeedsAnOutput(List<Graph.Node> nodes, int[] outputs) {
        boolean[] feeds = new boolean[nodes.size()];
        for (int o : outputs) {
            feeds[o] = true;
        }
        for (int i = nodes.size() - 1; i >= 1; i--) {
            if (!feeds[i]) {
                Graph.Node n = nodes.get(i);
                throw new IllegalArgumentException(n.layer() instanceof dendrite.nn.layers.Columns
                        && n.inputs()[0] == 0 ? "graph input '" + n.name() + "' feeds no output: use it or remove it"
                        : "graph node '" + n.name()
                        + "' feeds no output, so its layer would never learn: remove it or list it in outputs(...)");
            }
            for (int j : nodes.get(i).inputs()) {
                feeds[j] = true;
            }
        }
    }
}
