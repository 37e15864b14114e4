package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Map;

/** Adagrad: {@code s += g^2; p -= lr g / (sqrt(s) + eps)} (eps 1e-10 as PyTorch). State: {@code sum}. */
public final class Adagrad extends Optimizer {
    private final float eps;

    public Adagrad(double learningRate) {
        this(learningRate, 1e-10);
    }

    public Adagrad(double learningRate, double eps) {
        super(learningRate, "sum");
        this.eps = (float) eps;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("eps", (double) eps);
        return c;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        be.adagradUpdate(p.value(), p.grad(), state[0], lr, eps, wd);
    }
}
