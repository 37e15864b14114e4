package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * Stochastic gradient descent as PyTorch defines it: {@code g' = g + wd p}; with momentum
 * {@code v = mu v + g'} and the step uses v (or {@code g' + mu v} with Nesterov); {@code p -= lr g'}.
 * State: {@code momentum_buffer} (only with momentum).
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    public Sgd(double learningRate) {
        this(learningRate, 0, false);
    }

    public Sgd(double learningRate, double momentum, boolean nesterov) {
        super(learningRate, momentum > 0 ? new String[] {"momentum_buffer"} : new String[0]);
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs a positive momentum");
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("momentum", (double) momentum);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        be.sgdUpdate(p.value(), p.grad(), momentum > 0 ? state[0] : null, lr, momentum, wd, nesterov);
    }
}
