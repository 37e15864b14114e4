package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

import java.util.Map;

/** {@code y = x} for positive x, {@code slope * x} otherwise (PyTorch's default slope is 0.01). */
public final class LeakyReLU extends ActivationLayer {
    private final float slope;

    /** A leaky ReLU with PyTorch's default negative slope, 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    /**
     * A leaky ReLU with the given negative slope: PyTorch's {@code nn.LeakyReLU(negative_slope)}.
     *
     * @param slope the factor applied to negative inputs, usually small and positive, e.g. 0.01
     */
    public LeakyReLU(float slope) {
        super(Activation.LEAKY_RELU, slope);
        this.slope = slope;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("negative_slope", (double) slope);
    }

    @Override
    public String toString() {
        return "LeakyReLU(" + slope + ")";
    }
}
