package dendrite.nn.layers;

import dendrite.tensor.Shape;

/**
 * A layer cannot take the per-sample input shape it was given. Thrown by
 * {@link Layer#outputShape(Shape)}; {@code Sequential} adds the layer's index and type.
 */
public final class LayerShapeException extends IllegalArgumentException {
    private final String expected;
    private final transient Shape actual;
    private final String fix;

    /**
     * @param expected what the layer takes, e.g. {@code [784]} or {@code a flat [features] vector}
     * @param actual   the per-sample shape it was given
     * @param fix      the likely fix, e.g. {@code add .flatten() before this layer}
     */
    public LayerShapeException(String expected, Shape actual, String fix) {
        super("expected input " + expected + " per sample, got " + actual + "; likely fix: " + fix);
        this.expected = expected;
        this.actual = actual;
        this.fix = fix;
    }

    public String expected() {
        return expected;
    }

    public Shape actual() {
        return actual;
    }

    public String fix() {
        return fix;
    }
}
