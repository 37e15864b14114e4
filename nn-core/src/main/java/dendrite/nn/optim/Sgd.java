package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.Map;

/**
 * Stochastic gradient descent as PyTorch defines it: {@code g' = g + wd p}; with momentum
 * {@code v = mu v + (1 - dampening) g'} (the first step {@code v = g'}) and the step uses v (or
 * {@code g' + mu v} with Nesterov); {@code p -= lr g'}. State: {@code momentum_buffer} (only with
 * momentum).
 *
 * <p>Without dampening (PyTorch's default) the backend's fused update runs; with it, the backend's
 * element-wise operations.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final float dampening;
    private final boolean nesterov;

    /**
     * Plain SGD, {@code p -= lr g}: PyTorch's defaults (no momentum, no dampening, no weight decay).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public Sgd(double learningRate) {
        this(learningRate, 0, false);
    }

    /**
     * SGD with momentum, without dampening (PyTorch's default).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param momentum     the momentum factor mu, at least 0 (0: none), e.g. 0.9
     * @param nesterov     whether to use Nesterov momentum (needs a positive momentum)
     * @throws IllegalArgumentException if the learning rate is not positive, the momentum is negative, or Nesterov
     *                                  is asked for without momentum
     */
    public Sgd(double learningRate, double momentum, boolean nesterov) {
        this(learningRate, momentum, 0, nesterov);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param momentum     the momentum factor mu, at least 0 (0: none), e.g. 0.9
     * @param dampening    the share of each gradient held back from the momentum buffer, in [0, 1] (0: none)
     * @param nesterov     whether to use Nesterov momentum (needs a positive momentum and no dampening)
     * @throws IllegalArgumentException if the learning rate is not positive, the momentum is negative, the
     *                                  dampening is outside [0, 1], or Nesterov is asked for without momentum or
     *                                  with dampening
     */
    public Sgd(double learningRate, double momentum, double dampening, boolean nesterov) {
        super(learningRate, momentum > 0 ? new String[] {"momentum_buffer"} : new String[0]);
        requireOff0OrPositive("momentum", momentum);
        if (!(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("Sgd: dampening must be in [0, 1], got " + dampening);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs a positive momentum and zero dampening");
        }
        this.momentum = (float) momentum;
        this.dampening = (float) dampening;
        this.nesterov = nesterov;
    }

    @Override
    public String name() {
        return "sgd";
    }

    /** A schedule may set the momentum of an SGD built with one (it keeps the buffer). */
    @Override
    protected String whyNoScheduledMomentum() {
        return momentum > 0 ? null : "it was built without momentum, so it keeps no momentum buffer (PyTorch's"
                + " OneCycleLR turns SGD's momentum on): build it with one, e.g. new Sgd(lr, 0.9, false)";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("momentum", (double) momentum);
        c.put("dampening", (double) dampening);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        float momentum = (float) momentum(this.momentum);
        if (dampening == 0f || momentum == 0f) {
            be.sgdUpdate(p.value(), p.grad(), momentum > 0 ? state[0] : null, lr, momentum, wd, nesterov);
            return;
        }
        boolean first = t == 1;         // the buffer starts as g'; by step count, so a resumed run continues it
        Tensor s = scratch(be, p, 1)[0];
        Tensor g = p.grad();
        if (wd != 0f) {                                                    // g' = g + wd p
            be.affine(p.value(), wd, 0f, s);
            be.binary(BinaryOp.ADD, g, s, s);
            g = s;
        }
        Tensor v = state[0];
        if (first) {                                                       // v = g' on the first step
            be.copy(g, v);
        } else {                                                           // v = mu v + (1 - dampening) g'
            be.affine(g, 1f - dampening, 0f, s);
            be.affine(v, momentum, 0f, v);
            be.binary(BinaryOp.ADD, v, s, v);
        }
        be.affine(v, -lr, 0f, s);                                          // p -= lr v
        be.binary(BinaryOp.ADD, p.value(), s, p.value());
    }
}
