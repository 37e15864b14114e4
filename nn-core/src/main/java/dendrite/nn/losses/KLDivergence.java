package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Kullback-Leibler divergence of a target distribution y from the model's, PyTorch's {@code KLDivLoss}:
 * the prediction x is log-probabilities (after a {@link dendrite.nn.layers.LogSoftmax} layer), the target
 * probabilities, or log-probabilities t with {@code logTarget} (then y = e^t):
 * <pre>
 *   L = (1/D) sum y (ln y - x)       with 0 ln 0 = 0, as PyTorch's xlogy
 *   dL/dx = -y / D
 * </pre>
 * D is the batch size (the prediction's first dimension) for {@link Reduction#BATCHMEAN}, this loss's
 * default and the true divergence per sample; the number of values for {@link Reduction#MEAN}, which
 * is PyTorch's default and which its documentation warns does not give the divergence (it also divides
 * by the classes); 1 for {@link Reduction#SUM}.
 *
 * <p>A target of 0 contributes nothing: {@code y ln y} is computed as {@code y ln max(y, 2^-126)}, which
 * is exactly 0 at y = 0 (where a plain {@code ln y} would give 0 (-inf) = NaN) and equal to {@code y ln y}
 * for every normal float. The target is any shape with as many values as the prediction, and should hold
 * probabilities (a negative one gives a finite value where PyTorch's gives NaN).
 */
public final class KLDivergence implements Loss {
    private final Reduction reduction;
    private final boolean logTarget;
    private final Workspace ws = new Workspace("kl_div");
    private Tensor weight;
    private float divisor;

    /** The divergence per sample ({@code 'batchmean'}) of probability targets. */
    public KLDivergence() {
        this(Reduction.BATCHMEAN, false);
    }

    /**
     * The divergence as PyTorch's {@code KLDivLoss(reduction=..., log_target=logTarget)}.
     *
     * @param reduction {@link Reduction#BATCHMEAN} (the divergence per sample), {@link Reduction#MEAN} (per
     *                  value) or {@link Reduction#SUM}
     * @param logTarget whether the target holds log-probabilities rather than probabilities
     * @throws IllegalArgumentException if the reduction is null
     */
    public KLDivergence(Reduction reduction, boolean logTarget) {
        this.reduction = Reduction.check(reduction, "kl_div", Reduction.BATCHMEAN, Reduction.MEAN, Reduction.SUM);
        this.logTarget = logTarget;
    }

    /**
     * What the sum is divided by.
     *
     * @return {@link Reduction#BATCHMEAN}, {@link Reduction#MEAN} or {@link Reduction#SUM}
     */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * Whether the target holds log-probabilities.
     *
     * @return PyTorch's {@code log_target}
     */
    public boolean logTarget() {
        return logTarget;
    }

    @Override
    public String name() {
        return "kl_div";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("reduction", reduction.label(), "log_target", logTarget);
    }

    @Override
    public Tensor forward(Tensor x, Tensor target) {
        ws.prepare(x);
        Backend be = ws.backend();
        int m = x.dim(0);
        Tensor y = ws.targetLike(x, target);
        Tensor t = ws.buffer("term", m);
        if (logTarget) {
            weight = ws.buffer("weight", m);
            be.unary(UnaryOp.EXP, y, weight);                    // e^t, the target's probabilities
            be.binary(BinaryOp.SUB, y, x, t);                    // t - x
        } else {
            weight = y;
            be.clamp(y, Float.MIN_NORMAL, Float.POSITIVE_INFINITY, t);
            be.unary(UnaryOp.LOG, t, t);                         // ln y, finite at y = 0
            be.binary(BinaryOp.SUB, t, x, t);                    // ln y - x: y ln y - y x would cancel
        }
        be.binary(BinaryOp.MUL, t, weight, t);                   // y (ln y - x): 0 where y is 0
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        divisor = switch (reduction) {
            case BATCHMEAN -> m;
            case MEAN -> x.size();
            case SUM -> 1;
        };
        be.affine(ws.value(), 1f / divisor, 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Tensor g = ws.buffer("grad", weight.dim(0));
        ws.backend().affine(weight, -1f / divisor, 0f, g);
        return g;
    }
}
