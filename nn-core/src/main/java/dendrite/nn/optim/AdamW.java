package dendrite.nn.optim;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay, {@code p -= lr wd p} apart from
 * the adaptive step, so decay is not scaled down for parameters with large gradients. Weight decay
 * defaults to 0.01, as in PyTorch.
 */
public final class AdamW extends Adam {

    /**
     * AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no amsgrad.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public AdamW(double learningRate) {
        this(learningRate, 0.01);
    }

    /**
     * AdamW with the given weight decay and PyTorch's other defaults: betas (0.9, 0.999), eps 1e-8, no amsgrad.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param weightDecay  the decoupled decay coefficient, at least 0, e.g. 0.01: each step
     *                     {@code p -= lr weightDecay p}
     * @throws IllegalArgumentException if the learning rate is not positive
     */
    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    /**
     * All of PyTorch's options: betas, eps, weight decay and amsgrad.
     *
     * @param learningRate the base learning rate, positive (PyTorch's {@code lr})
     * @param beta1        the decay rate of the gradient's running mean m, in [0, 1), e.g. 0.9
     * @param beta2        the decay rate of the squared gradient's running mean v, in [0, 1), e.g. 0.999
     * @param eps          the small positive value added to {@code sqrt(v)} in the denominator, e.g. 1e-8
     * @param weightDecay  the decoupled decay coefficient, at least 0, e.g. 0.01
     * @param amsgrad      whether to divide by the largest v so far (adds the {@code max_exp_avg_sq} slot)
     * @throws IllegalArgumentException if the learning rate is not positive, a beta is outside [0, 1), eps is not
     *                                  positive or the weight decay is negative
     */
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
