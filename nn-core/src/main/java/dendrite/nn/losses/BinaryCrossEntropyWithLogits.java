package dendrite.nn.losses;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;

/**
 * Binary cross-entropy on logits z (no sigmoid layer), PyTorch's {@code BCEWithLogitsLoss}, in the
 * form that never overflows:
 * <pre>
 *   L = mean [max(z, 0) - z y + ln(1 + e^-|z|)]
 *   dL/dz = (sigmoid(z) - y) / N
 * </pre>
 * (the naive {@code -y ln sigmoid(z) - ...} loses everything to rounding once |z| passes about 17).
 */
public final class BinaryCrossEntropyWithLogits implements Loss {
    /** The loss, as {@link Losses#binaryCrossEntropyWithLogits()} also gives it. */
    public BinaryCrossEntropyWithLogits() {
    }

    private final Workspace ws = new Workspace("bce_with_logits");
    private Tensor logits;
    private Tensor target;

    @Override
    public String name() {
        return "bce_with_logits";
    }

    @Override
    public Tensor forward(Tensor z, Tensor y) {
        ws.prepare(z);
        Backend be = ws.backend();
        int m = z.dim(0);
        logits = z;
        target = ws.targetLike(z, y);
        Tensor t = ws.buffer("term", m);
        Tensor r = ws.buffer("relu", m);
        be.unary(UnaryOp.ABS, z, t);
        be.affine(t, -1f, 0f, t);                              // -|z|
        be.activation(Activation.SOFTPLUS, 0f, t, t);          // ln(1 + e^-|z|)
        be.activation(Activation.RELU, 0f, z, r);              // max(z, 0)
        be.binary(BinaryOp.ADD, t, r, t);
        be.binary(BinaryOp.MUL, z, target, r);                 // z y
        be.binary(BinaryOp.SUB, t, r, t);
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), 1f / z.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", logits.dim(0));
        be.activation(Activation.SIGMOID, 0f, logits, g);
        be.binary(BinaryOp.SUB, g, target, g);
        be.affine(g, 1f / g.size(), 0f, g);
        return g;
    }
}
