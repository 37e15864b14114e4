package dendrite.nn.layers;

import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.PackedWeights;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fully connected layer: {@code y = x W^T + b}, with W of shape {@code [out, in]} as in PyTorch's
 * {@code nn.Linear}, so weights interchange without transposing.
 *
 * <p>Backward, for dY = dL/dy of shape [m, out]:
 * <pre>
 *   dW = dY^T x      [out, in]
 *   db = sum_rows dY [out]
 *   dx = dY W        [m, in]
 * </pre>
 * Sequences of {@code [time, features]} samples are taken as PyTorch's {@code nn.Linear} takes any
 * leading dimensions: each time step goes through the same weights (Keras's {@code TimeDistributed}),
 * the {@code m * time} rows forming one product. Images ({@code [channels, h, w]}) are refused with
 * a hint to flatten them first, the usual intent.
 *
 * <p>The weights start from the given {@link Initializer}, or, when none is given, from the default for
 * the activation that follows (a {@code Sequential} tells the layer which, see
 * {@link #followedBy}); the bias starts at zero unless the initializer fills it too (as
 * {@code Initializers.pytorch()} does).
 *
 * <h2>Fused activation</h2>
 * A Dense may apply ReLU, sigmoid or tanh itself ({@code y = act(x W^T + b)}), which lets the backend
 * fuse it into the matrix product's store. Backward then starts with {@code dz = dy * act'(z)}, computed
 * from the output alone. A fused activation takes no layer index, so such a model's state-dict names
 * differ from a PyTorch {@code nn.Sequential} with separate activation modules: the builder keeps
 * activations as separate layers unless asked.
 */
public final class Dense implements Layer {
    private final int units;
    private int inFeatures;
    private final boolean useBias;
    private final Activation activation;
    private Initializer initializer;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer dz;
    private Tensor lastInput;                  // [rows, in]: a sequence's steps seen as rows
    private Tensor lastOutput;                 // [rows, units]
    private final ViewCache inputRows = new ViewCache();   // one per tensor viewed: no view made per step
    private final ViewCache outputRows = new ViewCache();
    private final ViewCache gradRows = new ViewCache();
    private final ViewCache dzRows = new ViewCache();
    private final ViewCache dxRows = new ViewCache();
    private boolean inputGradientNeeded = true;
    /** The weights packed for prediction ({@link #prepareForPrediction}), or null. */
    private PackedWeights packed;

    /**
     * {@code units} outputs; the number of inputs is taken from the previous layer.
     *
     * @param units the number of outputs per sample, at least 1
     */
    public Dense(int units) {
        this(-1, units, true, null);
    }

    /**
     * PyTorch's {@code Linear(inFeatures, units)}: the input size is checked when the model is built.
     *
     * @param inFeatures the number of inputs per sample, at least 1 (or -1 to take it from the previous layer)
     * @param units      the number of outputs per sample, at least 1
     */
    public Dense(int inFeatures, int units) {
        this(inFeatures, units, true, null);
    }

    /**
     * A Dense layer with or without a bias and with a chosen initializer, no fused activation.
     *
     * @param inFeatures  inputs per sample, or -1 to take them from the previous layer
     * @param units       outputs per sample, at least 1
     * @param useBias     whether to add a bias
     * @param initializer the weights' initializer, or {@code null} for the default of the following activation
     */
    public Dense(int inFeatures, int units, boolean useBias, Initializer initializer) {
        this(inFeatures, units, useBias, initializer, Activation.IDENTITY);
    }

    /**
     * A Dense with a fused activation: {@link Activation#IDENTITY}, {@link Activation#RELU},
     * {@link Activation#SIGMOID} or {@link Activation#TANH} (those whose derivative needs only the output).
     *
     * @param inFeatures  inputs per sample, or -1 to take them from the previous layer
     * @param units       outputs per sample, at least 1
     * @param useBias     whether to add a bias
     * @param initializer the weights' initializer, or {@code null} for the default of the fused activation
     * @param activation  the activation applied to {@code x W^T + b}, one of the four above
     * @throws IllegalArgumentException if {@code units} is below 1 or the activation cannot be fused
     */
    public Dense(int inFeatures, int units, boolean useBias, Initializer initializer, Activation activation) {
        if (activation != Activation.IDENTITY && activation != Activation.RELU && activation != Activation.SIGMOID
                && activation != Activation.TANH) {
            throw new IllegalArgumentException("dense: activation " + activation.label() + " cannot be fused (its"
                    + " derivative needs the pre-activation); add it as a separate layer");
        }
        this.activation = activation;
        if (units <= 0) {
            throw new IllegalArgumentException("dense: units must be positive, got " + units);
        }
        this.inFeatures = inFeatures;
        this.units = units;
        this.useBias = useBias;
        this.initializer = initializer;
    }

    /**
     * Builds a Dense from its {@link #config()}.
     *
     * @param c the config: {@code units}, and optionally {@code in_features}, {@code use_bias} (default true),
     *          {@code activation} (default identity) and {@code weight_init} (an initializer's name)
     * @return a new, unbuilt Dense layer
     * @throws IllegalArgumentException if a required key is missing or a value has the wrong type
     */
    public static Dense fromConfig(Map<String, ?> c) {
        String init = Configs.stringValue(c, "dense", "weight_init", null);
        String act = Configs.stringValue(c, "dense", "activation", "identity");
        return new Dense(c.containsKey("in_features") ? Configs.intValue(c, "dense", "in_features") : -1,
                Configs.intValue(c, "dense", "units"), Configs.booleanValue(c, "dense", "use_bias", true),
                init == null ? null : Initializers.byName(init),
                Activation.valueOf(act.toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * Sets the initializer used when none was given explicitly (no effect otherwise, nor with a fused
     * activation, whose own default applies).
     *
     * @param init the initializer to use for the weights unless one was given explicitly
     */
    public void setDefaultInitializer(Initializer init) {
        if (initializer == null && activation == Activation.IDENTITY) {
            initializer = init;
        }
    }

    /** Without an explicit initializer, the default for the activation that follows. */
    @Override
    public void followedBy(Layer next) {
        setDefaultInitializer(Initializers.defaultFor(next == null ? null : next.type()));
    }

    @Override
    public String type() {
        return "dense";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (inFeatures > 0) {
            c.put("in_features", inFeatures);
        }
        c.put("units", units);
        c.put("use_bias", useBias);
        if (activation != Activation.IDENTITY) {
            c.put("activation", activation.label());
        }
        if (initializer != null) {
            c.put("weight_init", initializer.name());
        }
        return c;
    }

    /**
     * The number of outputs per sample.
     *
     * @return the {@code units} given at construction, at least 1
     */
    public int units() {
        return units;
    }

    /**
     * The fused activation ({@link Activation#IDENTITY} for none).
     *
     * @return the activation applied inside this layer
     */
    public Activation activation() {
        return activation;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1 && in.rank() != 2) {
            throw new LayerShapeException(inFeatures > 0 ? "[" + inFeatures + "] (or [time, " + inFeatures + "])"
                    : "a flat [features] vector (or [time, features])", in, "add flatten() before this layer");
        }
        int features = in.dim(in.rank() - 1);
        if (inFeatures > 0 && features != inFeatures) {
            throw new LayerShapeException("[" + inFeatures + "]", in,
                    "make this layer Dense(" + features + ", " + units + "), or change the previous layer to "
                            + inFeatures + " outputs");
        }
        return in.rank() == 1 ? Shape.of(units) : Shape.of(in.dim(0), units);
    }

    /** {@code weight [units, in]} and, with a bias, {@code bias [units]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("weight", new int[] {units, in.dim(in.rank() - 1)});
        if (useBias) {
            shapes.put("bias", new int[] {units});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        this.be = backend;
        this.inFeatures = inputShape.dim(inputShape.rank() - 1);
        if (initializer == null) {
            initializer = Initializers.defaultFor(activation.label());
        }
        weight = new Parameter("weight", backend, Shape.of(units, inFeatures));
        initializer.initialize(backend, weight.value(), inFeatures, units, seed);
        bias = useBias ? new Parameter("bias", backend, Shape.of(units)) : null;
        if (bias != null) {
            initializer.initializeBias(backend, bias.value(), inFeatures, units, seed);
        }
        allocateBuffers(backend, inputShape);
    }

    private void allocateBuffers(Backend backend, Shape inputShape) {
        Shape outShape = outputShape(inputShape);
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, inputShape);
        dz = activation == Activation.IDENTITY ? null : new BatchBuffer(backend, outShape);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        Dense copy = (Dense) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.inFeatures = inFeatures;
        copy.weight = weight;
        copy.bias = bias;
        copy.packed = packed;
        copy.allocateBuffers(backend, inputShape);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = out.get(x.dim(0));
        int rows = x.size() / inFeatures;                                   // m, or m * time for sequences
        lastInput = x.rank() == 2 ? x : inputRows.rows(x, rows, inFeatures);
        lastOutput = y.rank() == 2 ? y : outputRows.rows(y, rows, units);
        if (packed == null) {
            be.linear(lastInput, weight.value(), useBias ? bias.value() : null, activation, 0f, lastOutput);
        } else if (!training) {
            be.linear(lastInput, packed, useBias ? bias.value() : null, activation, 0f, lastOutput);
        } else {
            throw new IllegalStateException("dense: this layer was prepared for prediction only (a Predictor's"
                    + " copy of a model); train the model the predictor was made from, then make a new predictor");
        }
        return y;
    }

    /** Packs the weights once ({@code Backend.packWeights}): the backend no longer packs them on every call. */
    @Override
    public void prepareForPrediction() {
        if (packed == null) {
            packed = Scope.unscoped(() -> be.packWeights(weight.value()));
        }
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int rows = lastOutput.dim(0);
        Tensor dY = dOut.rank() == 2 ? dOut : gradRows.rows(dOut, rows, units);
        if (activation != Activation.IDENTITY) {                            // dz = dy * act'(z), from y alone
            Tensor dz2 = dz.get(dOut.dim(0));
            dY = dz2.rank() == 2 ? dz2 : dzRows.rows(dz2, rows, units);
            be.activationBackward(activation, 0f, lastOutput, lastOutput, dOut.rank() == 2 ? dOut
                    : gradRows.rows(dOut, rows, units), dY);
        }
        if (weight.requiresGrad()) {                                         // not frozen
            be.gemm(true, false, 1f, dY, lastInput, 0f, weight.grad());      // dW = dY^T x
        }
        if (useBias && bias.requiresGrad()) {
            be.reduce(ReduceOp.SUM, dY, 0, bias.grad());                     // db = sum over rows of dY
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(dOut.dim(0));
        be.gemm(false, false, 1f, dY, weight.value(), 0f, dX.rank() == 2 ? dX : dxRows.rows(dX, rows, inFeatures));
        return dX;                                                           // dx = dY W
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return (long) units * Math.max(inFeatures, 0) + (useBias ? units : 0);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return "Dense(" + (inFeatures > 0 ? inFeatures + ", " : "") + units
                + (activation == Activation.IDENTITY ? "" : ", " + activation.label()) + ")";
    }
}
