package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * dict lists them ({@code weight}, {@code bias}, then buffers such as {@code running_mean});
 * {@link #stateShapes(Shape)} gives their shapes before they exist, so a model file can be checked
 * against its architecture before anything is allocated.
 *
 * <h2>Writing your own</h2>
 * Implement the four methods above; the {@code GradientChecker} in {@code dendrite.nn.diag}
 * compares your backward with finite differences of your forward. Register a factory with
 * {@link LayerRegistry#register} so saved models containing your layer can be loaded.
 *
 * <p>Layers are not thread-safe: they keep per-batch state between forward and backward.
 */
public interface Layer {

    /**
     * The registry name of this kind of layer, e.g. {@code dense}, {@code relu}.
     *
     * @return the name {@link LayerRegistry#create} knows this kind of layer by; the same for every instance
     */
    String type();

    /**
     * The hyperparameters, enough to rebuild the layer with {@link LayerRegistry#create}: values are
     * {@code Integer}, {@code Double}, {@code Boolean}, {@code String} or {@code List<Integer>}.
     * Empty for layers without any.
     *
     * @return the hyperparameters by their names (PyTorch's where there is one); a map the caller may read
     *         but should not modify
     */
    default Map<String, Object> config() {
        return Map.of();
    }

    /**
     * The per-sample output shape for a per-sample input shape.
     *
     * @param inputShape the shape of one input sample, without the batch dimension
     * @return the shape of one output sample, without the batch dimension
     * @throws LayerShapeException when the layer cannot take {@code inputShape}
     */
    Shape outputShape(Shape inputShape);

    /**
     * Allocates and initializes parameters for {@code inputShape}, seeded by {@code seed}.
     *
     * @param backend    the backend that allocates the parameters and buffers and runs the passes
     * @param inputShape the shape of one input sample, without the batch dimension, one that
     *                   {@link #outputShape} accepts
     * @param seed       the seed of the initial weights and of any random stream (dropout masks); the same seed
     *                   gives the same values on every backend
     */
    void build(Backend backend, Shape inputShape, long seed);

    /**
     * The forward pass on a batch; {@code training} switches dropout and batch statistics on.
     * Returns a layer-owned buffer.
     *
     * @param x        a batch {@code [m, input...]} of samples of the shape the layer was built for
     * @param training {@code true} in training (dropout drops, batch norm uses and updates batch
     *                 statistics), {@code false} for evaluation
     * @return the output {@code [m, output...]}, a layer-owned buffer valid until the next forward or backward
     */
    Tensor forward(Tensor x, boolean training);

    /**
     * The backward pass for the last {@link #forward}: fills the parameter gradients and returns
     * dL/dx (or {@code null} when {@link #setInputGradientNeeded} switched it off).
     *
     * @param dOut dL/dy, the gradient with respect to the last forward's output, of its shape {@code [m, output...]}
     * @return dL/dx {@code [m, input...]}, a layer-owned buffer valid until the next forward or backward, or
     *         {@code null} when the input gradient is not needed
     */
    Tensor backward(Tensor dOut);

    /**
     * The trainable parameters, in state-dict order; empty for parameterless layers.
     *
     * @return the live parameters (not copies), {@code weight} before {@code bias}; empty before {@link #build}
     *         for layers that allocate them there
     */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable state saved with the model (BatchNorm's {@code running_mean} and
     * {@code running_var}), in state-dict order; empty for most layers.
     *
     * @return the live buffer tensors (not copies) by their state-dict names, in order
     */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /**
     * The shapes of the parameters and buffers {@link #build} would allocate for {@code inputShape}, by
     * the names {@link #parameters()} and {@link #buffers()} give them, computed without allocating.
     *
     * <p>Why: loading a model file builds the layers its architecture names, and a damaged or hostile
     * file can claim a {@code Dense(1<<20, 1<<20)}. Comparing these shapes with the tensors the file
     * really holds lets the loader refuse such a file before it allocates terabytes. The dimensions are
     * plain ints and their product may exceed what a tensor can hold: that is what gets checked.
     *
     * <p>Default: empty, meaning "not declared"; a model file holding a layer that does not declare its
     * shapes is checked after the layers are built. Parameterless layers return an empty map.
     *
     * @param inputShape the shape of one input sample, without the batch dimension
     * @return each parameter's and buffer's name with its dimensions; empty when the layer does not declare them
     * @throws LayerShapeException when the layer cannot take {@code inputShape}
     */
    default Optional<Map<String, int[]>> stateShapes(Shape inputShape) {
        return Optional.empty();
    }

    /**
     * Where the layer's random stream stands, by name, for a checkpoint; empty (the default) for a
     * layer that draws no random numbers in training.
     *
     * <p>Why: randomness in nn-core is counter-based ({@code CounterRandom}: the bits of draw {@code i}
     * depend only on a seed and {@code i}), so a seed and a counter are a layer's whole generator. A
     * resumed run that gets them back draws the numbers an uninterrupted run would have (Dropout's
     * masks); without them it would start the stream over. Seeds are full 64-bit values, hence longs.
     *
     * @return the stream's state by name (e.g. {@code seed} and {@code passes}), or an empty map
     */
    default Map<String, Long> randomState() {
        return Map.of();
    }

    /**
     * Takes back what {@link #randomState()} gave, when resuming from a checkpoint.
     *
     * @param state what {@link #randomState()} returned, e.g. read back from a checkpoint
     * @throws IllegalArgumentException when the names are not exactly those of {@link #randomState()}
     *                                  or a value is out of range; the layer is then unchanged
     */
    default void restoreRandomState(Map<String, Long> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(type() + ": keeps no random state, but was given " + state.keySet());
        }
    }

    /**
     * Told, before {@link #build}, which layer comes next in its model ({@code null} for the last),
     * so a layer can choose defaults that suit what follows: a Dense layer without an explicit
     * initializer starts its weights as suits the activation after it (He before a ReLU, Xavier
     * otherwise). Default: nothing to choose.
     *
     * @param next the layer that follows this one in the model, or {@code null} if this one is last
     */
    default void followedBy(Layer next) {
    }

    /**
     * Whether this layer's output is already probabilities (softmax, sigmoid), so a model ending in it
     * predicts probabilities as they are instead of applying softmax or sigmoid again. Default: no.
     *
     * @return {@code true} if every output is a probability, {@code false} for logits or other values
     */
    default boolean outputsProbabilities() {
        return false;
    }

    /**
     * Whether {@link #backward} must return dL/dx. The first layer of a model does not need it, and a
     * Dense layer then skips one matrix product. Default: needed.
     *
     * @param needed {@code true} if {@link #backward} must compute dL/dx, {@code false} to let it return
     *               {@code null}
     */
    default void setInputGradientNeeded(boolean needed) {
    }

    /**
     * A copy of this built layer for predicting on another thread: the same parameters and buffers
     * (the tensors themselves, so it always computes with the current weights), its own per-batch
     * buffers, and {@code forward(x, false)} equal to this layer's. {@code Sequential}'s predict
     * methods run concurrent calls on such copies instead of one at a time.
     *
     * <p>Default: for a layer without parameters or buffers, a new one from {@link #type()} and
     * {@link #config()} built for {@code inputShape}; otherwise empty, meaning "cannot share", and a
     * model holding such a layer serializes its predictions.
     *
     * @param backend    the backend this layer was built on
     * @param inputShape the per-sample input shape it was built for
     * @return the copy, built and sharing this layer's weights, or empty if this layer cannot be copied
     */
    default Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        if (!parameters().isEmpty() || !buffers().isEmpty()) {
            return Optional.empty();
        }
        Layer copy;
        try {
            copy = LayerRegistry.create(type(), config());
        } catch (RuntimeException e) {               // not registered: cannot be rebuilt from its description
            return Optional.empty();
        }
        copy.build(backend, inputShape, 0L);
        return Optional.of(copy);
    }

    /**
     * A replica that also does the work of {@code next}, the layer after it, so that a prediction runs
     * the two as one call: asked of a {@link #replicaForInference} copy, with the copy of the next layer,
     * when a model makes the layers its predictions run on. Its {@code forward(x, false)} must equal
     * this layer's followed by next's, bit for bit; it is never trained. A convolution takes the
     * activation layer after it into its last pass over the output ({@link Conv2d}).
     *
     * <p>Default: empty, the two layers run one after the other.
     *
     * @param next the replica of the layer that follows this one
     * @return the replica doing both layers' work, or empty
     */
    default Optional<Layer> fusedForInference(Layer next) {
        return Optional.empty();
    }

    /**
     * Prepares this built layer for predicting only: called once on each layer of a {@code Predictor}'s
     * own copy of a model, which is never trained and whose weights never change afterwards. A layer may
     * then prepare its weights for the fastest forward pass ({@link Dense} packs them once with
     * {@code Backend.packWeights}, instead of its backend packing them on every call); its
     * {@code forward(x, false)} and its {@link #replicaForInference} copies use what it prepared and give
     * the same values, bit for bit. A prepared layer refuses to train.
     *
     * <p>Default: nothing to prepare.
     */
    default void prepareForPrediction() {
    }

    /**
     * The number of trainable values.
     *
     * @return the total number of values in {@link #parameters()}, 0 for a parameterless layer
     */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.shape().size();
        }
        return n;
    }
}
