package dendrite.nn.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code y = min(max(x, min_val), max_val)}, PyTorch's {@code nn.Hardtanh(min_val=-1, max_val=1)}: a
 * piecewise-linear tanh, cheap and bounded. The gradient passes strictly between the bounds only (see
 * {@link BoundedLinear}). {@link ReLU6} is the {@code [0, 6]} case under its own name.
 */
public final class Hardtanh extends BoundedLinear {
    /** PyTorch's defaults: bounds -1 and 1. */
    public Hardtanh() {
        this(-1, 1);
    }

    /**
     * PyTorch's {@code nn.Hardtanh(min_val, max_val)}.
     *
     * @param minValue the lower bound, e.g. -1 (may be negative infinity)
     * @param maxValue the upper bound, above {@code minValue} as floats (may be positive infinity)
     * @throws IllegalArgumentException if a bound is NaN or {@code minValue} is not below {@code maxValue}
     */
    public Hardtanh(double minValue, double maxValue) {
        super("hardtanh", minValue, maxValue);
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code min_val} (default -1) and {@code max_val} (default 1)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value is not a number or the bounds are out of order
     */
    public static Hardtanh fromConfig(Map<String, ?> c) {
        return new Hardtanh(Configs.doubleValue(c, "hardtanh", "min_val", -1),
                Configs.doubleValue(c, "hardtanh", "max_val", 1));
    }

    @Override
    public String type() {
        return "hardtanh";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("min_val", (double) minValue());
        c.put("max_val", (double) maxValue());
        return c;
    }

    @Override
    public String toString() {
        return "Hardtanh(" + minValue() + ", " + maxValue() + ")";
    }
}
