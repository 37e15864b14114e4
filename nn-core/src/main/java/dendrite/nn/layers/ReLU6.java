package dendrite.nn.layers;

import java.util.Map;

/**
 * {@code y = min(max(x, 0), 6)}, PyTorch's {@code nn.ReLU6} (MobileNet's activation, a {@link Hardtanh}
 * from 0 to 6): a ReLU whose output stays small enough for low-precision arithmetic. Weights before it
 * start with He initialization, as before a ReLU.
 */
public final class ReLU6 extends BoundedLinear {
    /** The only form: bounds 0 and 6. */
    public ReLU6() {
        super("relu6", 0, 6);
    }

    @Override
    public String type() {
        return "relu6";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "ReLU6()";
    }
}
