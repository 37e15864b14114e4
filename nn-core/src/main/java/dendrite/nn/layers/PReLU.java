package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A leaky ReLU whose negative slope is learned (He et al. 2015), PyTorch's
 * {@code nn.PReLU(num_parameters, init)}: {@code y = x} for positive x, {@code a x} otherwise, with one
 * slope {@code a} for the whole layer ({@code num_parameters} 1, the default) or one per channel, the
 * sample's first dimension ({@code [channels]}, {@code [channels, length]} or
 * {@code [channels, height, width]}). The parameter is {@code weight}, {@code [num_parameters]}, as in
 * PyTorch, starting at {@code init} (0.25).
 *
 * <p>Backpropagation: {@code dx = dy} where {@code x > 0} and {@code a dy} elsewhere (x = 0 included,
 * as PyTorch), and {@code da = sum dy min(x, 0)} over the positions that slope serves. Everything runs
 * on the backend's element-wise operations: the input is seen as one row per (sample, channel), and a
 * per-channel slope is repeated down a column so that it broadcasts along each row.
 *
 * <p>PyTorch's documentation advises against weight decay on {@code a}: it pushes the slope to 0, a
 * plain ReLU. Dendrite's optimizers decay every parameter, so keep weight decay small with PReLU.
 */
public final class PReLU implements Layer {
    private final int numParameters;
    private final float init;

    private Backend be;
    private Shape sample;
    private int channels;
    private int inner;
    private Parameter weight;
    /** Row r of the {@code [batch * channels, inner]} view uses channel {@code r % channels}'s slope. */
    private int[] channelOfRow = new int[0];
    private BatchBuffer slopes;
    private BatchBuffer out;
    private BatchBuffer positive;
    private BatchBuffer negative;
    private BatchBuffer scratch;
    private BatchBuffer dx;
    private BatchBuffer rowTotals;
    private final ViewCache inputRows = new ViewCache();
    private final ViewCache outputRows = new ViewCache();
    private final ViewCache gradientRows = new ViewCache();
    private final ViewCache dxRows = new ViewCache();
    private final ViewCache positiveRows = new ViewCache();
    private final ViewCache negativeRows = new ViewCache();
    private final ViewCache scratchRows = new ViewCache();
    private final ViewCache slopeRows = new ViewCache();
    private final ViewCache weightColumn = new ViewCache();
    private Tensor lastInput;
    private int lastBatch;
    private boolean inputGradientNeeded = true;

    /** PyTorch's defaults: one slope for the whole layer, starting at 0.25. */
    public PReLU() {
        this(1, 0.25);
    }

    /**
     * PyTorch's {@code nn.PReLU(num_parameters, init)}.
     *
     * @param numParameters 1 for one slope shared by every input, or the number of channels (the sample's first
     *                      dimension), checked when the model is built
     * @param init          the slopes' starting value, finite, e.g. 0.25
     * @throws IllegalArgumentException if {@code numParameters} is below 1 or {@code init} is not finite
     */
    public PReLU(int numParameters, double init) {
        if (numParameters < 1) {
            throw new IllegalArgumentException("prelu: num_parameters must be at least 1, got " + numParameters);
        }
        if (!Double.isFinite(init)) {
            throw new IllegalArgumentException("prelu: init must be a finite number, got " + init);
        }
        this.numParameters = numParameters;
        this.init = (float) init;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: optionally {@code num_parameters} (default 1) and {@code init} (default 0.25)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value has the wrong type or is out of range
     */
    public static PReLU fromConfig(Map<String, ?> c) {
        return new PReLU(c.containsKey("num_parameters") ? Configs.intValue(c, "prelu", "num_parameters") : 1,
                Configs.doubleValue(c, "prelu", "init", 0.25));
    }

    @Override
    public String type() {
        return "prelu";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_parameters", numParameters);
        c.put("init", (double) init);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (numParameters > 1 && (in.rank() < 1 || in.dim(0) != numParameters)) {
            throw new LayerShapeException("[" + numParameters + ", ...]", in, "a slope per channel needs samples of "
                    + numParameters + " channels first; make this PReLU(" + (in.rank() < 1 ? 1 : in.dim(0))
                    + ") or PReLU(1) for one slope");
        }
        return in;
    }

    /** {@code weight}, {@code [num_parameters]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of("weight", new int[] {numParameters}));
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        weight = new Parameter("weight", backend, Shape.of(numParameters));
        backend.fill(weight.value(), init);
        allocateBuffers(backend, inputShape);
    }

    private void allocateBuffers(Backend backend, Shape inputShape) {
        be = backend;
        sample = inputShape;
        channels = numParameters;
        inner = inputShape.size() / channels;
        Shape rows = Shape.of(channels, inner);                 // per sample, one row per channel
        out = new BatchBuffer(backend, inputShape);
        positive = new BatchBuffer(backend, rows);
        negative = new BatchBuffer(backend, rows);
        scratch = new BatchBuffer(backend, rows);
        dx = new BatchBuffer(backend, inputShape);
        slopes = new BatchBuffer(backend, Shape.of(channels, 1));
        rowTotals = new BatchBuffer(backend, Shape.of(channels));
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        PReLU copy = new PReLU(numParameters, init);
        copy.weight = weight;
        copy.allocateBuffers(backend, inputShape);
        return Optional.of(copy);
    }

    /** The slopes as a column, one per row of the {@code [batch * channels, inner]} view, or the single slope. */
    private Tensor slopeColumn(int batch) {
        if (channels == 1) {
            return weight.value();
        }
        int rows = batch * channels;
        if (channelOfRow.length < rows) {
            channelOfRow = new int[rows];
            for (int r = 0; r < rows; r++) {
                channelOfRow[r] = r % channels;
            }
        }
        Tensor column = slopeRows.rows(slopes.get(batch), rows, 1);
        be.gatherRows(weightColumn.rows(weight.value(), channels, 1), channelOfRow, 0, column);
        return column;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        BatchOfSamples.require("prelu", x, sample);
        int batch = x.dim(0);
        int rows = batch * channels;
        Tensor xs = inputRows.rows(x, rows, inner);
        Tensor pos = positiveRows.rows(positive.get(batch), rows, inner);
        Tensor neg = negativeRows.rows(negative.get(batch), rows, inner);
        Tensor y = out.get(batch);
        Tensor ys = outputRows.rows(y, rows, inner);
        be.activation(Activation.RELU, 0f, xs, pos);                          // max(x, 0)
        be.clamp(xs, Float.NEGATIVE_INFINITY, 0f, neg);                       // min(x, 0)
        be.binary(BinaryOp.MUL, neg, slopeColumn(batch), ys);                 // a min(x, 0) + max(x, 0)
        be.binary(BinaryOp.ADD, ys, pos, ys);
        lastInput = x;
        lastBatch = batch;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int batch = lastBatch;
        int rows = batch * channels;
        Tensor xs = inputRows.rows(lastInput, rows, inner);
        Tensor dys = gradientRows.rows(dOut, rows, inner);
        Tensor neg = negativeRows.rows(negative.get(batch), rows, inner);
        Tensor s = scratchRows.rows(scratch.get(batch), rows, inner);
        be.binary(BinaryOp.MUL, dys, neg, s);                                 // da = sum dy min(x, 0)
        if (channels == 1) {
            be.reduceAll(ReduceOp.SUM, s, weight.grad());
        } else {
            Tensor totals = rowTotals.get(batch);                             // [batch, channels]
            be.reduce(ReduceOp.SUM, s, 1, totals);
            be.reduce(ReduceOp.SUM, totals, 0, weight.grad());
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(batch);
        Tensor dxs = dxRows.rows(dX, rows, inner);
        Tensor pos = positiveRows.rows(positive.get(batch), rows, inner);
        be.activationBackward(Activation.RELU, 0f, xs, pos, dys, dxs);        // dy where x > 0
        be.binary(BinaryOp.SUB, dys, dxs, s);                                 // dy where x <= 0
        be.binary(BinaryOp.MUL, s, slopeColumn(batch), s);
        be.binary(BinaryOp.ADD, dxs, s, dxs);
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight);
    }

    @Override
    public long parameterCount() {
        return numParameters;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /**
     * The number of slopes.
     *
     * @return 1 (shared) or the channel count
     */
    public int numParameters() {
        return numParameters;
    }

    @Override
    public String toString() {
        return "PReLU(" + numParameters + ", init=" + init + ")";
    }
}
