package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;

/**
 * Binary cross-entropy on probabilities p in (0, 1) (after a sigmoid), PyTorch's {@code BCELoss}:
 * <pre>
 *   L = -mean [y ln p + (1 - y) ln(1 - p)]
 *   dL/dp = (p - y) / (p (1 - p)) / N
 * </pre>
 * p is clamped to [1e-7, 1 - 1e-7] so a saturated sigmoid gives a large, finite loss instead of
 * infinity. Prefer {@link BinaryCrossEntropyWithLogits} on the raw outputs: it is exact where this
 * must clamp.
 */
public final class BinaryCrossEntropy implements Loss {
    private static final float EPS = 1e-7f;
    private final Workspace ws = new Workspace("bce");
    private Tensor pc;
    private Tensor q;
    private Tensor target;

    @Override
    public String name() {
        return "bce";
    }

    @Override
    public Tensor forward(Tensor p, Tensor y) {
        ws.prepare(p);
        Backend be = ws.backend();
        int m = p.dim(0);
        target = ws.targetLike(p, y);
        pc = ws.buffer("p", m);
        q = ws.buffer("1-p", m);
        Tensor lnq = ws.buffer("ln(1-p)", m);
        Tensor t = ws.buffer("term", m);
        be.clamp(p, EPS, 1f - EPS, pc);
        be.affine(pc, -1f, 1f, q);                           // 1 - p
        be.unary(UnaryOp.LOG, q, lnq);
        be.unary(UnaryOp.LOG, pc, t);
        be.binary(BinaryOp.SUB, t, lnq, t);                  // ln p - ln(1-p)
        be.binary(BinaryOp.MUL, t, target, t);               // y (ln p - ln(1-p))
        be.binary(BinaryOp.ADD, t, lnq, t);                  // y ln p + (1-y) ln(1-p)
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), -1f / p.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        int m = pc.dim(0);
        Tensor g = ws.buffer("grad", m);
        Tensor t = ws.buffer("term", m);
        be.binary(BinaryOp.SUB, pc, target, g);              // p - y
        be.binary(BinaryOp.MUL, pc, q, t);                   // p (1 - p)
        be.binary(BinaryOp.DIV, g, t, g);
        be.affine(g, 1f / g.size(), 0f, g);
        return g;
    }
}
