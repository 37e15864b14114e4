package dendrite.nn.optim;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay, {@code p -= lr wd p} apart from
 * the adaptive step, so decay is not scaled down for parameters with large gradients. Weight decay
 * defaults to 0.01, as in PyTorch.
 */
public final class AdamW extends Adam {

    public AdamW(double learningRate) {
        this(learningRate, 0.01);
    }

    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    /** All of PyTorch's options: betas, eps, weight decay and amsgrad. */
    public AdamW(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(learningRate, beta1, beta2, eps, amsgrad);
        weightDecay(weightDecay);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    protected boolean decoupled() {
        return true;
    }
}
