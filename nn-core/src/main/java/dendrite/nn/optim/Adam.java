package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with bias correction; weight decay here is L2 (added to the gradient),
 * as in PyTorch's {@code Adam}. For decoupled weight decay use {@link AdamW}.
 * State: {@code exp_avg} (m) and {@code exp_avg_sq} (v).
 */
public class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(double learningRate, double beta1, double beta2, double eps) {
        super(learningRate, "exp_avg", "exp_avg_sq");
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    @Override
    public String name() {
        return "adam";
    }

    /** Whether weight decay is decoupled from the gradient (AdamW). */
    protected boolean decoupled() {
        return false;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta1", (double) beta1);
        c.put("beta2", (double) beta2);
        c.put("eps", (double) eps);
        return c;
    }

    @Override
    protected final void update(Backend be, Parameter p, Tensor[] state, float lr, float wd, long t) {
        be.adamUpdate(p.value(), p.grad(), state[0], state[1], lr, beta1, beta2, eps, wd, decoupled(), t);
    }
}
