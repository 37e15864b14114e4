package dendrite.nn.graph;

import dendrite.nn.layers.BatchBuffer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The element-wise sum of inputs of one shape: a residual connection's {@code x + f(x)}. Its
 * backward pass hands every input the output's gradient unchanged, since d(a + b)/da = 1.
 */
final class MergeAdd implements Merge {
    private Backend backend;
    private BatchBuffer out;
    private Tensor[] grads;

    @Override
    public String op() {
        return "add";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    @Override
    public Shape outputShape(String node, List<String> inputs, List<Shape> shapes) {
        return MergeMultiply.sameShapes("add", node, inputs, shapes);
    }

    @Override
    public void build(Backend backend, List<Shape> inputShapes, Shape outputShape) {
        this.backend = backend;
        this.out = new BatchBuffer(backend, outputShape);
        this.grads = new Tensor[inputShapes.size()];
    }

    @Override
    public Tensor forward(Tensor[] inputs, int batch) {
        Tensor y = out.get(batch);
        backend.binary(BinaryOp.ADD, inputs[0], inputs[1], y);
        for (int i = 2; i < inputs.length; i++) {
            backend.binary(BinaryOp.ADD, y, inputs[i], y);
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor dOut) {
        Arrays.fill(grads, dOut);
        return grads;
    }

    @Override
    public Merge copy() {
        return new MergeAdd();
    }
}
