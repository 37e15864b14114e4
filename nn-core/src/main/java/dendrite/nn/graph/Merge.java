package dendrite.nn.graph;

import dendrite.nn.layers.LayerShapeException;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A node that joins several earlier nodes into one: {@link MergeAdd}, {@link MergeMultiply} or
 * {@link MergeConcat}. Like a layer it owns its output and gradient buffers, so a graph copied for
 * another thread makes a new merge from {@link #op()} and {@link #config()}.
 */
interface Merge {

    /** The name the graph's architecture gives this kind of merge: {@code add}, {@code multiply} or {@code concat}. */
    String op();

    /** The options that rebuild it (the axis of a concatenation); empty for most. */
    Map<String, Object> config();

    /**
     * The per-sample output shape for the inputs' shapes.
     *
     * @param node   this node's name, for the error
     * @param inputs the input nodes' names, for the error
     * @param shapes their per-sample shapes, in order
     * @throws LayerShapeException naming the nodes whose shapes do not fit together
     */
    Shape outputShape(String node, List<String> inputs, List<Shape> shapes);

    /** Allocates nothing yet; remembers the backend and the shapes its buffers will have. */
    void build(Backend backend, List<Shape> inputShapes, Shape outputShape);

    /** The merged batch, in a buffer this merge owns; keeps what backward needs. */
    Tensor forward(Tensor[] inputs, int batch);

    /**
     * dL/d(input i) for each input, given dL/d(output): tensors valid until this merge's next pass.
     * An entry may be {@code dOut} itself (an addition passes its gradient through unchanged).
     */
    Tensor[] backward(Tensor dOut);

    /** A new, unbuilt merge of the same kind and options. */
    Merge copy();

    /** Makes the merge an architecture names. */
    static Merge of(String op, Map<String, ?> config, String node) {
        return switch (op) {
            case "add" -> new MergeAdd();
            case "multiply" -> new MergeMultiply();
            case "concat" -> new MergeConcat(axis(config, node));
            default -> throw new IllegalArgumentException("graph node '" + node + "': unknown op '" + op
                    + "' (expected layer, add, multiply or concat)");
        };
    }

    private static int axis(Map<String, ?> config, String node) {
        Object a = config.get("axis");
        if (!(a instanceof Number n) || n.doubleValue() != n.intValue()) {
            throw new IllegalArgumentException("graph node '" + node + "': concat needs an integer 'axis', got " + a);
        }
        return n.intValue();
    }
}
