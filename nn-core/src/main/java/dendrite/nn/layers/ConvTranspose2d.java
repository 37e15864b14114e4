package dendrite.nn.layers;

import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.ReduceOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A transposed convolution (PyTorch's {@code nn.ConvTranspose2d}), the upsampling layer of
 * convolutional autoencoders and decoders: each input pixel spreads its values, through the
 * weights, over a {@code kernel x kernel} patch of a larger output,
 * {@code outH = (H - 1) stride - 2 pad + dilation (kernel - 1) + outputPadding + 1}.
 *
 * <p>It is the adjoint of a {@link Conv2d} whose input is this layer's output: its forward pass is
 * that convolution's input gradient, and its input gradient is that convolution's forward pass. So
 * it needs no kernel of its own: the geometry below describes that convolution, with this layer's
 * output as its image and this layer's input as its output. Weights {@code [in, out / groups,
 * kernelH, kernelW]} and bias {@code [out]}, PyTorch's layout and names.
 */
public final class ConvTranspose2d implements Layer {
    private int inChannels;
    private final int outChannels;
    private final int kernel, stride, pad, outputPadding, dilation, groups;
    private final boolean useBias;
    private Initializer initializer;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    private Shape inputShape;
    private Shape outputShape;
    private Conv2dGeometry geometry;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer perImageChannel;
    private Tensor lastInput;
    private boolean inputGradientNeeded = true;
    private final ViewCache outRows = new ViewCache();
    private ChannelColumns biasColumns;
    private final ViewCache gradRows = new ViewCache();

    /**
     * {@code outChannels} channels from a {@code kernel x kernel} window, no padding: each side becomes
     * {@code (H - 1) stride + kernel}, so with stride 2 it doubles, plus {@code kernel - 2}.
     *
     * @param outChannels the number of output channels, at least 1
     * @param kernel      the side of the square kernel in pixels, at least 1
     * @param stride      the upsampling step in pixels, at least 1
     */
    public ConvTranspose2d(int outChannels, int kernel, int stride) {
        this(-1, outChannels, kernel, stride, 0, 0, 1, 1, true, null);
    }

    /**
     * The full form, as PyTorch's arguments (square kernels).
     *
     * @param inChannels    input channels, or -1 to take them from the previous layer
     * @param outChannels   the number of output channels, at least 1, divisible by {@code groups}
     * @param kernel        the side of the square kernel in pixels, at least 1
     * @param stride        the upsampling step in pixels, at least 1
     * @param pad           PyTorch's {@code padding}: {@code dilation (kernel - 1) - pad} zero pixels pad each side
     *                      of the input, i.e. {@code pad} pixels are cropped from each side of the output; at least 0
     * @param outputPadding extra rows and columns added to one side of the output (to pick among the sizes a
     *                      stride allows), at least 0 and smaller than {@code stride} or {@code dilation}
     * @param dilation      the spacing between kernel taps, at least 1
     * @param groups        the number of channel groups, at least 1, dividing both channel counts
     * @param useBias       whether to add a per-channel bias
     * @param initializer   the weights' initializer, or {@code null} for the default of the following activation
     * @throws IllegalArgumentException if a size is out of range or {@code groups} does not divide the channels
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int pad, int outputPadding,
            int dilation, int groups, boolean useBias, Initializer initializer) {
        if (outChannels < 1 || kernel < 1 || stride < 1 || dilation < 1 || groups < 1 || pad < 0 || outputPadding < 0) {
            throw new IllegalArgumentException("conv_transpose2d: out channels " + outChannels + ", kernel " + kernel
                    + ", stride " + stride + ", dilation " + dilation + " and groups " + groups
                    + " must be at least 1, padding " + pad + " and output padding " + outputPadding + " at least 0");
        }
        if (outputPadding >= stride && outputPadding >= dilation) {
            throw new IllegalArgumentException("conv_transpose2d: output padding " + outputPadding
                    + " must be smaller than the stride or the dilation (as PyTorch requires)");
        }
        if (outChannels % groups != 0 || (inChannels > 0 && inChannels % groups != 0)) {
            throw new IllegalArgumentException("conv_transpose2d: " + groups + " groups must divide the channels");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.outputPadding = outputPadding;
        this.dilation = dilation;
        this.groups = groups;
        this.useBias = useBias;
        this.initializer = initializer;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code out_channels} and {@code kernel_size}, and optionally {@code in_channels},
     *          {@code stride}, {@code padding}, {@code output_padding}, {@code dilation}, {@code groups},
     *          {@code bias} and {@code weight_init}
     * @return a new, unbuilt ConvTranspose2d layer
     * @throws IllegalArgumentException if a required key is missing or a value is out of range
     */
    public static ConvTranspose2d fromConfig(Map<String, ?> c) {
        String t = "conv_transpose2d";
        String init = Configs.stringValue(c, t, "weight_init", null);
        return new ConvTranspose2d(c.containsKey("in_channels") ? Configs.intValue(c, t, "in_channels") : -1,
                Configs.intValue(c, t, "out_channels"), Configs.intValue(c, t, "kernel_size"),
                c.containsKey("stride") ? Configs.intValue(c, t, "stride") : 1,
                c.containsKey("padding") ? Configs.intValue(c, t, "padding") : 0,
                c.containsKey("output_padding") ? Configs.intValue(c, t, "output_padding") : 0,
                c.containsKey("dilation") ? Configs.intValue(c, t, "dilation") : 1,
                c.containsKey("groups") ? Configs.intValue(c, t, "groups") : 1,
                Configs.booleanValue(c, t, "bias", true), init == null ? null : Initializers.byName(init));
    }

    @Override
    public String type() {
        return "conv_transpose2d";
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
        c.put("padding", pad);
        c.put("output_padding", outputPadding);
        c.put("dilation", dilation);
        c.put("groups", groups);
        c.put("bias", useBias);
        if (initializer != null) {
            c.put("weight_init", initializer.name());
        }
        return c;
    }

    @Override
    public void followedBy(Layer next) {
        if (initializer == null) {
            initializer = Initializers.defaultFor(next == null ? null : next.type());
        }
    }

    private int outSize(int in) {
        return (in - 1) * stride - 2 * pad + dilation * (kernel - 1) + outputPadding + 1;
    }

    /** The convolution this layer is the adjoint of: its image is our output, its output our input. */
    private Conv2dGeometry geometryFor(int n, Shape in) {
        return new Conv2dGeometry(n, outChannels, outSize(in.dim(1)), outSize(in.dim(2)), in.dim(0), kernel, kernel,
                stride, stride, pad, pad, dilation, dilation, groups);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "add reshape(channels, height, width) before this layer" : "give images as [C, H, W]");
        }
        if (inChannels > 0 && in.dim(0) != inChannels) {
            throw new LayerShapeException("[" + inChannels + ", height, width]", in,
                    "make this layer ConvTranspose2d(" + in.dim(0) + ", ...), or change the previous layer to "
                            + inChannels + " channels");
        }
        if (in.dim(0) % groups != 0) {
            throw new LayerShapeException("channels divisible by " + groups + " groups", in, "change groups");
        }
        if (outSize(in.dim(1)) < 1 || outSize(in.dim(2)) < 1) {
            throw new LayerShapeException("an image large enough for padding " + pad, in, "lower the padding");
        }
        Conv2dGeometry g = geometryFor(1, in);
        if (g.outH() != in.dim(1) || g.outW() != in.dim(2)) {
            throw new LayerShapeException("sizes this stride and padding can reach", in, "change the output padding");
        }
        return Shape.of(outChannels, g.height(), g.width());
    }

    /** {@code weight [in, out / groups, k, k]} and, with a bias, {@code bias [out]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("weight", new int[] {in.dim(0), outChannels / groups, kernel, kernel});
        if (useBias) {
            shapes.put("bias", new int[] {outChannels});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        outputShape = outputShape(in);
        be = backend;
        inputShape = in;
        inChannels = in.dim(0);
        if (initializer == null) {
            initializer = Initializers.defaultFor(null);
        }
        weight = new Parameter("weight", backend, Shape.of(inChannels, outChannels / groups, kernel, kernel));
        // PyTorch's fans for ConvTranspose2d: in = (out / groups) k k, as its weight's second dimension says
        initializer.initialize(backend, weight.value(), outChannels / groups * kernel * kernel,
                inChannels / groups * kernel * kernel, seed);
        bias = useBias ? new Parameter("bias", backend, Shape.of(outChannels)) : null;
        if (bias != null) {
            initializer.initializeBias(backend, bias.value(), outChannels / groups * kernel * kernel, inChannels / groups * kernel * kernel, seed);
        }
        allocateBuffers(backend, in);
    }

    private void allocateBuffers(Backend backend, Shape in) {
        out = new BatchBuffer(backend, outputShape);
        dx = new BatchBuffer(backend, in);
        perImageChannel = new BatchBuffer(backend, Shape.of(outChannels));
        biasColumns = new ChannelColumns(backend, outChannels);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape in) {
        ConvTranspose2d copy = (ConvTranspose2d) LayerRegistry.create(type(), config());
        copy.outputShape = outputShape;
        copy.be = backend;
        copy.inputShape = in;
        copy.inChannels = inChannels;
        copy.weight = weight;
        copy.bias = bias;
        copy.allocateBuffers(backend, in);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (geometry == null || geometry.batch() != n) {
            geometry = geometryFor(n, inputShape);
        }
        lastInput = x;
        Tensor y = out.get(n);
        be.conv2dBackwardData(x, weight.value(), geometry, y);              // the adjoint convolution
        if (useBias) {
            // y[i, c, :] += bias[c]: each (image, channel) plane a row, the bias repeated per image as a column
            int pixels = outputShape.dim(1) * outputShape.dim(2);
            Tensor column = biasColumns.of(bias.value(), n);
            Tensor planes = outRows.of(y, n * outChannels, pixels);
            be.binary(BinaryOp.ADD, planes, column, planes);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int n = dOut.dim(0);
        // dL/dW of the adjoint: the convolution's weight gradient with its roles swapped
        be.conv2dBackwardWeights(lastInput, dOut, geometry, weight.grad(), null);
        if (useBias) {
            int pixels = outputShape.dim(1) * outputShape.dim(2);
            Tensor sums = perImageChannel.get(n);
            be.reduce(ReduceOp.SUM, gradRows.of(dOut, n * outChannels, pixels), 1, sums);
            be.reduce(ReduceOp.SUM, sums, 0, bias.grad());
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(n);
        be.conv2d(dOut, weight.value(), null, geometry, dX);
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return (long) Math.max(inChannels, 0) * (outChannels / groups) * kernel * kernel + (useBias ? outChannels : 0);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + (inChannels > 0 ? inChannels + ", " : "") + outChannels + ", " + kernel
                + (stride != 1 ? ", stride " + stride : "") + (pad != 0 ? ", pad " + pad : "")
                + (outputPadding != 0 ? ", output pad " + outputPadding : "") + ")";
    }
}
