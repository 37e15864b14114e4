package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * One step of a network, with its forward pass and its backward pass written out.
 *
 * <h2>Life cycle</h2>
 * <ol>
 *   <li>{@link #outputShape(Shape)}: given the per-sample input shape (without the batch
 *       dimension, e.g. {@code [784]}), the per-sample output shape, or a
 *       {@link LayerShapeException} saying what the layer expects and the likely fix.</li>
 *   <li>{@link #build(Backend, Shape, long)}: allocates and initializes the parameters on the
 *       backend, seeded, so the same seed gives the same weights on every backend.</li>
 *   <li>{@link #forward(Tensor, boolean)} on a batch {@code [m, input...]}: keeps what backward
 *       needs (its input, its output, a dropout mask, batch statistics) and returns its output
 *       {@code [m, output...]} in a buffer the layer owns and reuses (see {@link BatchBuffer}).</li>
 *   <li>{@link #backward(Tensor)} with dL/dout of the same shape as the last output: fills (overwrites)
 *       each {@link Parameter#grad()} and returns dL/din, also a layer-owned buffer.</li>
 * </ol>
 * Returned tensors stay valid until the layer's next forward or backward.
 *
 * <h2>Describing a layer (for model files)</h2>
 * {@link #type()} and {@link #config()} describe a layer well enough to rebuild it without code:
 * {@code LayerRegistry.create(layer.type(), layer.config())} gives an equivalent, unbuilt layer.
 * {@link #parameters()} and {@link #buffers()} give the named tensors in the order PyTorch's state
 * dict lists them ({@code weight}, {@code bias}, then buffers such as {@code running_mean}).
 *
 * <h2>Writing your own</h2>
 * Implement the four methods above; the {@code GradientChecker} in {@code dendrite.nn.diag}
 * compares your backward with finite differences of your forward. Register a factory with
 * {@link LayerRegistry#register} so saved models containing your layer can be loaded.
 *
 * <p>Layers are not thread-safe: they keep per-batch state between forward and backward.
 */
public interface Layer {

    /** The registry name of this kind of layer, e.g. {@code dense}, {@code relu}. */
    String type();

    /**
     * The hyperparameters, enough to rebuild the layer with {@link LayerRegistry#create}: values are
     * {@code Integer}, {@code Double}, {@code Boolean}, {@code String} or {@code List<Integer>}.
     * Empty for layers without any.
     */
    default Map<String, Object> config() {
        return Map.of();
    }

    /**
     * The per-sample output shape for a per-sample input shape.
     *
     * @throws LayerShapeException when the layer cannot take {@code inputShape}
     */
    Shape outputShape(Shape inputShape);

    /** Allocates and initializes parameters for {@code inputShape}, seeded by {@code seed}. */
    void build(Backend backend, Shape inputShape, long seed);

    /**
     * The forward pass on a batch; {@code training} switches dropout and batch statistics on.
     * Returns a layer-owned buffer.
     */
    Tensor forward(Tensor x, boolean training);

    /**
     * The backward pass for the last {@link #forward}: fills the parameter gradients and returns
     * dL/dx (or {@code null} when {@link #setInputGradientNeeded} switched it off).
     */
    Tensor backward(Tensor dOut);

    /** The trainable parameters, in state-dict order; empty for parameterless layers. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable state saved with the model (BatchNorm's {@code running_mean} and
     * {@code running_var}), in state-dict order; empty for most layers.
     */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /**
     * Whether {@link #backward} must return dL/dx. The first layer of a model does not need it, and a
     * Dense layer then skips one matrix product. Default: needed.
     */
    default void setInputGradientNeeded(boolean needed) {
    }

    /** The number of trainable values. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.shape().size();
        }
        return n;
    }
}
