package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * Adagrad: {@code s += g^2; p -= clr g / (sqrt(s) + eps)} with {@code clr = lr / (1 + (t - 1) lr_decay)},
 * the sum starting at {@code initial_accumulator_value}: PyTorch's {@code torch.optim.Adagrad} and its
 * defaults (lr_decay 0, initial value 0, eps 1e-10). State: {@code sum}.
 */
public final class Adagrad extends Optimizer {
    private final float eps;
    private final double lrDecay;
    private final float initialAccumulatorValue;

    public Adagrad(double learningRate) {
        this(learningRate, 1e-10);
    }

    public Adagrad(double learningRate, double eps) {
        this(learningRate, 0, 0, eps);
    }

    /** All of PyTorch's options but weight decay ({@link #weightDecay(double)}). */
    public Adagrad(double learningRate, double lrDecay, double initialAccumulatorValue, double eps) {
        super(learningRate, "sum");
        if (!(lrDecay >= 0) || !(initialAccumulatorValue >= 0)) {
            throw new IllegalArgumentException("Adagrad: lr_decay " + lrDecay + " and initial_accumulator_value "
                    + initialAccumulatorValue + " must be at least 0");
        }
        this.eps = (float) eps;
        this.lrDecay = lrDecay;
        this.initialAccumulatorValue = (float) initialAccumulatorValue;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("eps", (double) eps);
        c.put("lr_decay", lrDecay);
        c.put("initial_accumulator_value", (double) initialAccumulatorValue);
        return c;
    }

    @Override
    protected float initialSlotValue(int slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        float clr = (float) (lr / (1 + (t - 1) * lrDecay));
        be.adagradUpdate(p.value(), p.grad(), state[0], clr, eps, wd);
    }
}
