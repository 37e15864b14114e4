package dendrite.nn.layers;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.Backend;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Map;
import java.util.Optional;

/**
 * Softmax along the last axis: {@code y_j = e^(x_j) / sum_k e^(x_k)}.
 *
 * <p>Backward: {@code dx_j = y_j (dy_j - sum_k dy_k y_k)}. For classification prefer a model that ends
 * in logits and the fused {@code SoftmaxCrossEntropy} loss, which is cheaper and more accurate; this
 * layer is for models that must output probabilities.
 */
public final class Softmax implements Layer {
    /** A softmax over each sample's values; it has no options. */
    public Softmax() {
    }

    private Backend be;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer rowDot;
    private Tensor lastOutput;
    private final ViewCache dotRows = new ViewCache();
    private final ViewCache dxRows = new ViewCache();
    private final ViewCache dyRows = new ViewCache();

    @Override
    public String type() {
        return "softmax";
    }

    @Override
    public boolean outputsProbabilities() {
        return true;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        be = backend;
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
        rowDot = new BatchBuffer(backend, Shape.of(inputShape.size() / inputShape.last(), 1));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        lastOutput = out.get(x.dim(0));
        be.softmax(x, lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor dY) {
        int m = dY.dim(0);
        Tensor dX = dx.get(m);
        Tensor dot = rowDot.get(m);
        int last = dY.shape().last();
        int rows = dY.size() / last;
        Tensor dot2d = dot.rank() == 2 ? dot : dotRows.rows(dot, rows, 1);
        be.binary(BinaryOp.MUL, dY, lastOutput, dX);                         // dy * y
        be.reduce(ReduceOp.SUM, dX, -1, dot2d);                              // sum_k dy_k y_k per row
        Tensor dX2d = dX.rank() == 2 ? dX : dxRows.rows(dX, rows, last);
        Tensor dY2d = dY.rank() == 2 ? dY : dyRows.rows(dY, rows, last);
        be.binary(BinaryOp.SUB, dY2d, dot2d, dX2d);                          // dy - sum
        be.binary(BinaryOp.MUL, dX, lastOutput, dX);                         // y (dy - sum)
        return dX;
    }

    @Override
    public String toString() {
        return "Softmax()";
    }
}
