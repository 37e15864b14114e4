package dendrite.nn.layers;

import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Conv2dGeometry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 1-D convolution over sequences {@code [channels, length]}, as PyTorch's {@code nn.Conv1d}:
 * {@code y[o, t] = bias[o] + sum over the channels c of o's group and the taps k of
 * w[o, c, k] * x[c, t * stride - pad + k * dilation]} (a cross-correlation), padding reading zeros.
 *
 * <p>Weights {@code [outChannels, inChannels / groups, kernel]} and bias {@code [outChannels]},
 * named {@code weight} and {@code bias}, so a state dict interchanges with a PyTorch
 * {@code nn.Sequential} holding the same layers. Without an explicit initializer the weights start
 * as {@link Conv2d}'s do, from the default for the activation that follows
 * ({@link Initializers#defaultFor}), with fan in {@code inChannels / groups * kernel};
 * {@link Initializers#pytorch()} gives PyTorch's own.
 *
 * <p>It runs on the backend's 2-D convolution: a sample {@code [C, L]} is seen as a one-row image
 * {@code [C, 1, L]} and the kernel as {@code 1 x kernel}. Those are views of the same memory, so
 * nothing is copied, and backward is the 2-D convolution's (see {@link Conv2d}).
 *
 * <p>Layout: channels first, as PyTorch's {@code Conv1d} takes them. The embedding, recurrent and
 * attention layers and {@link GlobalAvgPool1d} take sequences the other way round,
 * {@code [time, features]}: a {@link Transpose} turns one into the other, before a Conv1d (after an
 * embedding) or after it. Directly after a Conv1d, GlobalAvgPool1d would average over the channels,
 * not over the length; for the mean over the length (PyTorch's {@code x.mean(dim=2)}) use
 * {@code Transpose} then {@code GlobalAvgPool1d}, or {@code AvgPool1d(length)} then {@code Flatten}.
 */
public final class Conv1d implements Layer {
    private int inChannels;
    private final int outChannels;
    private final int kernel, stride, pad, dilation, groups;
    private final boolean samePadding;
    private final boolean useBias;
    private Initializer initializer;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    /** The weight and its gradient seen as {@code [out, in / groups, 1, kernel]}, as the 2-D operations take them. */
    private Tensor weight4;
    private Tensor weightGrad4;
    private Shape inputShape;
    private Shape input4;
    private Shape output4;
    private Conv2dGeometry geometry;
    private BatchBuffer out;
    private BatchBuffer dx;
    private final ViewCache xView = new ViewCache();
    private final ViewCache yView = new ViewCache();
    private final ViewCache dyView = new ViewCache();
    private final ViewCache dxView = new ViewCache();
    private Tensor lastInput4;
    private boolean inputGradientNeeded = true;

    /**
     * {@code outChannels} filters of {@code kernel} taps, stride 1, no padding, input channels from the
     * previous layer.
     *
     * @param outChannels the number of filters (output channels), at least 1
     * @param kernel      the kernel's length in steps, at least 1
     */
    public Conv1d(int outChannels, int kernel) {
        this(-1, outChannels, kernel, 1, 0, false, 1, 1, true, null);
    }

    /**
     * The full form, as PyTorch's arguments.
     *
     * @param inChannels  input channels, or -1 to take them from the previous layer
     * @param outChannels the number of filters (output channels), at least 1, divisible by {@code groups}
     * @param kernel      the kernel's length in steps, at least 1
     * @param stride      the step between windows, at least 1
     * @param padding     the zeros added at each end, at least 0
     * @param samePadding PyTorch's {@code padding='same'} (stride 1, odd effective kernel): then
     *                    {@code padding} is ignored
     * @param dilation    the spacing between kernel taps, at least 1 (1 for a dense kernel)
     * @param groups      the number of channel groups, at least 1, dividing both channel counts
     * @param useBias     whether to add a per-channel bias
     * @param initializer the weights' (and bias's) initializer, or {@code null} for the default of the
     *                    activation that follows
     * @throws IllegalArgumentException if a size is out of range, {@code groups} does not divide the channels,
     *                                  or {@code samePadding} is asked for with a stride or an even effective kernel
     */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean samePadding,
            int dilation, int groups, boolean useBias, Initializer initializer) {
        if (outChannels < 1 || kernel < 1 || stride < 1 || dilation < 1 || groups < 1 || padding < 0) {
            throw new IllegalArgumentException("conv1d: out channels " + outChannels + ", kernel " + kernel
                    + ", stride " + stride + ", dilation " + dilation + " and groups " + groups
                    + " must be at least 1, padding " + padding + " at least 0");
        }
        if (inChannels == 0 || inChannels < -1) {
            throw new IllegalArgumentException("conv1d: in channels " + inChannels
                    + " must be at least 1, or -1 to take them from the previous layer");
        }
        if (outChannels % groups != 0 || (inChannels > 0 && inChannels % groups != 0)) {
            throw new IllegalArgumentException("conv1d: " + groups + " groups must divide the " + outChannels
                    + " output channels" + (inChannels > 0 ? " and the " + inChannels + " input channels" : ""));
        }
        if (samePadding && stride != 1) {
            throw new IllegalArgumentException("conv1d: padding 'same' needs stride 1 (as in PyTorch), got " + stride);
        }
        if (samePadding && (dilation * (kernel - 1)) % 2 != 0) {
            throw new IllegalArgumentException("conv1d: padding 'same' with a kernel of " + kernel + " (dilation "
                    + dilation + ") would pad one end more than the other, which is not supported: use an odd kernel"
                    + " or explicit padding");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.samePadding = samePadding;
        this.pad = samePadding ? dilation * (kernel - 1) / 2 : padding;
        this.dilation = dilation;
        this.groups = groups;
        this.useBias = useBias;
        this.initializer = initializer;
    }

    /**
     * Builds a Conv1d from its {@link #config()}.
     *
     * @param c the config: {@code out_channels} and {@code kernel_size}, and optionally {@code in_channels},
     *          {@code stride}, {@code padding} (a size or {@code "same"}), {@code dilation}, {@code groups},
     *          {@code bias} and {@code weight_init}; each size one number
     * @return a new, unbuilt Conv1d layer
     * @throws IllegalArgumentException if a required key is missing or a value is out of range
     */
    public static Conv1d fromConfig(Map<String, ?> c) {
        boolean same = "same".equals(c.get("padding"));
        String init = Configs.stringValue(c, "conv1d", "weight_init", null);
        return new Conv1d(optional(c, "in_channels", -1), Configs.intValue(c, "conv1d", "out_channels"),
                Configs.intValue(c, "conv1d", "kernel_size"), optional(c, "stride", 1),
                same ? 0 : optional(c, "padding", 0), same, optional(c, "dilation", 1), optional(c, "groups", 1),
                Configs.booleanValue(c, "conv1d", "bias", true), init == null ? null : Initializers.byName(init));
    }

    private static int optional(Map<String, ?> c, String key, int orElse) {
        return c.containsKey(key) ? Configs.intValue(c, "conv1d", key) : orElse;
    }

    @Override
    public String type() {
        return "conv1d";
    }

    /** Without an explicit initializer, the default for the activation that follows. */
    @Override
    public void followedBy(Layer next) {
        if (initializer == null) {
            initializer = Initializers.defaultFor(next == null ? null : next.type());
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (inChannels > 0) {
            c.put("in_channels", inChannels);
        }
        c.put("out_channels", outChannels);
        c.put("kernel_size", kernel);
        c.put("stride", stride);
        c.put("padding", samePadding ? "same" : pad);
        c.put("dilation", dilation);
        c.put("groups", groups);
        c.put("bias", useBias);
        if (initializer != null) {
            c.put("weight_init", initializer.name());
        }
        return c;
    }

    /** The 2-D geometry of a batch of {@code n} samples of {@code in} ({@code [channels, length]}) as one-row images. */
    private Conv2dGeometry geometryFor(int n, Shape in) {
        return new Conv2dGeometry(n, in.dim(0), 1, in.dim(1), outChannels, 1, kernel, 1, stride, 0, pad, 1, dilation,
                groups);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException("[channels, length]", in, in.rank() == 1
                    ? "conv1d takes sequences [C, L]: add reshape(channels, length) before this layer"
                    : "conv1d takes sequences [C, L]: give them as builder(channels, length)");
        }
        if (inChannels > 0 && in.dim(0) != inChannels) {
            throw new LayerShapeException("[" + inChannels + ", length]", in, "make this layer Conv1d(" + in.dim(0)
                    + ", " + outChannels + ", ...), or change the previous layer to " + inChannels + " channels");
        }
        if (in.dim(0) % groups != 0) {
            throw new LayerShapeException("channels divisible by " + groups + " groups", in,
                    "change conv1d's groups or the channels before this layer");
        }
        Conv2dGeometry g;
        try {
            g = geometryFor(1, in);
        } catch (IllegalArgumentException e) {
            throw new LayerShapeException("a sequence at least as long as conv1d's window of "
                    + (dilation * (kernel - 1) + 1) + " steps (with padding " + pad + " at each end)", in,
                    "lower the kernel or dilation, or add padding");
        }
        return Shape.of(outChannels, g.outW());
    }

    /** {@code weight [out, in / groups, kernel]} and, with a bias, {@code bias [out]}: PyTorch's shapes. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("weight", new int[] {outChannels, in.dim(0) / groups, kernel});
        if (useBias) {
            shapes.put("bias", new int[] {outChannels});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        Shape outShape = outputShape(in);
        this.be = backend;
        this.inChannels = in.dim(0);
        int groupIn = inChannels / groups;
        weight = new Parameter("weight", backend, Shape.of(outChannels, groupIn, kernel));
        bias = useBias ? new Parameter("bias", backend, Shape.of(outChannels)) : null;
        // PyTorch's fans, as for Conv2d with a 1 x kernel window: in = (in / groups) k, out = (out / groups) k
        if (initializer == null) {
            initializer = Initializers.defaultFor(null);
        }
        int fanIn = groupIn * kernel;
        int fanOut = outChannels / groups * kernel;
        initializer.initialize(backend, weight.value(), fanIn, fanOut, seed);
        if (bias != null) {
            initializer.initializeBias(backend, bias.value(), fanIn, fanOut, seed);
        }
        shareBuffers(backend, in, outShape);
    }

    /** The 2-D views of the weights, and buffers of its own for a layer whose parameters are set. */
    private void shareBuffers(Backend backend, Shape in, Shape outShape) {
        this.inputShape = in;
        this.input4 = Shape.of(in.dim(0), 1, in.dim(1));
        this.output4 = Shape.of(outShape.dim(0), 1, outShape.dim(1));
        int groupIn = inChannels / groups;
        weight4 = weight.value().reshape(outChannels, groupIn, 1, kernel);
        weightGrad4 = weight.grad().reshape(outChannels, groupIn, 1, kernel);
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape in) {
        Conv1d copy = (Conv1d) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.inChannels = inChannels;
        copy.weight = weight;
        copy.bias = bias;
        copy.shareBuffers(backend, in, outputShape(in));
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (x.shape().rank() != 3 || x.dim(1) != inputShape.dim(0) || x.dim(2) != inputShape.dim(1)) {
            throw new IllegalArgumentException("conv1d forward: input " + x.shape() + " is not a batch of "
                    + inputShape + " samples, the shape " + this + " was built for");
        }
        if (geometry == null || geometry.batch() != n) {
            geometry = geometryFor(n, inputShape);     // a new record only when the batch size changes
        }
        lastInput4 = xView.batch(x, n, input4);
        Tensor y = out.get(n);
        be.conv2d(lastInput4, weight4, useBias ? bias.value() : null, geometry, yView.batch(y, n, output4));
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int n = dOut.dim(0);
        Tensor dy4 = dyView.batch(dOut, n, output4);
        if (weight.requiresGrad() || (useBias && bias.requiresGrad())) {     // not frozen (dW and db come together)
            be.conv2dBackwardWeights(dy4, lastInput4, geometry, weightGrad4, useBias ? bias.grad() : null);
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(n);
        be.conv2dBackwardData(dy4, weight4, geometry, dxView.batch(dX, n, input4));
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return (long) outChannels * (Math.max(inChannels, 0) / groups) * kernel + (useBias ? outChannels : 0);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Conv1d(");
        if (inChannels > 0) {
            sb.append(inChannels).append(", ");
        }
        sb.append(outChannels).append(", ").append(kernel);
        if (stride != 1) {
            sb.append(", stride ").append(stride);
        }
        if (samePadding) {
            sb.append(", same");
        } else if (pad != 0) {
            sb.append(", pad ").append(pad);
        }
        if (dilation != 1) {
            sb.append(", dilation ").append(dilation);
        }
        if (groups != 1) {
            sb.append(", groups ").append(groups);
        }
        if (!useBias) {
            sb.append(", no bias");
        }
        return sb.append(')').toString();
    }
}
