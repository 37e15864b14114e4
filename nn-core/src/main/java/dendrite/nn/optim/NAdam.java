package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016), as PyTorch's {@code torch.optim.NAdam} since 2.0: Adam's
 * moments {@code m} and {@code v}, a momentum coefficient that warms up,
 * {@code mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay))}, and a step that looks ahead by one:
 * {@code p -= lr (1 - mu_t) / (1 - P_t) g / d + lr mu_(t+1) / (1 - P') m / d}, with
 * {@code d = sqrt(v / (1 - beta2^t)) + eps}, {@code P_t = mu_1 ... mu_t} and
 * {@code P' = P_t mu_(t+1)}. Defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, momentum_decay 4e-3.
 * Weight decay is L2, added to the gradient first. State: {@code exp_avg} (m) and {@code exp_avg_sq} (v).
 *
 * <p>{@code P'} is the paper's, PyTorch 1.13's multi-tensor ({@code foreach}) step's and PyTorch 2.0's
 * (computed in double from the float {@code P_t}, as 2.0 does); 1.13's single-tensor step counted
 * {@code mu_t} twice there ({@code P_t mu_t mu_(t+1)}, fixed in pytorch/pytorch#92699). The two differ
 * only while {@code P_t} is not yet negligible, the first few dozen steps.
 *
 * <p>PyTorch keeps {@code P_t} as a float32 tensor ({@code mu_product}), rounded at every step. It is
 * a function of t alone, so it is not state here: it is recomputed from the parameter's step count
 * (in float, as PyTorch rounds it), and a checkpoint needs nothing more than Adam's. A resumed run
 * recomputes it from step 1 once, up to where it stops changing (with the default betas it is 0 in
 * float after 132 steps).
 *
 * <p>Written with the backend's element-wise operations, in PyTorch's order; the scalars are
 * computed in double, as PyTorch's Python floats are.
 */
public final class NAdam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double momentumDecay;
    /** Per parameter, the last {@code P_t} computed and its t: the next step continues from it. */
    private final Map<Parameter, MuProduct> muProducts = new IdentityHashMap<>();

    /** {@code P_t} after step {@code t}, in float. */
    private static final class MuProduct {
        long t;
        float value = 1f;
    }

    /**
     * NAdam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, momentum_decay 4e-3, no weight decay.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr}, 2e-3 by default there)
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public NAdam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8, 4e-3);
    }

    /**
     * NAdam with the given betas and eps, and PyTorch's momentum_decay, 4e-3.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the largest momentum coefficient, which {@code mu_t} warms up towards, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999
     * @param eps          the small positive value added to {@code sqrt(v / (1 - beta2^t))}, e.g. 1e-8
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1) or eps is not
     *                                  positive
     */
    public NAdam(double learningRate, double beta1, double beta2, double eps) {
        this(learningRate, beta1, beta2, eps, 4e-3);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate  the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1         the largest momentum coefficient, which {@code mu_t} warms up towards, in [0, 1), e.g. 0.9
     * @param beta2         the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999
     * @param eps           the small positive value added to {@code sqrt(v / (1 - beta2^t))}, e.g. 1e-8
     * @param momentumDecay how fast {@code mu_t} warms up from {@code beta1 / 2} to {@code beta1}, at least 0
     *                      (0: it stays at {@code beta1 / 2}), e.g. 4e-3 (half-way after about 4,200 steps)
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1), eps is not
     *                                  positive, or the momentum decay is negative or not finite
     */
    public NAdam(double learningRate, double beta1, double beta2, double eps, double momentumDecay) {
        super(learningRate, "exp_avg", "exp_avg_sq");
        requireDecayRate("beta1", beta1);
        requireDecayRate("beta2", beta2);
        requireEps(eps);
        if (!(momentumDecay >= 0) || Double.isInfinite(momentumDecay)) {
            throw new IllegalArgumentException("NAdam: momentum_decay must be at least 0 and finite, got "
                    + momentumDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.momentumDecay = momentumDecay;
    }

    @Override
    public String name() {
        return "nadam";
    }

    /** Its beta1 also sets the products of {@code mu_t} it keeps, which a cycled beta1 would have to redo. */
    @Override
    protected String whyNoScheduledMomentum() {
        return "NAdam's momentum warms up on a schedule of its own (mu_t, and the products of it it keeps): use Adam,"
                + " AdamW, Adamax or RAdam for a cycled beta1, or the one-cycle schedule of the rate alone,"
                + " Schedules.oneCycle(totalSteps, pctStart, divFactor, finalDivFactor)";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta1", beta1);
        c.put("beta2", beta2);
        c.put("eps", eps);
        c.put("momentum_decay", momentumDecay);
        return c;
    }

    /** {@code mu_t}, in PyTorch's order of operations. */
    private double mu(long t) {
        return beta1 * (1. - 0.5 * Math.pow(0.96, t * momentumDecay));
    }

    /**
     * {@code P_t = mu_1 ... mu_t} as PyTorch's float32 {@code mu_product} holds it after step t: each
     * product rounded to float, each {@code mu} rounded to float first (a Python float times a float32
     * tensor). Continues from the last value kept for {@code p}, or starts over from step 1.
     */
    float muProduct(Parameter p, long t) {
        MuProduct c = muProducts.get(p);
        if (c == null) {
            c = new MuProduct();
            muProducts.put(p, c);
        }
        if (c.t > t) {                   // a count set back (a checkpoint restored): start over
            c.t = 0;
            c.value = 1f;
        }
        while (c.t < t) {
            float next = c.value * (float) mu(c.t + 1);
            if (next == c.value) {
                // A fixed point (0, or the smallest subnormal once mu > 1/2): mu_t never decreases (Math.pow
                // is semi-monotonic, and so is rounding), so no later step changes it; a long resumed run
                // need not walk every step.
                c.t = t;
                break;
            }
            c.t++;
            c.value = next;
        }
        return c.value;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        Tensor[] s = scratch(be, p, 3);
        Tensor g = p.grad();
        if (wd != 0f) {                                                    // g + wd p
            be.affine(p.value(), wd, 0f, s[0]);
            be.binary(BinaryOp.ADD, g, s[0], s[0]);
            g = s[0];
        }
        double mu = mu(t);
        double muNext = mu(t + 1);
        float product = muProduct(p, t);
        double productNext = product * muNext;                             // P_(t+1) = P_t mu_(t+1), in double
        Tensor m = state[0];
        Tensor v = state[1];
        be.affine(m, (float) beta1, 0f, m);                                // m = b1 m + (1 - b1) g
        be.affine(g, (float) (1 - beta1), 0f, s[1]);
        be.binary(BinaryOp.ADD, m, s[1], m);
        be.affine(v, (float) beta2, 0f, v);                                // v = b2 v + (1 - b2) g g
        be.affine(g, (float) (1 - beta2), 0f, s[1]);
        be.binary(BinaryOp.MUL, s[1], g, s[1]);
        be.binary(BinaryOp.ADD, v, s[1], v);
        be.affine(v, (float) (1 / (1 - Math.pow(beta2, t))), 0f, s[1]);    // d = sqrt(v / c2) + eps
        be.unary(UnaryOp.SQRT, s[1], s[1]);
        be.affine(s[1], 1f, (float) eps, s[1]);
        double rate = lastLearningRate();                                  // lr in double, as PyTorch's
        be.affine(g, (float) (-rate * (1. - mu) / (1. - product)), 0f, s[2]);        // p += (-lr (1 - mu) /
        be.binary(BinaryOp.DIV, s[2], s[1], s[2]);                                   // (1 - P) g) / d
        be.binary(BinaryOp.ADD, p.value(), s[2], p.value());
        be.affine(m, (float) (-rate * muNext / (1. - productNext)), 0f, s[2]);       // p += (-lr mu_next /
        be.binary(BinaryOp.DIV, s[2], s[1], s[2]);                                   // (1 - P') m) / d
        be.binary(BinaryOp.ADD, p.value(), s[2], p.value());
    }
}
