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

    /**
     * Adagrad with PyTorch's defaults: eps 1e-10, no learning-rate decay, the sum starting at 0.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public Adagrad(double learningRate) {
        this(learningRate, 1e-10);
    }

    /**
     * Adagrad with the given eps, no learning-rate decay, the sum starting at 0.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param eps          the small positive value added to the denominator, e.g. 1e-10
     * @throws IllegalArgumentException if the learning rate or eps is not positive
     */
    public Adagrad(double learningRate, double eps) {
        this(learningRate, 0, 0, eps);
    }

    /**
     * All of PyTorch's options but weight decay ({@link #weightDecay(double)}).
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param lrDecay                 the learning-rate decay, at least 0: step t uses
     *                                {@code lr / (1 + (t - 1) lrDecay)}
     * @param initialAccumulatorValue the value the sum of squared gradients starts at, at least 0
     * @param eps                     the small positive value added to the denominator, e.g. 1e-10
     * @throws IllegalArgumentException if the learning rate or eps is not positive, or {@code lrDecay} or
     *                                  {@code initialAccumulatorValue} is negative
     */
    public Adagrad(double learningRate, double lrDecay, double initialAccumulatorValue, double eps) {
        super(learningRate, "sum");
        if (!(lrDecay >= 0) || !(initialAccumulatorValue >= 0)) {
            throw new IllegalArgumentException("Adagrad: lr_decay " + lrDecay + " and initial_accumulator_value "
                    + initialAccumulatorValue + " must be at least 0");
        }
        requireEps(eps);
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
