package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;

import java.util.Map;

/**
 * RMSProp as PyTorch's {@code torch.optim.RMSprop}: {@code s = alpha s + (1 - alpha) g^2}, and
 * {@code p -= lr g / (sqrt(s) + eps)} (defaults alpha 0.99, eps 1e-8). With {@code centered}, the
 * mean gradient {@code a = alpha a + (1 - alpha) g} is taken out of the denominator,
 * {@code sqrt(s - a^2) + eps}; with {@code momentum}, the step goes through a buffer
 * {@code b = momentum b + g / denominator; p -= lr b}. State: {@code square_avg}, then
 * {@code momentum_buffer} and {@code grad_avg} when those options are on.
 *
 * <p>The plain form runs the backend's fused update; the others are written with the backend's
 * element-wise operations, one line per formula above.
 */
public final class RmsProp extends Optimizer {
    private final float alpha;
    private final float eps;
    private final float momentum;
    private final boolean centered;
    private final int momentumSlot;
    private final int gradAvgSlot;

    /**
     * RMSProp with PyTorch's defaults: alpha 0.99, eps 1e-8, no momentum, not centered.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8);
    }

    /**
     * RMSProp with the given smoothing and eps, no momentum, not centered.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param alpha        the decay rate of the squared gradient's running mean, in [0, 1), e.g. 0.99
     * @param eps          the small positive value added to the denominator, e.g. 1e-8
     * @throws IllegalArgumentException if the learning rate is not positive, alpha is outside [0, 1) or eps is not
     *                                  positive
     */
    public RmsProp(double learningRate, double alpha, double eps) {
        this(learningRate, alpha, eps, 0, false);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param alpha        the decay rate of the squared gradient's running mean, in [0, 1), e.g. 0.99
     * @param eps          the small positive value added to the denominator, e.g. 1e-8
     * @param momentum     the momentum factor, at least 0 (0: none; above 0 adds the {@code momentum_buffer} slot)
     * @param centered     whether to subtract the squared mean gradient in the denominator (adds the
     *                     {@code grad_avg} slot)
     * @throws IllegalArgumentException if the learning rate is not positive, the momentum is negative, alpha is
     *                                  outside [0, 1) or eps is not positive
     */
    public RmsProp(double learningRate, double alpha, double eps, double momentum, boolean centered) {
        super(learningRate, slots(momentum, centered));
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("RMSProp: momentum " + momentum + " must be at least 0");
        }
        requireDecayRate("alpha", alpha);
        requireEps(eps);
        this.alpha = (float) alpha;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        this.centered = centered;
        this.momentumSlot = momentum > 0 ? 1 : -1;
        this.gradAvgSlot = centered ? (momentum > 0 ? 2 : 1) : -1;
    }

    private static String[] slots(double momentum, boolean centered) {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("square_avg"));
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        if (centered) {
            names.add("grad_avg");
        }
        return names.toArray(String[]::new);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    /** A schedule may set the momentum of an RMSprop built with one (it keeps the buffer). */
    @Override
    protected String whyNoScheduledMomentum() {
        return momentum > 0 ? null : "it was built without momentum, so it keeps no momentum buffer (PyTorch's"
                + " OneCycleLR turns RMSprop's momentum on): build it with one, e.g. new RmsProp(lr, 0.99, 1e-8, 0.9, false)";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("alpha", (double) alpha);
        c.put("eps", (double) eps);
        c.put("momentum", (double) momentum);
        c.put("centered", centered);
        return c;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        float momentum = (float) momentum(this.momentum);
        if (momentum == 0 && !centered) {
            be.rmspropUpdate(p.value(), p.grad(), state[0], lr, alpha, eps, wd);
            return;
        }
        Tensor[] s = scratch(be, p, 2);
        Tensor g = p.grad();
        if (wd != 0f) {                                                    // g + wd p
            be.affine(p.value(), wd, 0f, s[0]);
            be.binary(BinaryOp.ADD, g, s[0], s[0]);
            g = s[0];
        }
        Tensor sq = state[0];
        be.binary(BinaryOp.MUL, g, g, s[1]);                               // s = alpha s + (1 - alpha) g^2
        be.affine(s[1], 1f - alpha, 0f, s[1]);
        be.affine(sq, alpha, 0f, sq);
        be.binary(BinaryOp.ADD, sq, s[1], sq);
        Tensor den = s[1];
        if (centered) {                                                    // a = alpha a + (1 - alpha) g
            Tensor avg = state[gradAvgSlot];
            be.affine(avg, alpha, 0f, avg);
            be.affine(g, 1f - alpha, 0f, den);
            be.binary(BinaryOp.ADD, avg, den, avg);
            be.binary(BinaryOp.MUL, avg, avg, den);                        // sqrt(s - a^2) + eps
            be.binary(BinaryOp.SUB, sq, den, den);
            be.unary(UnaryOp.SQRT, den, den);
        } else {
            be.unary(UnaryOp.SQRT, sq, den);                               // sqrt(s) + eps
        }
        be.affine(den, 1f, eps, den);
        be.binary(BinaryOp.DIV, g, den, den);                              // g / denominator
        if (momentum > 0) {                                                // b = momentum b + g / denominator
            Tensor buf = state[momentumSlot];
            be.affine(buf, momentum, 0f, buf);
            be.binary(BinaryOp.ADD, buf, den, buf);
            be.affine(buf, -lr, 0f, den);                                  // p -= lr b
        } else {
            be.affine(den, -lr, 0f, den);                                  // p -= lr g / denominator
        }
        be.binary(BinaryOp.ADD, p.value(), den, p.value());
    }
}
