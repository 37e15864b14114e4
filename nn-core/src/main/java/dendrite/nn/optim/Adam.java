package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with bias correction; weight decay here is L2 (added to the gradient),
 * as in PyTorch's {@code Adam}. For decoupled weight decay use {@link AdamW}.
 * State: {@code exp_avg} (m) and {@code exp_avg_sq} (v), and {@code max_exp_avg_sq} with
 * {@code amsgrad} (Reddi et al. 2018: the denominator uses the largest v so far, so the step never
 * grows back).
 *
 * <p>The plain form runs the backend's fused update; amsgrad is written with the backend's
 * element-wise operations, in PyTorch's order.
 */
public class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final boolean amsgrad;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no amsgrad, no weight decay.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with the given betas and eps, without amsgrad (PyTorch's default).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the decay rate of the gradient's running mean m, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999
     * @param eps          the small positive value added to {@code sqrt(v)} in the denominator, e.g. 1e-8
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1) or eps is not
     *                                  positive
     */
    public Adam(double learningRate, double beta1, double beta2, double eps) {
        this(learningRate, beta1, beta2, eps, false);
    }

    /**
     * PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the decay rate of the gradient's running mean m, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999
     * @param eps          the small positive value added to {@code sqrt(v)} in the denominator, e.g. 1e-8
     * @param amsgrad      whether to divide by the largest v so far (adds the {@code max_exp_avg_sq} slot)
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1) or eps is not
     *                                  positive
     */
    public Adam(double learningRate, double beta1, double beta2, double eps, boolean amsgrad) {
        super(learningRate, amsgrad ? new String[] {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
                : new String[] {"exp_avg", "exp_avg_sq"});
        requireDecayRate("beta1", beta1);
        requireDecayRate("beta2", beta2);
        requireEps(eps);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.amsgrad = amsgrad;
    }

    @Override
    public String name() {
        return "adam";
    }

    /**
     * Whether weight decay is decoupled from the gradient (AdamW).
     *
     * @return {@code false} for Adam (L2 added to the gradient), {@code true} in {@link AdamW}
     */
    protected boolean decoupled() {
        return false;
    }

    /** Null: a schedule may set beta1 (PyTorch's OneCycleLR cycles {@code betas[0]}). */
    @Override
    protected String whyNoScheduledMomentum() {
        return null;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta1", (double) beta1);
        c.put("beta2", (double) beta2);
        c.put("eps", (double) eps);
        c.put("amsgrad", amsgrad);
        return c;
    }

    @Override
    protected final void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        float beta1 = (float) momentum(this.beta1);
        if (!amsgrad) {
            be.adamUpdate(p.value(), p.grad(), state[0], state[1], lr, beta1, beta2, eps, wd, decoupled(), t);
            return;
        }
        Tensor[] s = scratch(be, p, 2);
        Tensor g = p.grad();
        if (wd != 0f && decoupled()) {                                     // p *= 1 - lr wd
            be.affine(p.value(), 1f - lr * wd, 0f, p.value());
        } else if (wd != 0f) {                                             // g + wd p
            be.affine(p.value(), wd, 0f, s[0]);
            be.binary(BinaryOp.ADD, g, s[0], s[0]);
            g = s[0];
        }
        Tensor m = state[0];
        Tensor v = state[1];
        Tensor vMax = state[2];
        be.affine(g, 1f - beta1, 0f, s[1]);                                // m = b1 m + (1 - b1) g
        be.affine(m, beta1, 0f, m);
        be.binary(BinaryOp.ADD, m, s[1], m);
        be.binary(BinaryOp.MUL, g, g, s[1]);                               // v = b2 v + (1 - b2) g^2
        be.affine(s[1], 1f - beta2, 0f, s[1]);
        be.affine(v, beta2, 0f, v);
        be.binary(BinaryOp.ADD, v, s[1], v);
        be.binary(BinaryOp.MAX, vMax, v, vMax);                            // the largest v so far
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        be.unary(UnaryOp.SQRT, vMax, s[1]);                                // sqrt(vMax) / sqrt(c2) + eps
        be.affine(s[1], (float) (1 / Math.sqrt(c2)), eps, s[1]);
        be.binary(BinaryOp.DIV, m, s[1], s[1]);                            // p -= lr / c1 * m / denominator
        be.affine(s[1], (float) (-lr / c1), 0f, s[1]);
        be.binary(BinaryOp.ADD, p.value(), s[1], p.value());
    }
}
