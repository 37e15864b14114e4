package dendrite.nn.losses;

import dendrite.nn.layers.ViewCache;
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
 *
 * <p>With class weights w (PyTorch's {@code CrossEntropyLoss(weight=w)}, Keras's {@code class_weight}),
 * each target value y_ij counts w_j times, so a rare class can weigh as much as a common one:
 * <pre>
 *   a_ij = w_j y_ij
 *   L = -(1/D) sum_i sum_j a_ij ln softmax(z_i)_j
 *   dL/dz_i = (softmax(z_i) sum_j a_ij - a_i) / D
 * </pre>
 * where D, as in PyTorch, is the sum of the weights of the samples' classes for class-index targets
 * (so the loss stays a weighted mean) and the number of rows for probability targets.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final float smoothing;
    private final float[] classWeights;
    private final Workspace ws = new Workspace("softmax_cross_entropy");
    /** Sequence logits' {@code [batch, time, classes]} buffers seen as rows, the same view each step. */
    private final ViewCache targetRows = new ViewCache();
    private final ViewCache chosenRows = new ViewCache();
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
        this(null, labelSmoothing);
    }

    /**
     * Cross-entropy with a weight per class, as PyTorch's
     * {@code CrossEntropyLoss(weight=classWeights, label_smoothing=s)}.
     *
     * @param classWeights one weight per class, each finite and at least 0 (copied); {@code null} for none.
     *        The model's outputs must then have this many classes.
     * @param labelSmoothing s in [0, 1): the share of each target spread evenly over the C classes
     * @throws IllegalArgumentException if a weight is negative or not finite, there are none, or
     *         {@code labelSmoothing} is outside [0, 1)
     */
    public SoftmaxCrossEntropy(float[] classWeights, double labelSmoothing) {
        if (classWeights != null) {
            if (classWeights.length == 0) {
                throw new IllegalArgumentException(
                        "softmax_cross_entropy: class weights are empty; give one per class");
            }
            for (int j = 0; j < classWeights.length; j++) {
                if (!(classWeights[j] >= 0) || !Float.isFinite(classWeights[j])) {
                    throw new IllegalArgumentException("softmax_cross_entropy: class " + j + "'s weight is "
                            + classWeights[j] + "; weights must be finite and at least 0");
                }
            }
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
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

    /**
     * The weight of each class.
     *
     * @return a copy of the weights, or {@code null} when every class weighs 1
     */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public java.util.Map<String, Object> config() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        if (classWeights != null) {
            c.put("weight", Losses.list(classWeights));
        }
        c.put("label_smoothing", (double) smoothing);
        return java.util.Collections.unmodifiableMap(c);
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
                    y.rank() == 2 ? y : targetRows.rows(y, rows, classes));
        } else {
            be.affine(ws.targetLike(z, target), 1f - smoothing, smoothing / classes, y);
        }
        Tensor t = ws.buffer("term", m);
        be.logSoftmax(z, t);
        if (classWeights != null) {
            return weightedForward(z, target, t);
        }
        be.binary(BinaryOp.MUL, t, y, t);                      // y ln softmax(z)
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), -1f / rows, 0f, ws.value());
        return ws.value();
    }

    /** The weighted loss, given t = ln softmax(z): y becomes a = w y, and D the weights' total. */
    private Tensor weightedForward(Tensor z, Tensor target, Tensor t) {
        Backend be = ws.backend();
        int classes = z.shape().last();
        if (classes != classWeights.length) {
            throw new IllegalArgumentException("softmax_cross_entropy: " + classWeights.length + " class weights for"
                    + " logits " + z.shape() + " of " + classes + " classes");
        }
        int m = z.dim(0);
        int rows = z.shape().leading();
        Tensor w = ws.constant("class_weights", classWeights);
        be.binary(BinaryOp.MUL, y, w, y);                      // a = w y, one weight per column
        be.binary(BinaryOp.MUL, t, y, t);
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        Tensor d = ws.scalar("denominator");
        if (target.size() == rows && classes > 1) {            // class indices: D = sum_i w_(y_i)
            Tensor chosen = ws.buffer("chosen", m);
            be.oneHot(target, 1f, 0f, chosen.rank() == 2 ? chosen : chosenRows.rows(chosen, rows, classes));
            be.binary(BinaryOp.MUL, chosen, w, chosen);
            be.reduceAll(ReduceOp.SUM, chosen, d);
        } else {
            be.fill(d, rows);
        }
        be.binary(BinaryOp.DIV, ws.value(), d, ws.value());
        be.affine(ws.value(), -1f, 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", logits.dim(0));
        be.softmax(logits, g);
        if (classWeights != null) {
            Tensor total = ws.rowTotals("row_weight", logits.dim(0));
            be.reduce(ReduceOp.SUM, y, -1, total);            // sum_j a_ij
            be.binary(BinaryOp.MUL, g, total, g);
            be.binary(BinaryOp.SUB, g, y, g);
            be.binary(BinaryOp.DIV, g, ws.scalar("denominator"), g);
            return g;
        }
        be.binary(BinaryOp.SUB, g, y, g);                      // softmax(z) - y
        be.affine(g, 1f / logits.shape().leading(), 0f, g);
        return g;
    }
}
