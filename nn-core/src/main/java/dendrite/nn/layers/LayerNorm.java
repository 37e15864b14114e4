package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Layer normalization over the last dimension, as PyTorch's {@code nn.LayerNorm(normalized_shape,
 * eps, elementwise_affine)} with {@code normalized_shape} the input's last dimension.
 *
 * <p>Each vector along the last dimension (each time step of a {@code [time, features]} sample, or
 * the whole of a {@code [features]} one) is normalized on its own, in training and evaluation alike:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the vector's mean and biased
 * variance. Unlike {@link BatchNorm1d} it keeps no running statistics and works the same on a batch
 * of one. Parameters {@code weight} (gamma, starts at 1) and {@code bias} (beta, starts at 0), each
 * {@code [last]}, named as in PyTorch; none with {@code elementwiseAffine} off.
 *
 * <p>The arithmetic is {@link Backend#layerNorm} and {@link Backend#layerNormBackward}: with
 * {@code xhat = (x - mean) * rstd} and {@code g = dy * weight}, per vector of n values
 * {@code dx = rstd (g - mean(g) - xhat mean(g xhat))}, and over the batch
 * {@code dweight = sum dy xhat}, {@code dbias = sum dy}.
 */
public final class LayerNorm implements Layer {
    private final float eps;
    private final boolean affine;
    private int size;
    /** The per-sample input shape the layer was built for. */
    private Shape sample;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    private BatchBuffer out;
    private BatchBuffer dx;
    /** Per sample, one mean and one rstd per normalized vector. */
    private BatchBuffer mean;
    private BatchBuffer rstd;
    private Tensor lastInput;
    private Tensor lastMean;
    private Tensor lastRstd;
    private boolean inputGradientNeeded = true;

    /** PyTorch's defaults: the size taken from the input's last dimension, eps 1e-5, with weight and bias. */
    public LayerNorm() {
        this(-1, 1e-5, true);
    }

    /**
     * PyTorch's {@code nn.LayerNorm(normalizedShape, eps, elementwise_affine)} over the last dimension.
     *
     * @param normalizedShape the size of the last dimension, checked when the model is built, or -1 to take
     *                        it from the input
     * @param eps             added to the variance before its square root, at least 0 (PyTorch's default 1e-5)
     * @param elementwiseAffine whether to learn a {@code weight} and a {@code bias} per position of the vector
     * @throws IllegalArgumentException if {@code normalizedShape} is 0 or below -1, or {@code eps} is negative
     */
    public LayerNorm(int normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == 0 || normalizedShape < -1) {
            throw new IllegalArgumentException("layer_norm: normalized_shape must be positive (or -1 to take the input's"
                    + " last dimension), got " + normalizedShape);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("layer_norm: eps must be at least 0, got " + eps);
        }
        this.size = normalizedShape;
        this.eps = (float) eps;
        this.affine = elementwiseAffine;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: optionally {@code normalized_shape}, {@code eps} (default 1e-5) and
     *          {@code elementwise_affine} (default true)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value has the wrong type or is out of range
     */
    public static LayerNorm fromConfig(Map<String, ?> c) {
        return new LayerNorm(c.containsKey("normalized_shape") ? Configs.intValue(c, "layer_norm", "normalized_shape")
                : -1, Configs.doubleValue(c, "layer_norm", "eps", 1e-5),
                Configs.booleanValue(c, "layer_norm", "elementwise_affine", true));
    }

    @Override
    public String type() {
        return "layer_norm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (size > 0) {
            c.put("normalized_shape", size);
        }
        c.put("eps", (double) eps);
        c.put("elementwise_affine", affine);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() < 1) {
            throw new LayerShapeException(size > 0 ? "[..., " + size + "]" : "[..., features]", in,
                    "give each sample at least one dimension; layer normalization works along the last");
        }
        if (size > 0 && in.last() != size) {
            throw new LayerShapeException("[..., " + size + "]", in, "make this LayerNorm(" + in.last()
                    + "), or change the previous layer to " + size + " features");
        }
        return in;
    }

    /** {@code weight} and {@code bias}, each {@code [last]}, with the elementwise affine; none without. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        if (affine) {
            shapes.put("weight", new int[] {in.last()});
            shapes.put("bias", new int[] {in.last()});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        size = inputShape.last();
        if (affine) {
            weight = new Parameter("weight", backend, Shape.of(size));
            bias = new Parameter("bias", backend, Shape.of(size));
            backend.fill(weight.value(), 1f);
        }
        allocateBuffers(backend, inputShape);
    }

    private void allocateBuffers(Backend backend, Shape inputShape) {
        sample = inputShape;
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
        Shape perSample = Shape.of(inputShape.size() / inputShape.last());
        mean = new BatchBuffer(backend, perSample);
        rstd = new BatchBuffer(backend, perSample);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        LayerNorm copy = (LayerNorm) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.size = size;
        copy.weight = weight;
        copy.bias = bias;
        copy.allocateBuffers(backend, inputShape);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        BatchOfSamples.require("layer_norm", x, sample);
        int m = x.dim(0);
        lastInput = x;
        lastMean = mean.get(m);
        lastRstd = rstd.get(m);
        Tensor y = out.get(m);
        be.layerNorm(x, affine ? weight.value() : null, affine ? bias.value() : null, eps, y, lastMean, lastRstd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        // The kernel writes dx with the parameter gradients in one pass, so it is computed even when not needed.
        Tensor dX = dx.get(dOut.dim(0));
        be.layerNormBackward(lastInput, lastMean, lastRstd, affine ? weight.value() : null, dOut, dX,
                affine ? weight.grad() : null, affine ? bias.grad() : null);
        return inputGradientNeeded ? dX : null;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return affine ? 2L * Math.max(size, 0) : 0;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /**
     * Whether the layer learns a weight and a bias.
     *
     * @return PyTorch's {@code elementwise_affine}
     */
    public boolean elementwiseAffine() {
        return affine;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + (size > 0 ? size + ", " : "") + "eps=" + eps + (affine ? "" : ", no affine") + ")";
    }
}
