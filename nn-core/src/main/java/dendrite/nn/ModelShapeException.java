package dendrite.nn;

import dendrite.nn.layers.LayerShapeException;
import dendrite.tensor.Shape;

/**
 * A model cannot be built because a layer does not accept the shape the layer before it produces.
 * The message names the layer's index and type, the expected and the actual per-sample shape, and
 * the likely fix, e.g. {@code layer 2 (dense): expected input [256] per sample, got [128]; likely
 * fix: make this layer Dense(128, 10), or change the previous layer to 256 outputs}.
 */
public final class ModelShapeException extends IllegalArgumentException {
    /** The index of the layer that refused its input. */
    private final int layerIndex;
    /** The registry name of the layer that refused its input. */
    private final String layerType;
    private final transient Shape actual;

    ModelShapeException(int layerIndex, String layerType, LayerShapeException cause) {
        super("layer " + layerIndex + " (" + layerType + "): " + cause.getMessage(), cause);
        this.layerIndex = layerIndex;
        this.layerType = layerType;
        this.actual = cause.actual();
    }

    /**
     * The index of the layer that refused its input, as in the state-dict names.
     *
     * @return the layer's index in the model, from 0
     */
    public int layerIndex() {
        return layerIndex;
    }

    /**
     * The type of the layer that refused its input.
     *
     * @return its registry name ({@link dendrite.nn.layers.Layer#type()}), e.g. {@code dense}
     */
    public String layerType() {
        return layerType;
    }

    /**
     * The per-sample shape the layer was given.
     *
     * @return the shape the previous layer (or the model's input) produces, without the batch dimension;
     *         {@code null} after deserialization, as the shape is not serialized
     */
    public Shape actual() {
        return actual;
    }
}
