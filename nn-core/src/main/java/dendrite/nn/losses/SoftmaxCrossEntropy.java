package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;

/**
 * Cross-entropy of a softmax over logits z {@code [m, C]}, fused with the softmax (PyTorch's
 * {@code CrossEntropyLoss}): the model ends in a Dense layer, not a Softmax layer.
 * <pre>
 *   L = -(1/m) sum_i sum_j y_ij ln softmax(z_i)_j      (ln softmax computed stably)
 *   dL/dz = (softmax(z) - y) / m
 * </pre>
 * The target is either class indices ({@code [m]} or {@code [m, 1]}, as floats), turned into one-hot
 * rows with {@link Backend#oneHot}, or one-hot (or any probability) rows {@code [m, C]}. With label
 * smoothing s, y becomes {@code (1 - s) y + s / C}.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final float smoothing;
    private final Workspace ws = new Workspace("softmax_cross_entropy");
    private Tensor logits;
    private Tensor y;

    /** Cross-entropy without label smoothing, as PyTorch's default {@code CrossEntropyLoss()}. */
    public SoftmaxCrossEntropy() {
        this(0.0);
    }

    /**
     * Cross-entropy with label smoothing, as PyTorch's {@code CrossEntropyLoss(label_smoothing=s)}.
     *
     * @param labelSmoothing s in [0, 1): the share of each target spread evenly over the C classes
     * @throws IllegalArgumentException if {@code labelSmoothing} is outside [0, 1)
     */
    public SoftmaxCrossEntropy(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("softmax_cross_entropy: label smoothing must be in [0, 1), got "
                    + labelSmoothing);
        }
        this.smoothing = (float) labelSmoothing;
    }

    /**
     * The label smoothing.
     *
     * @return s, in [0, 1); 0 for none
     */
    public float labelSmoothing() {
        return smoothing;
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public Tensor forward(Tensor z, Tensor target) {
        ws.prepare(z);
        Backend be = ws.backend();
        int m = z.dim(0);
        int classes = z.shape().last();
        int rows = z.shape().leading();
        logits = z;
        y = ws.buffer("target", m);
        if (target.size() == rows && classes > 1) {            // class indices
            be.oneHot(target, 1f - smoothing + smoothing / classes, smoothing / classes,
                    y.rank() == 2 ? y : y.reshape(rows, classes));
        } else {
            be.affine(ws.targetLike(z, target), 1f - smoothing, smoothing / classes, y);
        }
        Tensor t = ws.buffer("term", m);
        be.logSoftmax(z, t);
        be.binary(BinaryOp.MUL, t, y, t);                      // y ln softmax(z)
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), -1f / rows, 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", logits.dim(0));
        be.softmax(logits, g);
        be.binary(BinaryOp.SUB, g, y, g);                      // softmax(z) - y
        be.affine(g, 1f / logits.shape().leading(), 0f, g);
        return g;
    }
}
