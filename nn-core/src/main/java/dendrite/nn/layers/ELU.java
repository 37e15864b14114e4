package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

import java.util.Map;

/**
 * The exponential linear unit: {@code y = x} for positive x, {@code alpha (e^x - 1)} otherwise, whose
 * derivative ({@code 1}, or {@code alpha e^x}) is computed from the saved input. Like ReLU above zero,
 * but negative below it, down to {@code -alpha}, which moves mean activations toward zero (Clevert et
 * al., 2015); with alpha 1 its slope is continuous at 0.
 */
public final class ELU extends ActivationLayer {
    private final float alpha;

    /** An ELU with PyTorch's default alpha, 1. */
    public ELU() {
        this(1f);
    }

    /**
     * An ELU: PyTorch's {@code nn.ELU(alpha)}.
     *
     * @param alpha the scale of the negative side, which approaches {@code -alpha}; finite
     * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
     */
    public ELU(float alpha) {
        super(Activation.ELU, alpha);
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("elu: alpha must be finite, not " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("alpha", (double) alpha);
    }

    @Override
    public String toString() {
        return "ELU(" + alpha + ")";
    }
}
