package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;

/**
 * {@code L = mean (p - y)^2} over all N values (PyTorch's {@code MSELoss}); {@code dL/dp = 2 (p - y) / N}.
 */
public final class MeanSquaredError implements Loss {
    /** The loss, as {@link Losses#mse()} also gives it. */
    public MeanSquaredError() {
    }

    private final Workspace ws = new Workspace("mse");
    private Tensor diff;

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public Tensor forward(Tensor p, Tensor y) {
        ws.prepare(p);
        Backend be = ws.backend();
        diff = ws.buffer("diff", p.dim(0));
        be.binary(BinaryOp.SUB, p, ws.targetLike(p, y), diff);
        be.reduceAll(ReduceOp.SUM_SQUARES, diff, ws.value());
        be.affine(ws.value(), 1f / p.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Tensor g = ws.buffer("grad", diff.dim(0));
        ws.backend().affine(diff, 2f / diff.size(), 0f, g);
        return g;
    }
}
