package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Adamax (Kingma and Ba 2015, section 7.1): Adam with the infinity norm in place of the second
 * moment, as PyTorch's {@code torch.optim.Adamax}: {@code m = beta1 m + (1 - beta1) g},
 * {@code u = max(beta2 u, |g| + eps)}, {@code p -= lr / (1 - beta1^t) m / u} (defaults lr 2e-3, betas
 * (0.9, 0.999), eps 1e-8). Weight decay is L2, added to the gradient first. State: {@code exp_avg} (m)
 * and {@code exp_inf} (u).
 *
 * <p>Written with the backend's element-wise operations, in PyTorch's order; the scalars (the bias
 * correction, the step size) are computed in double, as PyTorch's Python floats are.
 */
public final class Adamax extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;

    /**
     * Adamax with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr}, 2e-3 by default there)
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public Adamax(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the decay rate of the gradient's running mean m, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the running infinity norm u, in [0, 1), e.g. 0.999
     * @param eps          the small positive value added to {@code |g|} before the maximum, e.g. 1e-8 (it keeps u,
     *                     the denominator, from 0 where the gradient is 0)
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1) or eps is not
     *                                  positive
     */
    public Adamax(double learningRate, double beta1, double beta2, double eps) {
        super(learningRate, "exp_avg", "exp_inf");
        requireDecayRate("beta1", beta1);
        requireDecayRate("beta2", beta2);
        requireEps(eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "adamax";
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

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        double beta1 = momentum(this.beta1);
        Tensor[] s = scratch(be, p, 2);
        Tensor g = p.grad();
        if (wd != 0f) {                                                    // g + wd p
            be.affine(p.value(), wd, 0f, s[0]);
            be.binary(BinaryOp.ADD, g, s[0], s[0]);
            g = s[0];
        }
        Tensor m = state[0];
        Tensor u = state[1];
        be.affine(m, (float) beta1, 0f, m);                                // m = b1 m + (1 - b1) g
        be.affine(g, (float) (1 - beta1), 0f, s[1]);
        be.binary(BinaryOp.ADD, m, s[1], m);
        be.affine(u, (float) beta2, 0f, u);                                // u = max(b2 u, |g| + eps)
        be.unary(UnaryOp.ABS, g, s[1]);
        be.affine(s[1], 1f, (float) eps, s[1]);
        be.binary(BinaryOp.MAX, u, s[1], u);
        // The rate in double (lr is it rounded to float), as PyTorch's clr = lr / (1 - beta1^t).
        double clr = lastLearningRate() / (1 - Math.pow(beta1, t));
        be.affine(m, (float) -clr, 0f, s[1]);                              // p += (-clr m) / u: addcdiv's order
        be.binary(BinaryOp.DIV, s[1], u, s[1]);
        be.binary(BinaryOp.ADD, p.value(), s[1], p.value());
    }
}
