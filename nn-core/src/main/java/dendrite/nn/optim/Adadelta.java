package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * Adadelta (Zeiler 2012) as PyTorch's {@code torch.optim.Adadelta}: {@code v = rho v + (1 - rho) g^2},
 * {@code d = sqrt(a + eps) / sqrt(v + eps) g}, {@code a = rho a + (1 - rho) d^2}, {@code p -= lr d}
 * (defaults lr 1.0, rho 0.9, eps 1e-6). The step is in the units of the parameter (the running size of
 * past steps over that of the gradients), so lr 1.0 is the paper's method; PyTorch's lr scales it.
 * Weight decay is L2, added to the gradient first. State: {@code square_avg} (v) and
 * {@code acc_delta} (a).
 *
 * <p>Written with the backend's element-wise operations, in PyTorch's order.
 */
public final class Adadelta extends Optimizer {
    private final double rho;
    private final double eps;

    /**
     * Adadelta with PyTorch's defaults: rho 0.9, eps 1e-6, no weight decay.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr}, 1.0 by default there)
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public Adadelta(double learningRate) {
        this(learningRate, 0.9, 1e-6);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param rho          the decay rate of the running means of squared gradients and squared steps, in [0, 1]
     *                     as PyTorch allows (1 keeps them at 0: plain SGD), e.g. 0.9
     * @param eps          the small positive value added under both square roots, e.g. 1e-6 (it also sizes the
     *                     first steps, when the running mean of squared steps is 0)
     * @throws IllegalArgumentException if the learning rate is not positive, rho is outside [0, 1] or eps is not
     *                                  positive
     */
    public Adadelta(double learningRate, double rho, double eps) {
        super(learningRate, "square_avg", "acc_delta");
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("Adadelta: rho must be in [0, 1], got " + rho);
        }
        requireEps(eps);
        this.rho = rho;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "adadelta";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", rho);
        c.put("eps", eps);
        return c;
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
        Tensor v = state[0];
        Tensor a = state[1];
        float keep = (float) rho;
        float take = (float) (1 - rho);
        be.affine(v, keep, 0f, v);                                         // v = rho v + (1 - rho) g g
        be.affine(g, take, 0f, s[1]);
        be.binary(BinaryOp.MUL, s[1], g, s[1]);
        be.binary(BinaryOp.ADD, v, s[1], v);
        be.affine(v, 1f, (float) eps, s[1]);                               // std = sqrt(v + eps)
        be.unary(UnaryOp.SQRT, s[1], s[1]);
        be.affine(a, 1f, (float) eps, s[2]);                               // d = sqrt(a + eps) / std * g
        be.unary(UnaryOp.SQRT, s[2], s[2]);
        be.binary(BinaryOp.DIV, s[2], s[1], s[2]);
        be.binary(BinaryOp.MUL, s[2], g, s[2]);
        be.affine(a, keep, 0f, a);                                         // a = rho a + (1 - rho) d d
        be.affine(s[2], take, 0f, s[1]);
        be.binary(BinaryOp.MUL, s[1], s[2], s[1]);
        be.binary(BinaryOp.ADD, a, s[1], a);
        be.affine(s[2], -lr, 0f, s[2]);                                    // p -= lr d
        be.binary(BinaryOp.ADD, p.value(), s[2], p.value());
    }
}
