package dendrite.nn.losses;

import dendrite.nn.layers.ViewCache;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Negative log-likelihood of class indices under log-probabilities x {@code [m, C]} (or
 * {@code [m, T, C]}, classes along the last axis), PyTorch's {@code NLLLoss}: the loss after a
 * {@link dendrite.nn.layers.LogSoftmax} layer, which together are softmax cross-entropy on the logits.
 * With a weight w per class (1 without), the targets' labels y_i, and a_i = w_(y_i) (0 for a row whose
 * label is the ignore index):
 * <pre>
 *   L = -(1/D) sum_i a_i x_(i, y_i)       D = sum_i a_i (mean, PyTorch's weighted mean), or 1 (sum)
 *   dL/dx_(i, j) = -a_i [j = y_i] / D
 * </pre>
 * The target holds one class index per row, as floats ({@code [m]}, {@code [m, 1]} or {@code [m, T]});
 * PyTorch's ignore index, -100 unless given, marks rows (padding, unlabelled steps) that count for
 * nothing, neither in the sum nor in D. A batch whose every row is ignored has the loss 0/0 = NaN, as
 * PyTorch's, and a zero gradient. A label outside [0, C) that is not the ignore index throws on heap
 * backends and counts as ignored on devices that cannot report errors (see {@code Backend.oneHot}).
 *
 * <p>The chosen entries are picked by a one-hot mask, so that it runs on every backend's existing
 * kernels (no gather kernel): {@code a = w * oneHot(y)} scaled by whether the row counts.
 */
public final class NegativeLogLikelihood implements Loss {
    /** PyTorch's default {@code ignore_index}: no class has it. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final float[] classWeights;
    private final int ignoreIndex;
    private final Reduction reduction;
    private final Workspace ws = new Workspace("nll");
    private final ViewCache targetRows = new ViewCache();
    private final ViewCache keepRows = new ViewCache();
    private final ViewCache labelRows = new ViewCache();
    private final ViewCache chosenRows = new ViewCache();
    private Tensor chosen;

    /** The loss as PyTorch's default {@code NLLLoss()}: no class weights, ignore index -100, the mean. */
    public NegativeLogLikelihood() {
        this(null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * The loss as PyTorch's {@code NLLLoss(weight=classWeights, ignore_index=ignoreIndex, reduction=...)}.
     *
     * @param classWeights one weight per class, each finite and at least 0 (copied); {@code null} for all 1.
     *                     The log-probabilities must then have this many classes.
     * @param ignoreIndex  the label of rows that do not count (PyTorch's default is -100, which no class has)
     * @param reduction    {@link Reduction#MEAN} (over the counted rows' weights) or {@link Reduction#SUM}
     * @throws IllegalArgumentException if a weight is negative or not finite, there are none, or the reduction
     *                                  is another
     */
    public NegativeLogLikelihood(float[] classWeights, int ignoreIndex, Reduction reduction) {
        if (classWeights != null) {
            if (classWeights.length == 0) {
                throw new IllegalArgumentException("nll: class weights are empty; give one per class, or null");
            }
            for (int j = 0; j < classWeights.length; j++) {
                if (!(classWeights[j] >= 0) || !Float.isFinite(classWeights[j])) {
                    throw new IllegalArgumentException("nll: class " + j + "'s weight is " + classWeights[j]
                            + "; weights must be finite and at least 0");
                }
            }
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.ignoreIndex = ignoreIndex;
        this.reduction = Reduction.check(reduction, "nll", Reduction.MEAN, Reduction.SUM);
    }

    /**
     * The weight of each class.
     *
     * @return a copy of the weights, or {@code null} when every class weighs 1
     */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /**
     * The label of the rows that do not count.
     *
     * @return PyTorch's {@code ignore_index}
     */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * How the rows' terms are combined.
     *
     * @return {@link Reduction#MEAN} or {@link Reduction#SUM}
     */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String name() {
        return "nll";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (classWeights != null) {
            c.put("weight", Losses.list(classWeights));
        }
        c.put("ignore_index", ignoreIndex);
        c.put("reduction", reduction.label());
        return java.util.Collections.unmodifiableMap(c);
    }

    @Override
    public Tensor forward(Tensor x, Tensor target) {
        ws.prepare(x);
        if (x.rank() < 2) {
            throw new IllegalArgumentException("nll: log-probabilities " + x.shape() + " need a batch and a class"
                    + " axis, [m, classes]");
        }
        Backend be = ws.backend();
        int m = x.dim(0);
        int classes = x.shape().last();
        int rows = x.shape().leading();
        if (target.size() != rows) {
            throw new IllegalArgumentException("nll: target " + target.shape() + " must hold one class index per row"
                    + " of the log-probabilities " + x.shape() + " (" + rows + "), not " + target.size() + " values");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException("nll: " + classWeights.length + " class weights for log-probabilities "
                    + x.shape() + " of " + classes + " classes");
        }
        Tensor labels = targetRows.rows(target, rows, 1);
        Tensor keep = keepRows.rows(ws.rowTotals("keep", m), rows, 1);
        Tensor safe = labelRows.rows(ws.rowTotals("label", m), rows, 1);
        chosen = ws.buffer("chosen", m);
        // keep = min(|y - ignore|, 1): 1 for a row that counts, 0 for the ignore index (labels are whole).
        be.affine(labels, 1f, -(float) ignoreIndex, keep);
        be.unary(UnaryOp.ABS, keep, keep);
        be.clamp(keep, 0f, 1f, keep);
        // The ignored rows' labels become 0, a class every model has, so oneHot takes them; keep zeroes them.
        be.binary(BinaryOp.MUL, labels, keep, safe);
        be.oneHot(safe, 1f, 0f, chosenRows.rows(chosen, rows, classes));
        be.binary(BinaryOp.MUL, chosen, keep, chosen);          // a row per counted sample, one 1 at its label
        if (classWeights != null) {
            be.binary(BinaryOp.MUL, chosen, ws.constant("class_weights", classWeights), chosen);   // a
        }
        Tensor t = ws.buffer("term", m);
        be.binary(BinaryOp.MUL, x, chosen, t);
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        if (reduction == Reduction.MEAN) {
            Tensor d = ws.scalar("denominator");
            be.reduceAll(ReduceOp.SUM, chosen, d);               // D, the counted rows' weights
            be.binary(BinaryOp.DIV, ws.value(), d, ws.value());
        }
        be.affine(ws.value(), -1f, 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", chosen.dim(0));
        if (reduction == Reduction.MEAN) {
            // D at least the smallest normal float: where D is 0, so is every a, and the gradient is 0, as
            // PyTorch's, rather than 0/0.
            Tensor d = ws.scalar("gradient_denominator");
            be.clamp(ws.scalar("denominator"), Float.MIN_NORMAL, Float.POSITIVE_INFINITY, d);
            be.binary(BinaryOp.DIV, chosen, d, g);
            be.affine(g, -1f, 0f, g);
        } else {
            be.affine(chosen, -1f, 0f, g);
        }
        return g;
    }
}
