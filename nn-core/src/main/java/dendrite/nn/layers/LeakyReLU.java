package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

import java.util.Map;

/** {@code y = x} for positive x, {@code slope * x} otherwise (PyTorch's default slope is 0.01). */
public final class LeakyReLU extends ActivationLayer {
    private final float slope;

    public LeakyReLU() {
        this(0.01f);
    }

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
