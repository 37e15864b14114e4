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
 *
 * <p>With a positive weight p per output (PyTorch's {@code pos_weight}), the positive targets count p
 * times, which trades precision for recall on a rare label (p = negatives / positives evens them):
 * <pre>
 *   L = mean [(1 - y) z + (1 + (p - 1) y) (ln(1 + e^-|z|) + max(-z, 0))]
 *   dL/dz = ((1 + (p - 1) y) sigmoid(z) - p y) / N
 * </pre>
 */
public final class BinaryCrossEntropyWithLogits implements Loss {
    /** The loss, as {@link Losses#binaryCrossEntropyWithLogits()} also gives it. */
    public BinaryCrossEntropyWithLogits() {
        this.posWeight = null;
    }

    /**
     * The loss with positive targets weighted, PyTorch's {@code BCEWithLogitsLoss(pos_weight=posWeight)}.
     *
     * @param posWeight one weight for every output, or one per output (the prediction's last axis);
     *        each finite and at least 0 (copied)
     * @throws IllegalArgumentException if {@code posWeight} is null or empty, or a weight is negative or not finite
     */
    public BinaryCrossEntropyWithLogits(float... posWeight) {
        if (posWeight == null || posWeight.length == 0) {
            throw new IllegalArgumentException("bce_with_logits: pos_weight needs one weight, or one per output");
        }
        for (int j = 0; j < posWeight.length; j++) {
            if (!(posWeight[j] >= 0) || !Float.isFinite(posWeight[j])) {
                throw new IllegalArgumentException("bce_with_logits: pos_weight[" + j + "] is " + posWeight[j]
                        + "; weights must be finite and at least 0");
            }
        }
        this.posWeight = posWeight.clone();
    }

    private final float[] posWeight;

    private final Workspace ws = new Workspace("bce_with_logits");
    private Tensor logits;
    private Tensor target;

    @Override
    public String name() {
        return "bce_with_logits";
    }

    @Override
    public java.util.Map<String, Object> config() {
        return posWeight == null ? java.util.Map.of() : java.util.Map.of("pos_weight", Losses.list(posWeight));
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
        if (posWeight != null) {
            return weightedForward(z, t, r);
        }
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

    /** PyTorch's form with l = 1 + (p - 1) y: {@code (1 - y) z + l (ln(1 + e^-|z|) + max(-z, 0))}. */
    private Tensor weightedForward(Tensor z, Tensor t, Tensor r) {
        Backend be = ws.backend();
        int outputs = z.rank() < 2 ? 1 : z.shape().last();
        if (posWeight.length != 1 && posWeight.length != outputs) {
            throw new IllegalArgumentException("bce_with_logits: " + posWeight.length + " positive weights for a"
                    + " prediction " + z.shape() + " of " + outputs + " outputs; give one, or one per output");
        }
        Tensor l = ws.buffer("log_weight", z.dim(0));
        be.binary(BinaryOp.MUL, target, ws.constant("pos_weight_minus_1", minusOne(posWeight)), l);
        be.affine(l, 1f, 1f, l);                               // 1 + (p - 1) y
        be.unary(UnaryOp.ABS, z, t);
        be.affine(t, -1f, 0f, t);
        be.activation(Activation.SOFTPLUS, 0f, t, t);          // ln(1 + e^-|z|)
        be.affine(z, -1f, 0f, r);
        be.activation(Activation.RELU, 0f, r, r);              // max(-z, 0)
        be.binary(BinaryOp.ADD, t, r, t);
        be.binary(BinaryOp.MUL, t, l, t);
        be.affine(target, -1f, 1f, r);
        be.binary(BinaryOp.MUL, r, z, r);                      // (1 - y) z
        be.binary(BinaryOp.ADD, t, r, t);
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), 1f / z.size(), 0f, ws.value());
        return ws.value();
    }

    private static float[] minusOne(float[] w) {
        float[] out = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            out[j] = w[j] - 1f;
        }
        return out;
    }

    /**
     * The positive weights.
     *
     * @return a copy of pos_weight, or {@code null} when positives weigh 1
     */
    public float[] posWeight() {
        return posWeight == null ? null : posWeight.clone();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", logits.dim(0));
        be.activation(Activation.SIGMOID, 0f, logits, g);
        if (posWeight != null) {
            Tensor py = ws.buffer("relu", logits.dim(0));
            be.binary(BinaryOp.MUL, g, ws.buffer("log_weight", logits.dim(0)), g);
            be.binary(BinaryOp.MUL, target, ws.constant("pos_weight", posWeight), py);
            be.binary(BinaryOp.SUB, g, py, g);
            be.affine(g, 1f / g.size(), 0f, g);
            return g;
        }
        be.binary(BinaryOp.SUB, g, target, g);
        be.affine(g, 1f / g.size(), 0f, g);
        return g;
    }
}
