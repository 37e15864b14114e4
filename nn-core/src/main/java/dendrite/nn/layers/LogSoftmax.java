package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;
import java.util.Optional;

/**
 * Log-softmax along the last axis, PyTorch's {@code nn.LogSoftmax(dim=-1)} (its {@code dim=1} for
 * {@code [N, C]}): {@code y_j = x_j - max - ln sum_k e^(x_k - max)}, computed in that form by the
 * backend's {@code logSoftmax}, never as {@code ln softmax(x)}, which is {@code -inf} wherever the softmax
 * underflows (a logit 104 below the row's largest is enough in float).
 *
 * <p>Backward, as PyTorch's {@code log_softmax_backward}: {@code dx_j = dy_j - e^(y_j) sum_k dy_k}.
 *
 * <p>It is the first half of PyTorch's classic pairing {@code nn.LogSoftmax(dim=1)} + {@code nn.NLLLoss()}
 * ({@code Losses.nll()}), which trains as the fused {@code Losses.softmaxCrossEntropy()} on the logits
 * does. A model ending in it still predicts probabilities: {@code predictProba} applies a softmax to
 * the outputs, and the softmax of log-probabilities is those probabilities.
 */
public final class LogSoftmax implements Layer {
    /** A log-softmax over each sample's values along the last axis; it has no options. */
    public LogSoftmax() {
    }

    private Backend be;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer rowSum;
    private Tensor lastOutput;

    @Override
    public String type() {
        return "log_softmax";
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
        rowSum = new BatchBuffer(backend, Shape.of(inputShape.size() / inputShape.last(), 1));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        lastOutput = out.get(x.dim(0));
        be.logSoftmax(x, lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor dY) {
        int m = dY.dim(0);
        Tensor dX = dx.get(m);
        Tensor sum = rowSum.get(m);                                      // [m, rows per sample, 1]: a column
        be.reduce(ReduceOp.SUM, dY, -1, sum);                            // sum_k dy_k per row
        be.unary(UnaryOp.EXP, lastOutput, dX);                           // e^y, the softmax, as PyTorch takes it
        be.binary(BinaryOp.MUL, dX, sum, dX);                            // e^y sum dy, broadcast along each row
        be.binary(BinaryOp.SUB, dY, dX, dX);                             // dy - e^y sum dy
        return dX;
    }

    @Override
    public String toString() {
        return "LogSoftmax()";
    }
}
