package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;

/** {@code L = mean |p - y|} over all N values; {@code dL/dp = sign(p - y) / N} (0 where p = y). */
public final class MeanAbsoluteError implements Loss {
    /** The loss, as {@link Losses#mae()} also gives it. */
    public MeanAbsoluteError() {
    }

    private final Workspace ws = new Workspace("mae");
    private Tensor diff;

    @Override
    public String name() {
        return "mae";
    }

    @Override
    public Tensor forward(Tensor p, Tensor y) {
        ws.prepare(p);
        Backend be = ws.backend();
        diff = ws.buffer("diff", p.dim(0));
        Tensor abs = ws.buffer("abs", p.dim(0));
        be.binary(BinaryOp.SUB, p, ws.targetLike(p, y), diff);
        be.unary(UnaryOp.ABS, diff, abs);
        be.reduceAll(ReduceOp.SUM, abs, ws.value());
        be.affine(ws.value(), 1f / p.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Tensor g = ws.buffer("grad", diff.dim(0));
        ws.backend().unary(UnaryOp.SIGN, diff, g);
        ws.backend().affine(g, 1f / diff.size(), 0f, g);
        return g;
    }
}
