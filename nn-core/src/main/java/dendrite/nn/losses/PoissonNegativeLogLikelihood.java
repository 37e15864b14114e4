package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Negative log-likelihood of counts y under a Poisson distribution of rate λ predicted by the model,
 * PyTorch's {@code PoissonNLLLoss}, for count regression (events per interval, clicks, cells). By
 * default the prediction is the log of the rate, x = ln λ, so a plain linear output layer gives a
 * positive rate:
 * <pre>
 *   log input:   L = mean [e^x - y x]                dL/dx = (e^x - y) / N
 *   rate input:  L = mean [x - y ln(x + eps)]        dL/dx = (1 - y / (x + eps)) / N
 * </pre>
 * (eps, 1e-8 by default, keeps the logarithm finite at a rate of 0.) Both leave out the term
 * {@code ln y!}, which does not depend on the prediction; with {@code full}, PyTorch's Stirling
 * approximation of it is added for the targets above 1 (for y of 0 or 1, ln y! is 0):
 * {@code y ln y - y + ln(2 pi y) / 2}. It changes the value, not the gradient.
 *
 * <p>The mean is over all N values ({@link Reduction#MEAN}), or the sum ({@link Reduction#SUM}). The
 * target is any shape with as many values as the prediction.
 */
public final class PoissonNegativeLogLikelihood implements Loss {
    /** PyTorch's default {@code eps}. */
    public static final double DEFAULT_EPS = 1e-8;

    private static final float HALF_LN_2_PI = (float) (0.5 * Math.log(2 * Math.PI));

    private final boolean logInput;
    private final boolean full;
    private final float eps;
    private final Reduction reduction;
    private final Workspace ws = new Workspace("poisson_nll");
    private Tensor prediction;
    private Tensor target;
    private Tensor rate;

    /** The loss as PyTorch's default {@code PoissonNLLLoss()}: log-rate input, no Stirling term, the mean. */
    public PoissonNegativeLogLikelihood() {
        this(true, false, DEFAULT_EPS, Reduction.MEAN);
    }

    /**
     * The loss as PyTorch's {@code PoissonNLLLoss(log_input=logInput, full=full, eps=eps, reduction=...)}.
     *
     * @param logInput  whether the prediction is the log of the rate (else the rate itself)
     * @param full      whether to add the Stirling approximation of {@code ln y!}
     * @param eps       added to a rate before its logarithm when {@code logInput} is false; finite, at least 0
     * @param reduction {@link Reduction#MEAN} or {@link Reduction#SUM}
     * @throws IllegalArgumentException if {@code eps} is negative or not finite, or the reduction is another
     */
    public PoissonNegativeLogLikelihood(boolean logInput, boolean full, double eps, Reduction reduction) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("poisson_nll: eps must be finite and at least 0, got " + eps);
        }
        this.logInput = logInput;
        this.full = full;
        this.eps = (float) eps;
        this.reduction = Reduction.check(reduction, "poisson_nll", Reduction.MEAN, Reduction.SUM);
    }

    /**
     * Whether the prediction is the log of the rate.
     *
     * @return PyTorch's {@code log_input}
     */
    public boolean logInput() {
        return logInput;
    }

    /**
     * Whether the value includes the Stirling approximation of {@code ln y!}.
     *
     * @return PyTorch's {@code full}
     */
    public boolean full() {
        return full;
    }

    /**
     * What is added to a rate before its logarithm (without log input).
     *
     * @return PyTorch's {@code eps}, as a float
     */
    public float eps() {
        return eps;
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
        return "poisson_nll";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("log_input", logInput, "full", full, "eps", (double) eps, "reduction", reduction.label());
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        ws.prepare(x);
        Backend be = ws.backend();
        int m = x.dim(0);
        prediction = x;
        target = ws.targetLike(x, y);
        rate = ws.buffer("rate", m);
        Tensor t = ws.buffer("term", m);
        if (logInput) {
            be.unary(UnaryOp.EXP, x, rate);                      // λ = e^x
            be.binary(BinaryOp.MUL, target, x, t);
            be.binary(BinaryOp.SUB, rate, t, t);                 // e^x - y x
        } else {
            be.affine(x, 1f, eps, rate);                         // x + eps
            be.unary(UnaryOp.LOG, rate, t);
            be.binary(BinaryOp.MUL, t, target, t);
            be.binary(BinaryOp.SUB, x, t, t);                    // x - y ln(x + eps)
        }
        if (full) {
            addStirling(t, m);
        }
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        if (reduction == Reduction.MEAN) {
            be.affine(ws.value(), 1f / x.size(), 0f, ws.value());
        }
        return ws.value();
    }

    /** {@code t += y ln y - y + ln(2 pi y) / 2} where y > 1, from y clamped to at least 1 (finite logarithms). */
    private void addStirling(Tensor t, int m) {
        Backend be = ws.backend();
        Tensor s = ws.buffer("stirling", m);
        Tensor l = ws.buffer("log_target", m);
        Tensor u = ws.buffer("scratch", m);
        be.clamp(target, 1f, Float.POSITIVE_INFINITY, s);       // y, at least 1
        be.unary(UnaryOp.LOG, s, l);                             // ln y
        be.affine(l, 1f, -1f, u);
        be.binary(BinaryOp.MUL, s, u, s);                        // y (ln y - 1)
        be.affine(l, 0.5f, HALF_LN_2_PI, u);                     // ln(2 pi y) / 2
        be.binary(BinaryOp.ADD, s, u, s);
        be.affine(target, 1f, -1f, u);                           // 1 where y > 1, else 0: relu(sign(y - 1))
        be.unary(UnaryOp.SIGN, u, u);
        be.activation(Activation.RELU, 0f, u, u);
        be.binary(BinaryOp.MUL, s, u, s);
        be.binary(BinaryOp.ADD, t, s, t);
    }

    @Override
    public Tensor backward() {
        Backend be = ws.backend();
        Tensor g = ws.buffer("grad", prediction.dim(0));
        float scale = reduction == Reduction.MEAN ? 1f / prediction.size() : 1f;
        if (logInput) {
            be.binary(BinaryOp.SUB, rate, target, g);            // e^x - y
            be.affine(g, scale, 0f, g);
        } else {
            be.binary(BinaryOp.DIV, target, rate, g);            // y / (x + eps)
            be.affine(g, -scale, scale, g);                      // (1 - y / (x + eps)) scale
        }
        return g;
    }
}
