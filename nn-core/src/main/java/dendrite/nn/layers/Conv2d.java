package dendrite.nn.layers;

import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.Conv2dGeometry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 2-D convolution over images {@code [channels, height, width]}, as PyTorch's {@code nn.Conv2d}:
 * {@code y[o, oy, ox] = bias[o] + sum over the channels of o's group and the kernel taps of
 * w[o, c, ky, kx] * x[c, oy * stride - pad + ky * dilation, ox * stride - pad + kx * dilation]}
 * (a cross-correlation), padding reading zeros.
 *
 * <p>Weights {@code [outChannels, inChannels / groups, kernelH, kernelW]} and bias
 * {@code [outChannels]}, named {@code weight} and {@code bias}, so a state dict interchanges with
 * a PyTorch {@code nn.Sequential} holding the same layers. {@code groups == inChannels} is a
 * depthwise convolution.
 *
 * <p>Backward, by the chain rule: dL/dw sums {@code dy * x} over the batch and the output pixels
 * that each tap touched, dL/db sums dy, and dL/dx sends each {@code dy} back through the weights
 * to the pixels it read (the adjoint of the forward pass).
 */
public final class Conv2d implements Layer {
    private int inChannels;
    private final int outChannels;
    private final int kernelH, kernelW, strideH, strideW, dilationH, dilationW, groups;
    private final boolean samePadding;
    private final int padH, padW;
    private final boolean useBias;
    private Initializer initializer;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    private Shape inputShape;
    private Conv2dGeometry geometry;
    private BatchBuffer out;
    private BatchBuffer dx;
    private Tensor lastInput;
    private boolean inputGradientNeeded = true;
    /** The activation layer this inference replica does the work of ({@link #fusedForInference}), or identity. */
    private Activation fused = Activation.IDENTITY;
    private float fusedParam;

    /**
     * {@code outChannels} filters of {@code kernel x kernel}, stride 1, no padding, input channels from the previous
     * layer.
     *
     * @param outChannels the number of filters (output channels), at least 1
     * @param kernel      the side of the square kernel in pixels, at least 1
     */
    public Conv2d(int outChannels, int kernel) {
        this(-1, outChannels, kernel, kernel, 1, 1, 0, 0, false, 1, 1, 1, true, null);
    }

    /**
     * The full form, as PyTorch's arguments.
     *
     * @param inChannels  input channels, or -1 to take them from the previous layer
     * @param outChannels the number of filters (output channels), at least 1, divisible by {@code groups}
     * @param kernelH     the kernel's height in pixels, at least 1
     * @param kernelW     the kernel's width in pixels, at least 1
     * @param strideH     the vertical step between windows in pixels, at least 1
     * @param strideW     the horizontal step between windows in pixels, at least 1
     * @param padH        the zero rows added above and below, at least 0
     * @param padW        the zero columns added left and right, at least 0
     * @param samePadding PyTorch's {@code padding='same'} (stride 1, odd effective kernel): then padH
     *                    and padW are ignored
     * @param dilationH   the vertical spacing between kernel taps, at least 1 (1 for a dense kernel)
     * @param dilationW   the horizontal spacing between kernel taps, at least 1
     * @param groups      the number of channel groups, at least 1, dividing both channel counts (1 for an
     *                    ordinary convolution, {@code inChannels} for a depthwise one)
     * @param useBias     whether to add a per-channel bias
     * @param initializer the weights' initializer, or {@code null} for the default of the following activation
     * @throws IllegalArgumentException if a size is out of range, {@code groups} does not divide the channels,
     *                                  or {@code samePadding} is asked for with a stride or an even effective kernel
     */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW, int padH,
            int padW, boolean samePadding, int dilationH, int dilationW, int groups, boolean useBias,
            Initializer initializer) {
        if (outChannels < 1 || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1
                || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: out channels " + outChannels + ", kernel " + kernelH + "x"
                    + kernelW + ", stride " + strideH + "x" + strideW + ", dilation " + dilationH + "x" + dilationW
                    + " and groups " + groups + " must be at least 1, padding " + padH + "x" + padW + " at least 0");
        }
        if (outChannels % groups != 0 || (inChannels > 0 && inChannels % groups != 0)) {
            throw new IllegalArgumentException("conv2d: " + groups + " groups must divide the " + outChannels
                    + " output channels" + (inChannels > 0 ? " and the " + inChannels + " input channels" : ""));
        }
        if (samePadding && (strideH != 1 || strideW != 1)) {
            throw new IllegalArgumentException("conv2d: padding 'same' needs stride 1 (as in PyTorch), got "
                    + strideH + "x" + strideW);
        }
        if (samePadding && ((dilationH * (kernelH - 1)) % 2 != 0 || (dilationW * (kernelW - 1)) % 2 != 0)) {
            throw new IllegalArgumentException("conv2d: padding 'same' with a " + kernelH + "x" + kernelW
                    + " kernel (dilation " + dilationH + "x" + dilationW + ") would pad one side more than the other,"
                    + " which is not supported: use an odd kernel or explicit padding");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.samePadding = samePadding;
        this.padH = samePadding ? dilationH * (kernelH - 1) / 2 : padH;
        this.padW = samePadding ? dilationW * (kernelW - 1) / 2 : padW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.groups = groups;
        this.useBias = useBias;
        this.initializer = initializer;
    }

    /**
     * Builds a Conv2d from its {@link #config()}.
     *
     * @param c the config: {@code out_channels} and {@code kernel_size}, and optionally {@code in_channels},
     *          {@code stride}, {@code padding} (a size or {@code "same"}), {@code dilation}, {@code groups},
     *          {@code bias} and {@code weight_init}; pairs may be one number or two
     * @return a new, unbuilt Conv2d layer
     * @throws IllegalArgumentException if a required key is missing or a value is out of range
     */
    public static Conv2d fromConfig(Map<String, ?> c) {
        int[] kernel = Configs.intPair(c, "conv2d", "kernel_size", null);
        int[] stride = Configs.intPair(c, "conv2d", "stride", new int[] {1, 1});
        int[] dilation = Configs.intPair(c, "conv2d", "dilation", new int[] {1, 1});
        boolean same = "same".equals(c.get("padding"));
        int[] pad = same ? new int[] {0, 0} : Configs.intPair(c, "conv2d", "padding", new int[] {0, 0});
        String init = Configs.stringValue(c, "conv2d", "weight_init", null);
        return new Conv2d(c.containsKey("in_channels") ? Configs.intValue(c, "conv2d", "in_channels") : -1,
                Configs.intValue(c, "conv2d", "out_channels"), kernel[0], kernel[1], stride[0], stride[1], pad[0],
                pad[1], same, dilation[0], dilation[1],
                c.containsKey("groups") ? Configs.intValue(c, "conv2d", "groups") : 1,
                Configs.booleanValue(c, "conv2d", "bias", true), init == null ? null : Initializers.byName(init));
    }

    @Override
    public String type() {
        return "conv2d";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (inChannels > 0) {
            c.put("in_channels", inChannels);
        }
        c.put("out_channels", outChannels);
        c.put("kernel_size", List.of(kernelH, kernelW));
        c.put("stride", List.of(strideH, strideW));
        c.put("padding", samePadding ? "same" : List.of(padH, padW));
        c.put("dilation", List.of(dilationH, dilationW));
        c.put("groups", groups);
        c.put("bias", useBias);
        if (initializer != null) {
            c.put("weight_init", initializer.name());
        }
        return c;
    }

    /** Without an explicit initializer, the default for the activation that follows. */
    @Override
    public void followedBy(Layer next) {
        if (initializer == null) {
            initializer = Initializers.defaultFor(next == null ? null : next.type());
        }
    }

    /** The geometry for a batch of {@code n} images of {@code in} ({@code [channels, height, width]}). */
    private Conv2dGeometry geometryFor(int n, Shape in) {
        return new Conv2dGeometry(n, in.dim(0), in.dim(1), in.dim(2), outChannels, kernelH, kernelW, strideH, strideW,
                padH, padW, dilationH, dilationW, groups);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "add reshape(channels, height, width) before this layer" : "give images as [C, H, W]");
        }
        if (inChannels > 0 && in.dim(0) != inChannels) {
            throw new LayerShapeException("[" + inChannels + ", height, width]", in,
                    "make this layer Conv2d(" + in.dim(0) + ", " + outChannels + ", ...), or change the previous layer to "
                            + inChannels + " channels");
        }
        if (in.dim(0) % groups != 0) {
            throw new LayerShapeException("channels divisible by " + groups + " groups", in,
                    "change groups or the channels before this layer");
        }
        Conv2dGeometry g;
        try {
            g = geometryFor(1, in);
        } catch (IllegalArgumentException e) {
            throw new LayerShapeException("an image at least as large as the " + kernelH + "x" + kernelW + " window", in,
                    "lower the kernel, dilation or the pooling before this layer, or add padding");
        }
        return Shape.of(outChannels, g.outH(), g.outW());
    }

    /** {@code weight [out, in / groups, kH, kW]} and, with a bias, {@code bias [out]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("weight", new int[] {outChannels, in.dim(0) / groups, kernelH, kernelW});
        if (useBias) {
            shapes.put("bias", new int[] {outChannels});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        Shape outShape = outputShape(in);
        this.be = backend;
        this.inputShape = in;
        this.inChannels = in.dim(0);
        if (initializer == null) {
            initializer = Initializers.defaultFor(null);
        }
        int receptive = kernelH * kernelW;
        weight = new Parameter("weight", backend, Shape.of(outChannels, inChannels / groups, kernelH, kernelW));
        // PyTorch's fans: in = (in / groups) kH kW, out = (out / groups) kH kW
        initializer.initialize(backend, weight.value(), inChannels / groups * receptive, outChannels / groups * receptive,
                seed);
        bias = useBias ? new Parameter("bias", backend, Shape.of(outChannels)) : null;
        if (bias != null) {
            initializer.initializeBias(backend, bias.value(), inChannels / groups * receptive, outChannels / groups * receptive, seed);
        }
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape in) {
        Conv2d copy = (Conv2d) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.inputShape = in;
        copy.inChannels = inChannels;
        copy.weight = weight;
        copy.bias = bias;
        copy.out = new BatchBuffer(backend, outputShape(in));
        copy.dx = new BatchBuffer(backend, in);
        return Optional.of(copy);
    }

    /**
     * A replica that applies the activation layer after it too, in the convolution's last pass over the
     * output ({@link Backend#conv2d(Tensor, Tensor, Tensor, Conv2dGeometry, Activation, float, Tensor)}):
     * the same values, one pass over the output fewer. Only for nn-core's own activation layers.
     */
    @Override
    public Optional<Layer> fusedForInference(Layer next) {
        if (be == null || fused != Activation.IDENTITY || !(next instanceof ActivationLayer act)
                || !act.isOwnActivation()) {
            return Optional.empty();
        }
        Conv2d copy = (Conv2d) replicaForInference(be, inputShape).orElseThrow();
        copy.fused = act.activation();
        copy.fusedParam = act.param();
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (geometry == null || geometry.batch() != n) {
            geometry = geometryFor(n, inputShape);     // a new record only when the batch size changes
        }
        lastInput = x;
        Tensor y = out.get(n);
        if (fused == Activation.IDENTITY) {
            be.conv2d(x, weight.value(), useBias ? bias.value() : null, geometry, y);
        } else {
            be.conv2d(x, weight.value(), useBias ? bias.value() : null, geometry, fused, fusedParam, y);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (fused != Activation.IDENTITY) {
            throw new IllegalStateException("Conv2d: this copy runs a " + fused.label()
                    + " fused in for predictions only and does not train");
        }
        if (weight.requiresGrad() || (useBias && bias.requiresGrad())) {     // not frozen (dW and db come together)
            be.conv2dBackwardWeights(dOut, lastInput, geometry, weight.grad(), useBias ? bias.grad() : null);
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(dOut.dim(0));
        be.conv2dBackwardData(dOut, weight.value(), geometry, dX);
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return (long) outChannels * (Math.max(inChannels, 0) / groups) * kernelH * kernelW + (useBias ? outChannels : 0);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Conv2d(");
        if (inChannels > 0) {
            sb.append(inChannels).append(", ");
        }
        sb.append(outChannels).append(", ").append(kernelH == kernelW ? kernelH + "" : kernelH + "x" + kernelW);
        if (strideH != 1 || strideW != 1) {
            sb.append(", stride ").append(strideH == strideW ? strideH + "" : strideH + "x" + strideW);
        }
        if (samePadding) {
            sb.append(", same");
        } else if (padH != 0 || padW != 0) {
            sb.append(", pad ").append(padH == padW ? padH + "" : padH + "x" + padW);
        }
        if (dilationH != 1 || dilationW != 1) {
            sb.append(", dilation ").append(dilationH == dilationW ? dilationH + "" : dilationH + "x" + dilationW);
        }
        if (groups != 1) {
            sb.append(", groups ").append(groups);
        }
        return sb.append(')').toString();
    }
}
