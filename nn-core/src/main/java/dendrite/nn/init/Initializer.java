package dendrite.nn.init;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

/**
 * Fills a weight tensor with its starting values.
 *
 * <p>Random initializers draw through {@link Backend#randomUniform} and {@link Backend#randomNormal},
 * which are counter-based: the same seed gives the same weights on every backend and thread count.
 *
 * <pre>{@code
 * Initializers.heNormal().initialize(be, weight, fanIn, fanOut, seed);
 * }</pre>
 */
public interface Initializer {

    /**
     * The name used in model files, e.g. {@code he_uniform}.
     *
     * @return the initializer's name, which {@link Initializers#byName(String)} maps back to an equivalent
     *         initializer
     */
    String name();

    /**
     * Fills {@code w}. {@code fanIn} is the number of inputs of each unit (a Dense layer's input
     * features), {@code fanOut} the number of units.
     *
     * @param backend the backend that owns {@code w} and draws the random values
     * @param w the weight tensor to fill in place, of any shape; its previous contents are overwritten
     * @param fanIn the number of inputs of each unit, at least 1 for initializers that divide by it
     * @param fanOut the number of units (outputs)
     * @param seed the seed of the counter-based generator; the same seed gives the same values
     */
    void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed);

    /**
     * Fills a layer's bias, given the same fans as its weights: zeros by default (the common choice,
     * and Dendrite's); {@link Initializers#pytorch()} draws it as PyTorch's layers do.
     *
     * @param backend the backend that owns {@code bias} and draws any random values
     * @param bias the bias tensor to fill in place; its previous contents are overwritten
     * @param fanIn the number of inputs of each unit, as passed for the layer's weights
     * @param fanOut the number of units, as passed for the layer's weights
     * @param seed the seed of the counter-based generator (ignored by the default, which writes zeros)
     */
    default void initializeBias(Backend backend, Tensor bias, int fanIn, int fanOut, long seed) {
        backend.fill(bias, 0f);
    }
}
