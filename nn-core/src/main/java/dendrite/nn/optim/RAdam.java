package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * RAdam, rectified Adam (Liu et al. 2020), as PyTorch's {@code torch.optim.RAdam}: Adam's moments
 * {@code m} and {@code v}, and a step that depends on how many gradients v effectively averages,
 * {@code rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)} with {@code rho_inf = 2 / (1 - beta2) - 1}.
 * While {@code rho_t <= 5} v is too young to trust and the step is momentum alone,
 * {@code p -= lr m / (1 - beta1^t)}; after that it is Adam's step times the variance rectification
 * {@code r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))}:
 * {@code p -= lr r m / (1 - beta1^t) sqrt(1 - beta2^t) / (sqrt(v) + eps)}. With the default beta2
 * 0.999 the first five steps are momentum alone. Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8.
 * Weight decay is L2, added to the gradient first. State: {@code exp_avg} (m) and {@code exp_avg_sq} (v).
 *
 * <p>Written with the backend's element-wise operations, in PyTorch's order; the scalars ({@code rho_t},
 * r, the bias corrections) are computed in double, as PyTorch's Python floats are, so the step
 * switches where PyTorch's does.
 */
public final class RAdam extends Optimizer {
    /** The length of the approximated moving average above which v is trusted (the paper's and PyTorch's). */
    private static final double RECTIFY_ABOVE = 5;

    private final double beta1;
    private final double beta2;
    private final double eps;

    /**
     * RAdam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr}, 1e-3 by default there)
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public RAdam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the decay rate of the gradient's running mean m, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999; up to 2/3
     *                     {@code rho_inf} is at most 5, and every step is momentum alone
     * @param eps          the small positive value added to {@code sqrt(v)} in the denominator, e.g. 1e-8
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1) or eps is not
     *                                  positive
     */
    public RAdam(double learningRate, double beta1, double beta2, double eps) {
        super(learningRate, "exp_avg", "exp_avg_sq");
        requireDecayRate("beta1", beta1);
        requireDecayRate("beta2", beta2);
        requireEps(eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "radam";
    }

    /** Null: a schedule may set beta1 (PyTorch's OneCycleLR cycles {@code betas[0]}). */
    @Override
    protected String whyNoScheduledMomentum() {
        return null;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta1", beta1);
        c.put("beta2", beta2);
        c.put("eps", eps);
        return c;
    }

    /**
     * Whether step {@code t} takes the rectified, adaptive step ({@code rho_t > 5}) rather than
     * momentum alone; for tests, which must see both.
     */
    boolean rectifies(long t) {
        return rhoT(t) > RECTIFY_ABOVE;
    }

    /** {@code rho_t}, in PyTorch's order of operations. */
    private double rhoT(long t) {
        double rhoInf = 2 / (1 - beta2) - 1;
        return rhoInf - 2 * t * Math.pow(beta2, t) / (1 - Math.pow(beta2, t));
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        double beta1 = momentum(this.beta1);
        Tensor[] s = scratch(be, p, 3);
        Tensor g = p.grad();
        if (wd != 0f) {                                                    // g + wd p
            be.affine(p.value(), wd, 0f, s[0]);
            be.binary(BinaryOp.ADD, g, s[0], s[0]);
            g = s[0];
        }
        Tensor m = state[0];
        Tensor v = state[1];
        be.affine(m, (float) beta1, 0f, m);                                // m = b1 m + (1 - b1) g
        be.affine(g, (float) (1 - beta1), 0f, s[1]);
        be.binary(BinaryOp.ADD, m, s[1], m);
        be.affine(v, (float) beta2, 0f, v);                                // v = b2 v + (1 - b2) g g
        be.affine(g, (float) (1 - beta2), 0f, s[1]);
        be.binary(BinaryOp.MUL, s[1], g, s[1]);
        be.binary(BinaryOp.ADD, v, s[1], v);
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double rate = lastLearningRate();                                  // lr in double, as PyTorch's
        be.affine(m, (float) (1 / c1), 0f, s[2]);                          // m^ = m / c1
        be.affine(s[2], (float) rate, 0f, s[2]);                           // m^ lr
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoT(t);
        if (rhoT > RECTIFY_ABOVE) {
            double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            be.unary(UnaryOp.SQRT, v, s[1]);                               // sqrt(c2) / (sqrt(v) + eps), as
            be.affine(s[1], 1f, (float) eps, s[1]);                        // PyTorch divides a number by a
            be.unary(UnaryOp.RECIPROCAL, s[1], s[1]);                      // tensor: 1 / it, times the number
            be.affine(s[1], (float) Math.sqrt(c2), 0f, s[1]);
            be.binary(BinaryOp.MUL, s[2], s[1], s[2]);                     // p -= m^ lr adaptive r
            be.affine(s[2], (float) r, 0f, s[2]);
        }                                                                  // else p -= m^ lr
        be.binary(BinaryOp.SUB, p.value(), s[2], p.value());
    }
}
