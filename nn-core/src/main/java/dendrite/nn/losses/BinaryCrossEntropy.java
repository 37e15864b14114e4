package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;

/**
 * Binary cross-entropy on probabilities p in [0, 1] (after a sigmoid), exactly as PyTorch's
 * {@code BCELoss} computes it:
 * <pre>
 *   L = -mean [y max(ln p, -100) + (1 - y) max(ln(1 - p), -100)]
 *   dL/dp = (p - y) / max(p (1 - p), 1e-12) / N
 * </pre>
 * The logarithms are capped at -100, so p = 0 or 1 gives a large, finite loss, and the gradient's
 * denominator is kept from 0. (This class clamped p to [1e-7, 1 - 1e-7] before, which differed
 * from PyTorch on confident predictions by up to 10^5 in the gradient.) Prefer
 * {@link BinaryCrossEntropyWithLogits} on the raw outputs: it is exact where this must cap.
 */
public final class BinaryCrossEntropy implements Loss {
    /** The loss, as {@link Losses#binaryCrossEntropy()} also gives it. */
    public BinaryCrossEntropy() {
    }

    /** PyTorch's floor for each log term. */
    private static final float LOG_FLOOR = -100f;
    /** PyTorch's floor for p (1 - p) in the gradient. */
    private static final float GRAD_EPS = 1e-12f;
    private final Workspace ws = new Workspace("bce");
    private Tensor p;
    private Tensor q;
    private Tensor target;

    @Override
    public String name() {
        return "bce";
    }

    @Override
    public Tensor forward(Tensor prediction, Tensor y) {
        ws.prepare(prediction);
        Backend be = ws.backend();
        int m = prediction.dim(0);
        p = prediction;
        target = ws.targetLike(prediction, y);
        q = ws.buffer("1-p", m);
        Tensor lnq = ws.buffer("ln(1-p)", m);
        Tensor t = ws.buffer("term", m);
        be.affine(p, -1f, 1f, q);                                        // 1 - p
        be.unary(UnaryOp.LOG, q, lnq);
        be.clamp(lnq, LOG_FLOOR, Float.POSITIVE_INFINITY, lnq);          // max(ln(1-p), -100)
        be.unary(UnaryOp.LOG, p, t);
        be.clamp(t, LOG_FLOOR, Float.POSITIVE_INFINITY, t);              // max(ln p, -100)
        be.binary(BinaryOp.SUB, t, lnq, t);                              // ln p - ln(1-p)
        be.binary(BinaryOp.MUL, t, target, t);                           // y (ln p - ln(1-p))
        be.binary(BinaryOp.ADD, t, lnq, t);                              // y ln p + (1-y) ln(1-p)
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), -1f / p.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        int m = p.dim(0);
        Tensor g = ws.buffer("grad", m);
        Tensor t = ws.buffer("term", m);
        be.binary(BinaryOp.SUB, p, target, g);                           // p - y
        be.binary(BinaryOp.MUL, p, q, t);                                // p (1 - p)
        be.clamp(t, GRAD_EPS, Float.POSITIVE_INFINITY, t);               // max(p (1 - p), 1e-12)
        be.binary(BinaryOp.DIV, g, t, g);
        be.affine(g, 1f / g.size(), 0f, g);
        return g;
    }
}
