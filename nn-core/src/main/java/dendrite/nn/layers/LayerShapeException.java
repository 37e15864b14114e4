package dendrite.nn.layers;

import dendrite.tensor.Shape;

/**
 * A layer cannot take the per-sample input shape it was given. Thrown by
 * {@link Layer#outputShape(Shape)}; {@code Sequential} adds the layer's index and type.
 */
public final class LayerShapeException extends IllegalArgumentException {
    /** What the layer takes, as a phrase for the message. */
    private final String expected;
    private final transient Shape actual;
    /** The likely fix, as a phrase for the message. */
    private final String fix;

    /**
     * Creates the exception, with the message {@code expected input <expected> per sample, got <actual>;
     * likely fix: <fix>}.
     *
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

    /**
     * What the layer takes.
     *
     * @return a shape or a phrase, e.g. {@code [784]} or {@code a flat [features] vector}
     */
    public String expected() {
        return expected;
    }

    /**
     * The per-sample shape the layer was given.
     *
     * @return the shape, without the batch dimension; {@code null} after deserialization (not serialized)
     */
    public Shape actual() {
        return actual;
    }

    /**
     * The likely fix.
     *
     * @return a phrase for the user, e.g. {@code add flatten() before this layer}
     */
    public String fix() {
        return fix;
    }
}
