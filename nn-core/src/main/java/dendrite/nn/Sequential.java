package dendrite.nn;

import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.AvgPool1d;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv1d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ConvTranspose2d;
import dendrite.nn.layers.Configs;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Dropout;
import dendrite.nn.layers.Dropout2d;
import dendrite.nn.layers.ELU;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GlobalAvgPool2d;
import dendrite.nn.layers.GroupNorm;
import dendrite.nn.layers.Hardswish;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.layers.LayerShapeException;
import dendrite.nn.layers.LeakyReLU;
import dendrite.nn.layers.PReLU;
import dendrite.nn.layers.Hardtanh;
import dendrite.nn.layers.Rescaling;
import dendrite.nn.layers.ReLU6;
import dendrite.nn.layers.MaxPool1d;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.Mish;
import dendrite.nn.layers.Parameter;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.SELU;
import dendrite.nn.layers.Reshape;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.SiLU;
import dendrite.nn.layers.LogSoftmax;
import dendrite.nn.layers.Softmax;
import dendrite.nn.layers.Softplus;
import dendrite.nn.layers.Tanh;
import dendrite.nn.layers.Transpose;
import dendrite.nn.layers.Upsample2d;
import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A stack of layers, each feeding the next, built for one backend.
 *
 * <pre>{@code
 * Sequential model = Sequential.builder(784)
 *         .dense(256).relu()
 *         .dense(10)
 *         .build(backend, 42);
 * System.out.println(model.summary());
 * }</pre>
 *
 * <h2>Shapes</h2>
 * Shapes are per sample (no batch dimension). Building checks that each layer accepts the shape
 * the previous one produces; a mismatch throws {@link ModelShapeException} naming the layer's index
 * and type, both shapes and the likely fix.
 *
 * <h2>Names, as PyTorch's {@code nn.Sequential}</h2>
 * {@link #stateDict()} names every parameter and buffer {@code <layer index>.<name>}:
 * {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, {@code 3.running_mean}, ... Parameterless layers
 * (activations, dropout, flatten) still take an index, so a PyTorch model with the same layers has
 * the same names. {@link #architecture()} and {@link #fromArchitecture} turn the layer list into data
 * (types and hyperparameters from {@link Layer#config()}) and back.
 *
 * <h2>Threads</h2>
 * {@link #forward} and {@link #backward} use buffers owned by the layers and are not thread-safe: a
 * model is trained on one thread. The {@code predict} methods are thread-safe and run concurrently:
 * each thread predicting at the same time gets its own copy of the layers' buffers, sharing the
 * weights ({@link Layer#replicaForInference}; a model with a layer that cannot be copied that way
 * predicts one call at a time). During {@code fit} (see {@link #beginTraining()}), a prediction
 * from another thread is refused with an {@link IllegalStateException} rather than read
 * half-updated weights, and training begins only once the predictions in progress have finished.
 *
 * <h2>Memory</h2>
 * Parameters and layer buffers belong to the model; build and first use it outside a
 * {@code Scope}, which would otherwise free them when it closes.
 */
public final class Sequential {
    /** Rows per batch in {@code predict} when the caller does not say. */
    public static final int DEFAULT_PREDICT_BATCH = 256;

    private final Backend backend;
    private final Shape inputShape;
    private final List<Layer> layers;
    private final List<Shape> outputShapes;
    private final Map<String, Parameter> allParameters;
    private final java.util.Set<String> frozen = new java.util.HashSet<>();
    private Map<String, Parameter> namedParameters;     // the trainable ones: all but the frozen
    private boolean inputGradientNeeded;
    private int backwardFrom;                           // backward runs layers [backwardFrom, size)
    private final Tensor[] lastOutputs;
    private final TrainingGuard guard = new TrainingGuard(this);
    private final Prediction prediction;

    private Sequential(Backend backend, Shape inputShape, List<Layer> layers, long seed) {
        this.backend = backend;
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        this.outputShapes = outputShapes(inputShape, layers);
        Shape s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.followedBy(i + 1 < layers.size() ? layers.get(i + 1) : null);
            // A model's parameters and buffers belong to the model, not to a scope the caller has open.
            Shape in = s;
            long layerSeed = CounterRandom.bits(seed, i);
            Scope.unscoped(() -> {
                layer.build(backend, in, layerSeed);
                return null;
            });
            s = outputShapes.get(i);
        }
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                named.put(i + "." + p.name(), p);
            }
        }
        this.allParameters = Collections.unmodifiableMap(named);
        this.namedParameters = allParameters;
        refreshBackwardRange();
        this.lastOutputs = new Tensor[layers.size()];
        this.prediction = new Prediction(this, guard);
    }

    /** Each layer's per-sample output shape, checking that it accepts the previous one's. */
    private static List<Shape> outputShapes(Shape inputShape, List<Layer> layers) {
        List<Shape> shapes = new ArrayList<>();
        Shape s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                s = layer.outputShape(s);
            } catch (LayerShapeException e) {
                throw new ModelShapeException(i, layer.type(), e);
            }
            shapes.add(s);
        }
        return List.copyOf(shapes);
    }

    /**
     * Starts a model whose samples have the given shape, e.g. {@code builder(784)} or {@code builder(1, 28, 28)}.
     *
     * @param inputShape the per-sample input dimensions, without the batch dimension ({@code 784} for flat
     *                   vectors, {@code 1, 28, 28} for one-channel images)
     * @return a new builder with no layers yet
     */
    public static Builder builder(int... inputShape) {
        return new Builder(Shape.of(inputShape));
    }

    /**
     * Rebuilds a model from {@link #architecture()} data, with fresh weights from {@code seed}
     * (load saved weights with {@link #loadStateDict}).
     *
     * @param architecture the data {@link #architecture()} returned, e.g. read back from JSON: the
     *                     {@code input_shape} and the {@code layers} with their types and configs
     * @param backend      the backend the model's parameters and buffers are allocated on
     * @param seed         the seed the fresh weights are drawn from; the same seed gives the same weights
     *                     on every backend
     * @return the built model, with freshly initialized weights
     * @throws IllegalArgumentException (or another runtime exception) when the data is malformed
     * @throws ModelShapeException when a layer cannot take the shape the previous one produces
     */
    public static Sequential fromArchitecture(Map<String, ?> architecture, Backend backend, long seed) {
        return builderFromArchitecture(architecture).build(backend, seed);
    }

    /**
     * A builder holding the layers {@link #architecture()} data describes, not yet built: nothing is
     * allocated, so the architecture can be inspected first (see {@link Builder#stateShapes()}).
     *
     * @param architecture the data {@link #architecture()} returned: the {@code input_shape} and the
     *                     {@code layers} with their types and configs
     * @return a builder holding those layers, ready for {@link Builder#build} or {@link Builder#stateShapes()}
     * @throws IllegalArgumentException (or another runtime exception) when the data is malformed
     */
    public static Builder builderFromArchitecture(Map<String, ?> architecture) {
        return ModelState.builderFromArchitecture(architecture);
    }

    // ------------------------------------------------------------------ structure

    /**
     * The backend the model was built on, which holds its parameters and buffers.
     *
     * @return the backend given to {@link Builder#build}
     */
    public Backend backend() {
        return backend;
    }

    /**
     * The per-sample input shape.
     *
     * @return the shape of one sample, without the batch dimension
     */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * The per-sample output shape (the input shape for a model with no layers).
     *
     * @return the shape of one sample's output, without the batch dimension
     */
    public Shape outputShape() {
        return layers.isEmpty() ? inputShape : outputShapes.get(layers.size() - 1);
    }

    /**
     * The per-sample output shape of layer {@code i}.
     *
     * @param i the layer's index, from 0 to {@link #size()} - 1
     * @return the shape of one sample's output of that layer, without the batch dimension
     * @throws IndexOutOfBoundsException if {@code i} is not a layer's index
     */
    public Shape outputShape(int i) {
        return outputShapes.get(i);
    }

    /**
     * The model's layers, in the order the forward pass runs them.
     *
     * @return an unmodifiable list of the live layers (not copies); the index of a layer in it is the
     *         prefix of its state-dict names
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * One of the model's layers.
     *
     * @param i the layer's index, from 0 to {@link #size()} - 1
     * @return the live layer at that index
     * @throws IndexOutOfBoundsException if {@code i} is not a layer's index
     */
    public Layer layer(int i) {
        return layers.get(i);
    }

    /**
     * The number of layers, parameterless ones (activations, dropout, flatten) included.
     *
     * @return the number of layers, 0 for an empty model
     */
    public int size() {
        return layers.size();
    }

    /**
     * Every trainable parameter by its state-dict name ({@code 0.weight}, ...), in order: all of them
     * but those {@link #freeze frozen}.
     *
     * @return an unmodifiable map, in layer order, of the live parameters (not copies)
     */
    public Map<String, Parameter> namedParameters() {
        return namedParameters;
    }

    /**
     * The number of trainable values in the model, as {@link #summary()} totals them.
     *
     * @return the sum of every layer's {@link Layer#parameterCount()} (buffers such as running means not counted)
     */
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers) {
            n += l.parameterCount();
        }
        return n;
    }

    /**
     * The model's state as PyTorch's {@code nn.Sequential.state_dict()} names it: for each layer in
     * order, its parameters then its buffers, as {@code <index>.<name>}. The tensors are the live
     * ones (not copies): read them to save, write them (e.g. {@link Tensor#copyFrom}) to load.
     *
     * @return a new map, in state-dict order, from each name to the live tensor it names
     */
    public Map<String, Tensor> stateDict() {
        return ModelState.stateDict(layers);
    }

    /**
     * Loads values into {@link #stateDict()}: every name must be present with the right number of
     * values, and no unknown name may appear. Checked before anything is written, so a mismatched
     * state leaves the model unchanged.
     *
     * @param values each state-dict name ({@code 0.weight}, ...) with its values, row-major, as many as the
     *               tensor it names holds
     * @throws IllegalArgumentException listing the missing, unexpected or wrongly sized entries
     */
    public void loadStateDict(Map<String, float[]> values) {
        ModelState.loadStateDict(layers, values);
    }

    /**
     * Loads {@code values} into {@link #stateDict()}, strictly as {@link #loadStateDict(Map)} does, or
     * (with {@code strict} false) only the entries whose names the model has, as PyTorch's
     * {@code load_state_dict(strict=False)}: the way to load a pretrained part (an encoder) into a
     * larger model. Sizes are checked before anything is written either way.
     *
     * @param values each state-dict name with its values, row-major
     * @param strict {@code true} to require exactly the model's names, {@code false} to load the matching ones
     * @return which entries were loaded, which of the model's were missing and which names were ignored
     * @throws IllegalArgumentException if a matching entry has the wrong number of values (or, when strict,
     *                                  a name is missing or unexpected); the model is then unchanged
     */
    public StateDictLoad loadStateDict(Map<String, float[]> values, boolean strict) {
        if (strict) {
            loadStateDict(values);
            return new StateDictLoad(new ArrayList<>(stateDict().keySet()), List.of(), List.of());
        }
        return ModelState.loadMatching(layers, values);
    }

    /**
     * Freezes the parameters named {@code prefix} or starting with {@code prefix + "."} ({@code "0"}
     * for layer 0, {@code "0.encoder1"} for a node of a graph at index 0): they leave
     * {@link #namedParameters()}, so optimizers made or stepped afterwards neither update them nor keep
     * state for them. They stay in the state dict and the model file. When every parameter of the first
     * layers is frozen (a pretrained backbone), backward stops at the first layer with a trainable
     * parameter, as PyTorch's autograd does: the frozen layers before it compute no gradients at all.
     * Further on, a frozen layer still passes the gradient to the layers before it; {@code Dense} and
     * {@code Conv2d} then skip their frozen parameters' gradients ({@link Parameter#requiresGrad()}),
     * other layers compute them unused.
     *
     * @param prefix a parameter name, or the start of some up to a dot
     * @return this model
     * @throws IllegalArgumentException if no parameter has that name or prefix
     */
    public Sequential freeze(String prefix) {
        frozen.addAll(matching(prefix, "freeze"));
        refreshTrainable();
        return this;
    }

    /**
     * Makes frozen parameters trainable again (see {@link #freeze}).
     *
     * @param prefix a parameter name, or the start of some up to a dot
     * @return this model
     * @throws IllegalArgumentException if no parameter has that name or prefix
     */
    public Sequential unfreeze(String prefix) {
        frozen.removeAll(matching(prefix, "unfreeze"));
        refreshTrainable();
        return this;
    }

    /**
     * The names of the frozen parameters.
     *
     * @return a new sorted set
     */
    public java.util.SortedSet<String> frozenParameters() {
        return new TreeSet<>(frozen);
    }

    private List<String> matching(String prefix, String op) {
        List<String> names = new ArrayList<>();
        for (String name : allParameters.keySet()) {
            if (name.equals(prefix) || name.startsWith(prefix + ".")) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(op + ": no parameter is named '" + prefix + "' or starts with '"
                    + prefix + ".'; parameters: " + allParameters.keySet());
        }
        return names;
    }

    private void refreshTrainable() {
        Map<String, Parameter> trainable = new LinkedHashMap<>(allParameters);
        trainable.keySet().removeAll(frozen);
        allParameters.forEach((name, p) -> p.setRequiresGrad(!frozen.contains(name)));
        namedParameters = Collections.unmodifiableMap(trainable);
        refreshBackwardRange();
    }

    /**
     * Where backward starts being needed: the first layer with a trainable parameter, unless the
     * input's gradient is asked for. That layer skips its input gradient; the layers after it pass
     * theirs down.
     */
    private void refreshBackwardRange() {
        int from = 0;
        if (!inputGradientNeeded) {
            from = layers.size();
            for (int i = 0; i < layers.size() && from == layers.size(); i++) {
                for (Parameter p : layers.get(i).parameters()) {
                    if (!frozen.contains(i + "." + p.name())) {
                        from = i;
                        break;
                    }
                }
            }
            from = Math.min(from, Math.max(0, layers.size() - 1));
        }
        backwardFrom = from;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).setInputGradientNeeded(inputGradientNeeded || i > from);
        }
    }

    /**
     * Every layer's {@link Layer#randomState()}, named {@code <layer index>.<name>} like the state dict
     * ({@code 2.seed}, {@code 2.passes} for a Dropout at index 2); empty for a model that draws no
     * random numbers in training. Checkpoints save it so that a resumed run continues each layer's
     * random stream (dropout masks) where it stood.
     *
     * @return a new map from each random-state name to its value, in layer order
     */
    public Map<String, Long> randomState() {
        return ModelState.randomState(layers);
    }

    /**
     * Takes back what {@link #randomState()} gave: every name must be present and no other.
     *
     * @param state what {@link #randomState()} returned, e.g. read back from a checkpoint
     * @throws IllegalArgumentException naming the missing, unexpected or refused entries; the model is then unchanged
     */
    public void restoreRandomState(Map<String, Long> state) {
        ModelState.restoreRandomState(layers, state);
    }

    /**
     * The architecture as plain data, ready for JSON:
     * <pre>{@code {"input_shape": [784], "layers": [{"type": "dense", "config": {"in_features": 784, "units": 256, ...}},
     *                                    {"type": "relu", "config": {}}, ...]}}</pre>
     *
     * @return a new map of plain values (maps, lists, strings, numbers), which {@link #fromArchitecture}
     *         turns back into a model
     */
    public Map<String, Object> architecture() {
        return ModelState.architecture(inputShape, layers);
    }

    /**
     * A Keras-style table of the layers, their output shapes and parameter counts.
     *
     * @return the table, one line per layer, ending with the total parameter count
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(64) + "\n";
        sb.append("Sequential on ").append(backend.name()).append(", input ").append(inputShape).append('\n');
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "%-4s %-26s %-18s %12s%n", "#", "Layer (type)", "Output shape", "Params"));
        sb.append(rule);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            sb.append(String.format(Locale.ROOT, "%-4d %-26s %-18s %,12d%n", i, l.toString(),
                    outputShapes.get(i).toString(), l.parameterCount()));
            if (l instanceof dendrite.nn.graph.Graph g) {
                for (String line : g.summary().split("\n")) {
                    sb.append("     | ").append(line).append('\n');
                }
            }
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", parameterCount()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Sequential" + layers;
    }

    // ------------------------------------------------------------------ passes

    /**
     * The forward pass on a batch {@code [m, input...]}: returns the last layer's output buffer,
     * valid until the next forward. Not thread-safe (see the class comment).
     *
     * @param x        a batch {@code [m, input...]}: {@code m} samples of {@link #inputShape()}
     * @param training {@code true} in training (dropout drops, batch norm uses and updates batch
     *                 statistics), {@code false} for evaluation
     * @return the last layer's output {@code [m, output...]}, a layer-owned buffer valid until the next
     *         forward (the input itself for a model with no layers)
     * @throws IllegalArgumentException if {@code x} is not a batch of samples of the input shape
     */
    public Tensor forward(Tensor x, boolean training) {
        checkBatch("forward", x);
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, training);
            lastOutputs[i] = h;
        }
        return h;
    }

    /**
     * A copy of every layer for predicting on another thread ({@link Layer#replicaForInference}),
     * sharing this model's parameters and buffers, with each pair of layers that can run as one
     * ({@link Layer#fusedForInference}: a convolution and its activation) as one copy; empty when some
     * layer cannot be copied.
     */
    java.util.Optional<List<Layer>> inferenceReplicas() {
        List<Layer> copies = new ArrayList<>(layers.size());
        Shape in = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Shape layerInput = in;
            java.util.Optional<Layer> copy = Scope.unscoped(() -> layer.replicaForInference(backend, layerInput));
            if (copy.isEmpty()) {
                return java.util.Optional.empty();
            }
            copies.add(copy.get());
            in = outputShapes.get(i);
        }
        return java.util.Optional.of(Scope.unscoped(() -> fusedPairs(copies)));
    }

    /** The copies with each pair that {@link Layer#fusedForInference} joins replaced by the joined copy. */
    private static List<Layer> fusedPairs(List<Layer> copies) {
        List<Layer> run = new ArrayList<>(copies.size());
        for (int i = 0; i < copies.size(); i++) {
            java.util.Optional<Layer> pair = i + 1 < copies.size()
                    ? copies.get(i).fusedForInference(copies.get(i + 1)) : java.util.Optional.empty();
            run.add(pair.orElse(copies.get(i)));
            if (pair.isPresent()) {
                i++;
            }
        }
        return run;
    }

    void checkBatch(String op, Tensor x) {
        if (x.rank() != inputShape.rank() + 1 || x.size() != (long) x.dim(0) * inputShape.size()) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " is not a batch of samples of "
                    + inputShape + ", the model's input shape");
        }
    }

    /**
     * The backward pass for the last {@link #forward}: fills every trainable parameter's gradient and
     * returns dL/dx for the input (or {@code null}: the first layer skips it unless
     * {@link #setInputGradientNeeded} asked for it). Leading layers whose parameters are all
     * {@link #freeze frozen}, and those without parameters before them, are not run backward at all.
     *
     * @param dOut dL/dy, the loss's gradient with respect to the last forward's output, of the same
     *             shape {@code [m, output...]}
     * @return dL/dx {@code [m, input...]}, a layer-owned buffer valid until the next backward, or
     *         {@code null} when the input gradient is not needed
     */
    public Tensor backward(Tensor dOut) {
        Tensor g = dOut;
        for (int i = layers.size() - 1; i >= backwardFrom; i--) {
            g = layers.get(i).backward(g);
        }
        return backwardFrom == 0 ? g : null;
    }

    /**
     * Whether {@link #backward} returns dL/dx (off by default; the gradient checker turns it on).
     *
     * @param needed {@code true} to compute the input gradient, {@code false} to let the first layer skip it
     */
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
        refreshBackwardRange();
    }

    /**
     * The output of layer {@code i} in the last forward pass, or {@code null} before any.
     *
     * @param i the layer's index, from 0 to {@link #size()} - 1
     * @return that layer's output buffer {@code [m, output...]} (valid until the next forward), or
     *         {@code null} before the first forward
     */
    public Tensor lastOutput(int i) {
        return lastOutputs[i];
    }

    // ------------------------------------------------------------------ training guard

    /**
     * Marks the model as being trained by the calling thread until the returned handle is closed;
     * {@code predict} from any other thread meanwhile throws {@link IllegalStateException}.
     *
     * @return the lease to close (e.g. in try-with-resources) when training ends
     * @throws IllegalStateException if another thread is training it
     */
    public TrainingLease beginTraining() {
        return guard.begin();
    }

    /** The handle returned by {@link #beginTraining()}. */
    @FunctionalInterface
    public interface TrainingLease extends AutoCloseable {
        @Override
        void close();
    }

    // ------------------------------------------------------------------ prediction

    /**
     * The model's outputs for {@code n} samples given as row-major host values, in batches of
     * {@link #DEFAULT_PREDICT_BATCH}; returns {@code n * outputShape().size()} values.
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of the {@code n} outputs, row-major
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     */
    public float[] predict(float[] features, int n) {
        return prediction.predict(features, n, DEFAULT_PREDICT_BATCH, false);
    }

    /**
     * Class probabilities: the outputs through a softmax (or a sigmoid for a single output), unless
     * the last layer already is a {@link Softmax} or {@link Sigmoid}.
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of {@code n * outputShape().size()} probabilities, row-major, each in [0, 1]
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     */
    public float[] predictProba(float[] features, int n) {
        return prediction.predict(features, n, DEFAULT_PREDICT_BATCH, true);
    }

    /**
     * The predicted class of each sample: the index of the largest output, or for a single output
     * whether it is above the decision boundary (0.5 after a sigmoid, 0 for a logit).
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of {@code n} class indices, from 0 to {@code outputShape().size() - 1} (0 or 1 for
     *         a single output)
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     */
    public int[] predictClasses(float[] features, int n) {
        return prediction.classes(features, n);
    }

    /**
     * The outputs for a batch tensor {@code [n, input...]}, as a new tensor the caller owns.
     *
     * @param x a batch {@code [n, input...]} on this model's backend; left unchanged
     * @return a new tensor {@code [n, output...]} that the caller owns (and frees, or lets its scope free)
     * @throws IllegalArgumentException if {@code x} is not a batch of samples of the input shape
     * @throws IllegalStateException if another thread is training the model
     */
    public Tensor predict(Tensor x) {
        return prediction.predict(x);
    }

    /**
     * A predictor: a copy of this model as it is now, prepared for predicting only, as an ONNX Runtime
     * session or a frozen TorchScript module is. Its dense layers' weights are packed once for the
     * backend's matrix products ({@link Layer#prepareForPrediction}), where {@link #predict} has them
     * packed on every call; a batch is predicted faster, with the same values, bit for bit. Later
     * training or loading of this model does not reach the predictor: make a new one then.
     *
     * @return a new predictor, thread-safe, holding its own copy of the weights (about twice their memory
     *         for dense layers on the vector backend, which keeps them and their packed panels)
     * @throws IllegalStateException if another thread is training the model, or a layer cannot be
     *         rebuilt from {@link #architecture()} (a layer type that is not registered)
     */
    public Predictor predictor() {
        java.util.concurrent.locks.Lock lock = guard.predictions();
        lock.lock();
        try {
            guard.checkNotTrainingElsewhere("predictor");
            Map<String, float[]> state = new LinkedHashMap<>();
            stateDict().forEach((name, t) -> state.put(name, t.toArray()));
            Sequential copy;
            try {
                copy = Scope.unscoped(() -> fromArchitecture(architecture(), backend, 0L));
            } catch (RuntimeException e) {
                throw new IllegalStateException("predictor: the model cannot be rebuilt from its architecture to"
                        + " copy it (" + e.getMessage() + "); predict with the model itself", e);
            }
            copy.loadStateDict(state);
            Scope.unscoped(() -> {
                copy.layers.forEach(Layer::prepareForPrediction);
                return null;
            });
            return new Predictor(copy);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the model's last layer already outputs probabilities.
     *
     * @return {@code true} if the last layer's {@link Layer#outputsProbabilities()} says so (a softmax or
     *         sigmoid); {@code false} for an empty model
     */
    public boolean endsInProbabilities() {
        return !layers.isEmpty() && layers.get(layers.size() - 1).outputsProbabilities();
    }

    // ------------------------------------------------------------------ builder

    /**
     * Adds layers one after another; {@link #build} checks the shapes and allocates the weights.
     * Dense layers without an explicit initializer get the default for the activation that follows
     * them (He for the ReLU family, Xavier otherwise).
     */
    public static final class Builder {
        private final Shape inputShape;
        private final List<Layer> layers = new ArrayList<>();

        private Builder(Shape inputShape) {
            this.inputShape = inputShape;
        }

        /**
         * Appends any layer, including one of your own.
         *
         * @param layer a layer not yet built and not in another model; its input shape is checked at
         *              {@link #build}
         * @return this builder
         */
        public Builder add(Layer layer) {
            layers.add(layer);
            return this;
        }

        /**
         * A fully connected layer with {@code units} outputs (inputs from the previous layer).
         *
         * @param units the number of outputs per sample, at least 1
         * @return this builder
         */
        public Builder dense(int units) {
            return add(new Dense(units));
        }

        /**
         * A fully connected layer with a fused activation (ReLU, sigmoid or tanh), one layer index
         * instead of two; see {@link Dense} for what that means for PyTorch names.
         *
         * @param units the number of outputs per sample, at least 1
         * @param fused {@link Activation#IDENTITY}, {@link Activation#RELU}, {@link Activation#SIGMOID} or
         *              {@link Activation#TANH}; others throw {@link IllegalArgumentException}
         * @return this builder
         */
        public Builder dense(int units, Activation fused) {
            return add(new Dense(-1, units, true, null, fused));
        }

        /**
         * A fully connected layer with an explicit weight initializer.
         *
         * @param units the number of outputs per sample, at least 1
         * @param init  the weights' initializer (e.g. from {@link Initializers}), or {@code null} for the
         *              default of the activation that follows
         * @return this builder
         */
        public Builder dense(int units, Initializer init) {
            return add(new Dense(-1, units, true, init));
        }

        /**
         * A fully connected layer with or without a bias (PyTorch's {@code nn.Linear(in, units, bias=False)}).
         *
         * @param units the number of outputs per sample, at least 1
         * @param bias  whether the layer adds a bias (and has a {@code bias} parameter)
         * @return this builder
         */
        public Builder dense(int units, boolean bias) {
            return add(new Dense(-1, units, bias, null));
        }

        /**
         * A ReLU, {@code max(x, 0)}: PyTorch's {@code nn.ReLU()}.
         *
         * @return this builder
         */
        public Builder relu() {
            return add(new ReLU());
        }

        /**
         * A leaky ReLU with PyTorch's default negative slope, 0.01.
         *
         * @return this builder
         */
        public Builder leakyRelu() {
            return add(new LeakyReLU());
        }

        /**
         * A leaky ReLU: {@code x} for positive x, {@code slope * x} otherwise.
         *
         * @param slope the factor applied to negative inputs (PyTorch's {@code negative_slope}), usually small
         *              and positive
         * @return this builder
         */
        public Builder leakyRelu(float slope) {
            return add(new LeakyReLU(slope));
        }

        /**
         * A leaky ReLU whose negative slope is learned, one slope for the whole layer starting at 0.25:
         * PyTorch's {@code nn.PReLU()}.
         *
         * @return this builder
         */
        public Builder prelu() {
            return add(new PReLU());
        }

        /**
         * A leaky ReLU with a learned negative slope per channel (the sample's first dimension), each
         * starting at 0.25: PyTorch's {@code nn.PReLU(num_parameters=channels)}.
         *
         * @param numParameters the channel count, or 1 for one slope
         * @return this builder
         * @throws IllegalArgumentException if {@code numParameters} is below 1
         */
        public Builder prelu(int numParameters) {
            return add(new PReLU(numParameters, 0.25));
        }

        /**
         * {@code min(max(x, -1), 1)}: PyTorch's {@code nn.Hardtanh()}.
         *
         * @return this builder
         */
        public Builder hardtanh() {
            return add(new Hardtanh());
        }

        /**
         * {@code min(max(x, minValue), maxValue)}: PyTorch's {@code nn.Hardtanh(min_val, max_val)}.
         *
         * @param minValue the lower bound
         * @param maxValue the upper bound, above {@code minValue}
         * @return this builder
         * @throws IllegalArgumentException if a bound is NaN or the bounds are out of order
         */
        public Builder hardtanh(double minValue, double maxValue) {
            return add(new Hardtanh(minValue, maxValue));
        }

        /**
         * {@code scale * x + offset} on every value: Keras's {@code Rescaling}, e.g. {@code rescaling(1 / 255.0, 0)}
         * to bring pixels into [0, 1] inside the model.
         *
         * @param scale  the factor, finite
         * @param offset the number added after, finite
         * @return this builder
         * @throws IllegalArgumentException if either is not a finite float
         */
        public Builder rescaling(double scale, double offset) {
            return add(new Rescaling(scale, offset));
        }

        /**
         * {@code min(max(x, 0), 6)}: PyTorch's {@code nn.ReLU6()} (MobileNet's activation).
         *
         * @return this builder
         */
        public Builder relu6() {
            return add(new ReLU6());
        }

        /**
         * A logistic sigmoid, {@code 1 / (1 + e^-x)}: PyTorch's {@code nn.Sigmoid()}.
         *
         * @return this builder
         */
        public Builder sigmoid() {
            return add(new Sigmoid());
        }

        /**
         * A hyperbolic tangent: PyTorch's {@code nn.Tanh()}.
         *
         * @return this builder
         */
        public Builder tanh() {
            return add(new Tanh());
        }

        /**
         * The exact GELU, {@code x Phi(x)}: PyTorch's {@code nn.GELU()}.
         *
         * @return this builder
         */
        public Builder gelu() {
            return add(new GELU());
        }

        /**
         * The GELU in the given form: PyTorch's {@code nn.GELU(approximate='none' or 'tanh')}.
         *
         * @param approximate {@link GELU.Approximate#NONE} for the exact form, {@link GELU.Approximate#TANH}
         *                    for the tanh approximation
         * @return this builder
         */
        public Builder gelu(GELU.Approximate approximate) {
            return add(new GELU(approximate));
        }

        /**
         * A SiLU, {@code x sigmoid(x)}: PyTorch's {@code nn.SiLU()}, Keras' {@code swish}.
         *
         * @return this builder
         */
        public Builder silu() {
            return add(new SiLU());
        }

        /**
         * A softplus, {@code ln(1 + e^x)}: PyTorch's {@code nn.Softplus()}; positive outputs.
         *
         * @return this builder
         */
        public Builder softplus() {
            return add(new Softplus());
        }

        /**
         * An ELU with PyTorch's default alpha, 1: {@code x} for positive x, {@code e^x - 1} otherwise.
         *
         * @return this builder
         */
        public Builder elu() {
            return add(new ELU());
        }

        /**
         * An ELU: {@code x} for positive x, {@code alpha (e^x - 1)} otherwise; PyTorch's {@code nn.ELU(alpha)}.
         *
         * @param alpha the scale of the negative side, which approaches {@code -alpha}; finite
         * @return this builder
         * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
         */
        public Builder elu(float alpha) {
            return add(new ELU(alpha));
        }

        /**
         * A SELU, {@code scale (x if x > 0 else alpha (e^x - 1))}: PyTorch's {@code nn.SELU()}. A layer
         * before it is initialized LeCun normal unless given an initializer, as SELU needs.
         *
         * @return this builder
         */
        public Builder selu() {
            return add(new SELU());
        }

        /**
         * A Mish, {@code x tanh(softplus(x))}: PyTorch's {@code nn.Mish()}.
         *
         * @return this builder
         */
        public Builder mish() {
            return add(new Mish());
        }

        /**
         * A hard swish, {@code x min(max(x + 3, 0), 6) / 6}: PyTorch's {@code nn.Hardswish()}.
         *
         * @return this builder
         */
        public Builder hardswish() {
            return add(new Hardswish());
        }

        /**
         * A softmax along the last axis: PyTorch's {@code nn.Softmax(dim=-1)}.
         *
         * @return this builder
         */
        public Builder softmax() {
            return add(new Softmax());
        }

        /**
         * A log-softmax along the last axis, {@code x - max - ln sum e^(x - max)}: PyTorch's
         * {@code nn.LogSoftmax(dim=-1)}, the layer before {@code Losses.nll()}.
         *
         * @return this builder
         */
        public Builder logSoftmax() {
            return add(new LogSoftmax());
        }

        /**
         * PyTorch's {@code nn.Embedding(vocab, dim)}: each sample's token ids {@code [time]} become
         * {@code [time, dim]}; it comes first in a model.
         *
         * @param vocab the number of token ids, at least 1: ids run from 0 to {@code vocab - 1}
         * @param dim   the length of each id's vector, at least 1
         * @return this builder
         */
        public Builder embedding(int vocab, int dim) {
            return add(new dendrite.nn.layers.Embedding(vocab, dim));
        }

        /**
         * An embedding whose {@code paddingIndex} row stays zero and learns nothing (padding).
         *
         * @param vocab        the number of token ids, at least 1: ids run from 0 to {@code vocab - 1}
         * @param dim          the length of each id's vector, at least 1
         * @param paddingIndex the id used for padding, from 0 to {@code vocab - 1}, or -1 for none
         * @return this builder
         */
        public Builder embedding(int vocab, int dim, int paddingIndex) {
            return add(new dendrite.nn.layers.Embedding(vocab, dim, paddingIndex));
        }

        /**
         * An LSTM of {@code hidden} units on {@code [time, features]} samples, giving the last step's state.
         *
         * @param hidden the size of the hidden state, at least 1
         * @return this builder
         */
        public Builder lstm(int hidden) {
            return add(new dendrite.nn.layers.LSTM(-1, hidden, false));
        }

        /**
         * An LSTM giving every step's state ({@code [time, hidden]}) or the last one's ({@code [hidden]}).
         *
         * @param hidden          the size of the hidden state, at least 1
         * @param returnSequences {@code true} to output every step's state, {@code false} for the last step's
         * @return this builder
         */
        public Builder lstm(int hidden, boolean returnSequences) {
            return add(new dendrite.nn.layers.LSTM(-1, hidden, returnSequences));
        }

        /**
         * A GRU of {@code hidden} units on {@code [time, features]} samples, giving the last step's state.
         *
         * @param hidden the size of the hidden state, at least 1
         * @return this builder
         */
        public Builder gru(int hidden) {
            return add(new dendrite.nn.layers.GRU(-1, hidden, false));
        }

        /**
         * A GRU giving every step's state ({@code [time, hidden]}) or the last one's ({@code [hidden]}).
         *
         * @param hidden          the size of the hidden state, at least 1
         * @param returnSequences {@code true} to output every step's state, {@code false} for the last step's
         * @return this builder
         */
        public Builder gru(int hidden, boolean returnSequences) {
            return add(new dendrite.nn.layers.GRU(-1, hidden, returnSequences));
        }

        /**
         * A tanh RNN (PyTorch's {@code nn.RNN}) of {@code hidden} units, giving every step's state or the last one's.
         *
         * @param hidden          the size of the hidden state, at least 1
         * @param returnSequences {@code true} to output every step's state ({@code [time, hidden]}),
         *                        {@code false} for the last step's ({@code [hidden]})
         * @return this builder
         */
        public Builder rnn(int hidden, boolean returnSequences) {
            return add(new dendrite.nn.layers.SimpleRNN(-1, hidden, returnSequences, dendrite.tensor.op.Activation.TANH));
        }

        /**
         * Inverted dropout that drops each value with probability {@code p} in training.
         *
         * @param p the probability of dropping a value, in [0, 1)
         * @return this builder
         */
        public Builder dropout(double p) {
            return add(new Dropout(p));
        }

        /**
         * BatchNorm1d with PyTorch's defaults (eps 1e-5, momentum 0.1).
         *
         * @return this builder
         */
        public Builder batchNorm() {
            return add(new BatchNorm1d());
        }

        /**
         * BatchNorm1d with PyTorch's {@code momentum} and {@code eps} given.
         *
         * @param momentum the weight of each batch's statistics in the running ones, in PyTorch's sense
         *                 ({@code running = (1 - momentum) running + momentum batch}), e.g. 0.1
         * @param eps      the small positive value added to the variance before its square root, e.g. 1e-5
         * @return this builder
         */
        public Builder batchNorm(double momentum, double eps) {
            return add(new BatchNorm1d(eps, momentum));
        }

        /**
         * A {@code kernel x kernel} convolution with {@code outChannels} filters, stride 1, no padding.
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the side of the square kernel in pixels, at least 1
         * @return this builder
         */
        public Builder conv2d(int outChannels, int kernel) {
            return add(new Conv2d(outChannels, kernel));
        }

        /**
         * A square convolution with the given stride and padding on every side.
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the side of the square kernel in pixels, at least 1
         * @param stride      the step between windows in pixels, both ways, at least 1
         * @param padding     the zero pixels added on every side, at least 0
         * @return this builder
         */
        public Builder conv2d(int outChannels, int kernel, int stride, int padding) {
            return add(new Conv2d(-1, outChannels, kernel, kernel, stride, stride, padding, padding, false, 1, 1, 1,
                    true, null));
        }

        /**
         * A square convolution, stride 1, padded so the output keeps the input's size (PyTorch's {@code 'same'}).
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the side of the square kernel in pixels, odd (an even kernel would pad one side
         *                    more than the other, which throws {@link IllegalArgumentException})
         * @return this builder
         */
        public Builder conv2dSame(int outChannels, int kernel) {
            return add(new Conv2d(-1, outChannels, kernel, kernel, 1, 1, 0, 0, true, 1, 1, 1, true, null));
        }

        /**
         * Channel dropout for images: each channel of each image dropped whole with probability {@code p} in training.
         *
         * @param p the probability of dropping a channel, in [0, 1)
         * @return this builder
         */
        public Builder dropout2d(double p) {
            return add(new Dropout2d(p));
        }

        /**
         * BatchNorm2d with PyTorch's defaults (eps 1e-5, momentum 0.1): per channel of images.
         *
         * @return this builder
         */
        public Builder batchNorm2d() {
            return add(new BatchNorm2d());
        }

        /**
         * BatchNorm2d with PyTorch's {@code momentum} and {@code eps} given.
         *
         * @param momentum the weight of each batch's statistics in the running ones, in PyTorch's sense
         *                 ({@code running = (1 - momentum) running + momentum batch}), e.g. 0.1
         * @param eps      the small positive value added to the variance before its square root, e.g. 1e-5
         * @return this builder
         */
        public Builder batchNorm2d(double momentum, double eps) {
            return add(new BatchNorm2d(eps, momentum));
        }

        /**
         * A transposed convolution (upsampling): {@code outChannels} filters of {@code kernel x kernel}, stride as
         * given.
         *
         * @param outChannels the number of output channels, at least 1
         * @param kernel      the side of the square kernel in pixels, at least 1
         * @param stride      the upsampling factor, at least 1 (2 about doubles each side)
         * @return this builder
         */
        public Builder convTranspose2d(int outChannels, int kernel, int stride) {
            return add(new ConvTranspose2d(outChannels, kernel, stride));
        }

        /**
         * Max pooling over {@code kernel x kernel} windows moved by their own size.
         *
         * @param kernel the side of the square window in pixels, and its stride, at least 1
         * @return this builder
         */
        public Builder maxPool2d(int kernel) {
            return add(new MaxPool2d(kernel));
        }

        /**
         * Average pooling over {@code kernel x kernel} windows moved by their own size.
         *
         * @param kernel the side of the square window in pixels, and its stride, at least 1
         * @return this builder
         */
        public Builder avgPool2d(int kernel) {
            return add(new AvgPool2d(kernel));
        }

        /**
         * Enlarges images {@code [C, H, W]} to {@code [C, H * scale, W * scale]} by repeating each pixel: PyTorch's
         * {@code nn.Upsample(scale_factor=scale)}, Keras' {@code UpSampling2D(scale)}. With a convolution after it,
         * the upsampling step of a decoder, U-Net or GAN generator.
         *
         * @param scale the factor on height and width, at least 1
         * @return this builder
         */
        public Builder upsample2d(int scale) {
            return add(new Upsample2d(scale));
        }

        /**
         * Enlarges images {@code [C, H, W]} to {@code [C, H * scale, W * scale]} in {@code mode}: PyTorch's
         * {@code nn.Upsample(scale_factor=scale, mode=...)}, bilinear with its default {@code align_corners=False}
         * (for other factors per side or aligned corners, {@code add(new Upsample2d(...))}).
         *
         * @param scale the factor on height and width, at least 1
         * @param mode  nearest (repeated pixels) or bilinear (smooth)
         * @return this builder
         */
        public Builder upsample2d(int scale, Upsample2d.Mode mode) {
            return add(new Upsample2d(scale, mode));
        }

        /**
         * A 1-D convolution with {@code outChannels} filters of {@code kernel} taps, stride 1, no padding, on
         * sequences {@code [channels, length]} (channels first, as PyTorch's {@code nn.Conv1d}; start the model
         * with {@code builder(channels, length)}, or after an embedding or a recurrent layer, whose sequences
         * are {@code [time, features]}, add {@link #transpose()} first).
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the kernel's length in steps, at least 1
         * @return this builder
         */
        public Builder conv1d(int outChannels, int kernel) {
            return add(new Conv1d(outChannels, kernel));
        }

        /**
         * A 1-D convolution with the given stride and padding at each end.
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the kernel's length in steps, at least 1
         * @param stride      the step between windows, at least 1
         * @param padding     the zeros added at each end, at least 0
         * @return this builder
         */
        public Builder conv1d(int outChannels, int kernel, int stride, int padding) {
            return add(new Conv1d(-1, outChannels, kernel, stride, padding, false, 1, 1, true, null));
        }

        /**
         * A 1-D convolution, stride 1, padded so the output keeps the input's length (PyTorch's {@code 'same'}).
         *
         * @param outChannels the number of filters (output channels), at least 1
         * @param kernel      the kernel's length in steps, odd (an even kernel would pad one end more than
         *                    the other, which throws {@link IllegalArgumentException})
         * @return this builder
         */
        public Builder conv1dSame(int outChannels, int kernel) {
            return add(new Conv1d(-1, outChannels, kernel, 1, 0, true, 1, 1, true, null));
        }

        /**
         * Max pooling over windows of {@code kernel} steps moved by their own size, on {@code [channels, length]}.
         *
         * @param kernel the window's length in steps, and its stride, at least 1
         * @return this builder
         */
        public Builder maxPool1d(int kernel) {
            return add(new MaxPool1d(kernel));
        }

        /**
         * Average pooling over windows of {@code kernel} steps moved by their own size, on
         * {@code [channels, length]}.
         *
         * @param kernel the window's length in steps, and its stride, at least 1
         * @return this builder
         */
        public Builder avgPool1d(int kernel) {
            return add(new AvgPool1d(kernel));
        }

        /**
         * Each channel's mean over the image ({@code [C, H, W]} to {@code [C, 1, 1]}).
         *
         * @return this builder
         */
        public Builder globalAvgPool2d() {
            return add(new GlobalAvgPool2d());
        }

        /**
         * Flattens each sample to one dimension, e.g. {@code [C, H, W]} to {@code [C * H * W]}, as before a
         * dense layer: PyTorch's {@code nn.Flatten()}.
         *
         * @return this builder
         */
        public Builder flatten() {
            return add(new Flatten());
        }

        /**
         * Gives each sample a new shape with the same number of values (a view, nothing is copied).
         *
         * @param shape the new per-sample dimensions, without the batch dimension; one may be -1 to be inferred
         * @return this builder
         */
        public Builder reshape(int... shape) {
            return add(new Reshape(shape));
        }

        /**
         * Swaps the two axes of each sample, {@code [a, b]} to {@code [b, a]}: from sequences
         * {@code [time, features]} (an embedding's or a recurrent layer's) to {@code [channels, length]} for
         * {@link #conv1d}, and back.
         *
         * @return this builder
         */
        public Builder transpose() {
            return add(new Transpose());
        }

        /**
         * Group normalization of each sample's channels (images {@code [C, H, W]}, sequences {@code [C, L]}):
         * PyTorch's {@code nn.GroupNorm(groups, channels)}, the channels taken from the input.
         *
         * @param groups the number of groups, dividing the channels
         * @return this builder
         */
        public Builder groupNorm(int groups) {
            return add(new GroupNorm(groups));
        }

        /**
         * The activation layer for {@code act} ({@link Activation#IDENTITY} adds nothing).
         *
         * @param act the activation: identity, ReLU, leaky ReLU (slope 0.01), sigmoid, tanh, GELU (exact or
         *            tanh), softplus, SiLU, ELU (alpha 1), SELU, Mish or hard swish
         * @return this builder
         * @throws IllegalArgumentException for an activation that has no layer
         */
        public Builder activation(Activation act) {
            return switch (act) {
                case IDENTITY -> this;
                case RELU -> relu();
                case LEAKY_RELU -> leakyRelu();
                case SIGMOID -> sigmoid();
                case TANH -> tanh();
                case GELU -> gelu();
                case GELU_TANH -> gelu(GELU.Approximate.TANH);
                case SILU -> silu();
                case SOFTPLUS -> softplus();
                case ELU -> elu();
                case SELU -> selu();
                case MISH -> mish();
                case HARDSWISH -> hardswish();
                default -> throw new IllegalArgumentException("no activation layer for " + act.label());
            };
        }

        /**
         * The state-dict shapes the built model will have ({@code 0.weight} {@code [out, in]}, ...,
         * in {@link Sequential#stateDict()} order), without allocating anything: what a model file is
         * checked against before its model is built. Empty when a layer does not declare its shapes
         * (see {@link Layer#stateShapes}).
         *
         * @return each state-dict name with a fresh copy of its dimensions, in state-dict order; empty when
         *         some layer does not declare its shapes
         * @throws ModelShapeException naming the first layer that cannot take its input, as {@link #build} would
         */
        public Optional<Map<String, int[]>> stateShapes() {
            List<Shape> shapes = outputShapes(inputShape, layers);
            Map<String, int[]> all = new LinkedHashMap<>();
            for (int i = 0; i < layers.size(); i++) {
                Optional<Map<String, int[]>> declared = layers.get(i).stateShapes(i == 0 ? inputShape : shapes.get(i - 1));
                if (declared.isEmpty()) {
                    return Optional.empty();
                }
                for (Map.Entry<String, int[]> e : declared.get().entrySet()) {
                    all.put(i + "." + e.getKey(), e.getValue().clone());
                }
            }
            return Optional.of(all);
        }

        /**
         * Checks the shapes and builds every layer on {@code backend}, with weights drawn from
         * {@code seed} (the same seed gives the same weights on every backend).
         *
         * @param backend the backend that allocates the parameters and buffers and runs the passes
         * @param seed    the seed every layer's initial weights (and random streams, e.g. dropout's) derive
         *                from
         * @return the built model
         * @throws ModelShapeException naming the first layer that cannot take its input
         */
        public Sequential build(Backend backend, long seed) {
            return new Sequential(backend, inputShape, layers, seed);
        }
    }
}
