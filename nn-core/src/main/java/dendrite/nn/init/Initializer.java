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

    /** The name used in model files, e.g. {@code he_uniform}. */
    String name();

    /**
     * Fills {@code w}. {@code fanIn} is the number of inputs of each unit (a Dense layer's input
     * features), {@code fanOut} the number of units.
     */
    void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed);

    /**
     * Fills a layer's bias, given the same fans as its weights: zeros by default (the common choice,
     * and Dendrite's); {@link Initializers#pytorch()} draws it as PyTorch's layers do.
     */
    default void initializeBias(Backend backend, Tensor bias, int fanIn, int fanOut, long seed) {
        backend.fill(bias, 0f);
    }
}
