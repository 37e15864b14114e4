package dendrite.nn.losses;

import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * Smooth L1 loss, PyTorch's {@code SmoothL1Loss(beta)} (Fast R-CNN's box regression loss): with
 * {@code d = p - y},
 * <pre>
 *   L = mean (d^2 / (2 beta)  if |d| &lt; beta,  |d| - beta/2 otherwise)
 *   dL/dp = clamp(d, -beta, beta) / (beta N)
 * </pre>
 * which is {@link Huber} loss with {@code delta = beta}, divided by beta: it is computed by a Huber loss
 * that scales its mean, so the two share their code. Its slope beyond beta is 1 whatever beta is (Huber's
 * is delta); at beta = 1 the two are the same loss. PyTorch also takes beta = 0, which is
 * {@code L1Loss}: use {@link Losses#mae()} for that.
 */
public final class SmoothL1 implements Loss {
    private final Huber huber;

    /** Smooth L1 with PyTorch's default beta, 1.0. */
    public SmoothL1() {
        this(1.0);
    }

    /**
     * Smooth L1 with the given threshold.
     *
     * @param beta the error at which the loss turns from quadratic to linear, positive and finite
     * @throws IllegalArgumentException if {@code beta} is not positive and finite (for 0, use mae)
     */
    public SmoothL1(double beta) {
        if (beta == 0) {
            throw new IllegalArgumentException("smooth_l1: beta 0 is L1Loss; use mae");
        }
        this.huber = new Huber("smooth_l1", "beta", beta, 1 / (double) (float) beta);
    }

    /**
     * The threshold between the quadratic and the linear part.
     *
     * @return {@code beta}, positive
     */
    public float beta() {
        return huber.delta();
    }

    @Override
    public String name() {
        return "smooth_l1";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("beta", (double) beta());
    }

    @Override
    public Tensor forward(Tensor prediction, Tensor target) {
        return huber.forward(prediction, target);
    }

    @Override
    public Tensor backward() {
        return huber.backward();
    }
}
