package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * RMSProp: {@code s = alpha s + (1 - alpha) g^2; p -= lr g / (sqrt(s) + eps)} (PyTorch defaults alpha
 * 0.99, eps 1e-8). State: {@code square_avg}.
 */
public final class RmsProp extends Optimizer {
    private final float alpha;
    private final float eps;

    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8);
    }

    public RmsProp(double learningRate, double alpha, double eps) {
        super(learningRate, "square_avg");
        this.alpha = (float) alpha;
        this.eps = (float) eps;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("alpha", (double) alpha);
        c.put("eps", (double) eps);
        return c;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        be.rmspropUpdate(p.value(), p.grad(), state[0], lr, alpha, eps, wd);
    }
}
