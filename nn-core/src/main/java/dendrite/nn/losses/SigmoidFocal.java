package dendrite.nn.losses;

import dendrite.nn.layers.ViewCache;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Focal loss on logits z (RetinaNet's, torchvision's {@code ops.sigmoid_focal_loss}): binary
 * cross-entropy that weighs each value down by how well it is already predicted, so that the many easy
 * negatives of a detector (or any rare label) do not drown the few hard cases. With p = sigmoid(z), the
 * target y in [0, 1] and q = 1 - p_t the probability given to the wrong side:
 * <pre>
 *   q   = p (1 - y) + (1 - p) y                                (torchvision's 1 - p_t)
 *   ce  = (1 - y) max(z, 0) + y max(-z, 0) + ln(1 + e^-|z|)    (binary cross-entropy on logits)
 *   a_t = alpha y + (1 - alpha)(1 - y)                         (1 when alpha &lt; 0: no weighting)
 *   L   = mean [a_t ce q^gamma]
 *   dL/dz = a_t [(p - y) q^gamma + gamma ce q^(gamma - 1) (1 - 2y) p (1 - p)] / N
 * </pre>
 * Nothing overflows, and nothing cancels: {@code 1 - p} is sigmoid(-z), not a subtraction, and ce's
 * {@code max(z, 0) - z y} is the sum of two terms of one sign, so a confident prediction keeps its small
 * loss and gradient (a logit of 40 for a positive has q = ce = 4e-18, where {@code 1 - p} and
 * {@code 40 - 40 + 4e-18} round to 0 even in double). gamma = 0 and alpha &lt; 0 give binary
 * cross-entropy on logits.
 *
 * <p>The target has as many values as the logits (0/1 labels, or soft ones); or, for logits
 * {@code [m, C]} with C &gt; 1, one class index per row, which becomes a one-hot row (RetinaNet's use:
 * each class its own binary problem). The mean is over all N values ({@link Reduction#MEAN},
 * torchvision's {@code 'mean'}), or the sum ({@link Reduction#SUM}).
 */
public final class SigmoidFocal implements Loss {
    /** torchvision's default alpha, the weight of the positive targets. */
    public static final double DEFAULT_ALPHA = 0.25;
    /** torchvision's default gamma, how fast an easy case's weight falls. */
    public static final double DEFAULT_GAMMA = 2;

    private final float alpha;
    private final float gamma;
    private final Reduction reduction;
    private final Workspace ws = new Workspace("sigmoid_focal");
    private final ViewCache targetRows = new ViewCache();
    private Tensor logits;
    private Tensor target;
    private float scale;

    /** The loss with torchvision's defaults: alpha 0.25, gamma 2, the mean. */
    public SigmoidFocal() {
        this(DEFAULT_ALPHA, DEFAULT_GAMMA, Reduction.MEAN);
    }

    /**
     * The loss as torchvision's {@code sigmoid_focal_loss(alpha=alpha, gamma=gamma, reduction=...)}.
     *
     * @param alpha     the weight of the positive targets in [0, 1] (the negatives get 1 - alpha), or any
     *                  negative number for no weighting
     * @param gamma     the focusing exponent, finite and at least 0 (0: cross-entropy)
     * @param reduction {@link Reduction#MEAN} or {@link Reduction#SUM}
     * @throws IllegalArgumentException if alpha is above 1 or NaN, gamma is negative or not finite, or the
     *                                  reduction is another
     */
    public SigmoidFocal(double alpha, double gamma, Reduction reduction) {
        if (!(alpha <= 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("sigmoid_focal: alpha must be in [0, 1], or negative for no weighting,"
                    + " got " + alpha);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("sigmoid_focal: gamma must be finite and at least 0, got " + gamma);
        }
        this.alpha = (float) alpha;
        this.gamma = (float) gamma;
        this.reduction = Reduction.check(reduction, "sigmoid_focal", Reduction.MEAN, Reduction.SUM);
    }

    /**
     * The weight of the positive targets.
     *
     * @return alpha in [0, 1], or negative for no weighting
     */
    public float alpha() {
        return alpha;
    }

    /**
     * The focusing exponent.
     *
     * @return gamma, at least 0
     */
    public float gamma() {
        return gamma;
    }

    /**
     * How the terms are combined.
     *
     * @return {@link Reduction#MEAN} or {@link Reduction#SUM}
     */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String name() {
        return "sigmoid_focal";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("alpha", (double) alpha, "gamma", (double) gamma, "reduction", reduction.label());
    }

    @Override
    public Tensor forward(Tensor z, Tensor y) {
        ws.prepare(z);
        Backend be = ws.backend();
        int m = z.dim(0);
        int classes = z.rank() < 2 ? 1 : z.shape().last();
        int rows = z.shape().leading();
        logits = z;
        if (y.size() == rows && classes > 1) {                   // class indices: one-hot rows
            target = ws.buffer("target", m);
            be.oneHot(y, 1f, 0f, target.rank() == 2 ? target : targetRows.rows(target, rows, classes));
        } else {
            target = ws.targetLike(z, y);
        }
        Tensor p = ws.buffer("p", m);
        Tensor r = ws.buffer("one_minus_p", m);
        Tensor ce = ws.buffer("ce", m);
        Tensor q = ws.buffer("q", m);
        Tensor u = ws.buffer("scratch", m);
        Tensor v = ws.buffer("one_minus_y", m);
        be.affine(target, -1f, 1f, v);                           // 1 - y
        be.activation(Activation.SIGMOID, 0f, z, p);
        be.affine(z, -1f, 0f, r);
        be.activation(Activation.SIGMOID, 0f, r, r);             // 1 - p = sigmoid(-z), without cancelling
        // ce = max(z, 0) - z y + ln(1 + e^-|z|), with max(z, 0) - z y written as (1 - y) max(z, 0) + y max(-z, 0):
        // two terms of one sign, so a confident right answer keeps its ln(1 + e^-|z|) instead of 40 - 40 + 4e-18.
        be.unary(UnaryOp.ABS, z, ce);
        be.affine(ce, -1f, 0f, ce);
        be.activation(Activation.SOFTPLUS, 0f, ce, ce);          // ln(1 + e^-|z|)
        be.activation(Activation.RELU, 0f, z, u);
        be.binary(BinaryOp.MUL, u, v, u);
        be.binary(BinaryOp.ADD, ce, u, ce);                      // + (1 - y) max(z, 0)
        be.affine(z, -1f, 0f, u);
        be.activation(Activation.RELU, 0f, u, u);
        be.binary(BinaryOp.MUL, u, target, u);
        be.binary(BinaryOp.ADD, ce, u, ce);                      // + y max(-z, 0)
        be.binary(BinaryOp.MUL, p, v, q);                        // p (1 - y)
        be.binary(BinaryOp.MUL, r, target, u);
        be.binary(BinaryOp.ADD, q, u, q);                        // q = p (1 - y) + (1 - p) y
        Tensor t = ws.buffer("term", m);
        be.powScalar(q, gamma, t);                               // q^gamma (1 at gamma = 0, q = 0 included)
        be.binary(BinaryOp.MUL, t, ce, t);
        if (alpha >= 0) {
            be.affine(target, 2 * alpha - 1, 1 - alpha, u);     // a_t = alpha y + (1 - alpha)(1 - y)
            be.binary(BinaryOp.MUL, t, u, t);
        }
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        scale = reduction == Reduction.MEAN ? 1f / z.size() : 1f;
        be.affine(ws.value(), scale, 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        int m = logits.dim(0);
        Tensor p = ws.buffer("p", m);
        Tensor r = ws.buffer("one_minus_p", m);
        Tensor ce = ws.buffer("ce", m);
        Tensor q = ws.buffer("q", m);
        Tensor u = ws.buffer("scratch", m);
        Tensor v = ws.buffer("one_minus_y", m);
        Tensor g = ws.buffer("grad", m);
        be.binary(BinaryOp.MUL, p, v, g);
        be.binary(BinaryOp.MUL, r, target, u);
        be.binary(BinaryOp.SUB, g, u, g);                        // p - y as p (1 - y) - (1 - p) y: no cancelling
        be.powScalar(q, gamma, u);
        be.binary(BinaryOp.MUL, g, u, g);                        // (p - y) q^gamma
        if (gamma != 0) {                                        // at gamma = 0 the term is 0, and q^-1 may be inf
            Tensor h = ws.buffer("term", m);
            be.powScalar(q, gamma - 1, h);
            be.binary(BinaryOp.MUL, h, ce, h);
            be.binary(BinaryOp.MUL, h, p, h);
            be.binary(BinaryOp.MUL, h, r, h);                    // ce q^(gamma - 1) p (1 - p)
            be.affine(target, -2f * gamma, gamma, u);            // gamma (1 - 2y)
            be.binary(BinaryOp.MUL, h, u, h);
            be.binary(BinaryOp.ADD, g, h, g);
        }
        if (alpha >= 0) {
            be.affine(target, (2 * alpha - 1) * scale, (1 - alpha) * scale, u);   // a_t / N
            be.binary(BinaryOp.MUL, g, u, g);
        } else {
            be.affine(g, scale, 0f, g);
        }
        return g;
    }
}
