package dendrite.nn.graph;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.LayerShapeException;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.List;
import java.util.Map;

/**
 * The element-wise product of inputs of one shape (a gate: {@code x * sigmoid(g)}). Backward by the
 * product rule: input i's gradient is the output's gradient times every other input.
 */
final class MergeMultiply implements Merge {
    private Backend backend;
    private BatchBuffer out;
    private BatchBuffer[] gradBuffers;
    private Tensor[] inputs;
    private Tensor[] grads;

    @Override
    public String op() {
        return "multiply";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    @Override
    public Shape outputShape(String node, List<String> inputs, List<Shape> shapes) {
        return sameShapes("multiply", node, inputs, shapes);
    }

    @Override
    public void build(Backend backend, List<Shape> inputShapes, Shape outputShape) {
        this.backend = backend;
        this.out = new BatchBuffer(backend, outputShape);
        this.gradBuffers = new BatchBuffer[inputShapes.size()];
        for (int i = 0; i < gradBuffers.length; i++) {
            gradBuffers[i] = new BatchBuffer(backend, outputShape);
        }
        this.grads = new Tensor[inputShapes.size()];
        this.inputs = new Tensor[inputShapes.size()];
    }

    @Override
    public Tensor forward(Tensor[] in, int batch) {
        System.arraycopy(in, 0, inputs, 0, inputs.length);   // kept for the product rule in backward
        Tensor y = out.get(batch);
        backend.binary(BinaryOp.MUL, in[0], in[1], y);
        for (int i = 2; i < in.length; i++) {
            backend.binary(BinaryOp.MUL, y, in[i], y);
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor dOut) {
        int batch = dOut.dim(0);
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = gradBuffers[i].get(batch);
            backend.copy(dOut, g);
            for (int j = 0; j < inputs.length; j++) {
                if (j != i) {
                    backend.binary(BinaryOp.MUL, g, inputs[j], g);
                }
            }
            grads[i] = g;
        }
        return grads;
    }

    @Override
    public Merge copy() {
        return new MergeMultiply();
    }

    /** The shape every input of an element-wise merge must share, or an error naming the two that differ. */
    static Shape sameShapes(String op, String node, List<String> inputs, List<Shape> shapes) {
        for (int i = 1; i < shapes.size(); i++) {
            if (!shapes.get(i).equals(shapes.get(0))) {
                throw new LayerShapeException(shapes.get(0) + " (the shape of '" + inputs.get(0) + "') at " + op
                        + " node '" + node + "'", shapes.get(i), "'" + inputs.get(i) + "' gives " + shapes.get(i)
                        + " but '" + inputs.get(0) + "' gives " + shapes.get(0)
                        + ": an element-wise merge needs inputs of one shape (add a dense or 1x1 conv projection,"
                        + " or use concat)");
            }
        }
        return shapes.get(0);
    }
}
