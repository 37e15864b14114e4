package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group normalization, as PyTorch's {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}: the
 * channels of each sample ({@code [channels, ...]}: images {@code [C, H, W]}, sequences
 * {@code [C, L]}) are split into groups of consecutive channels, and each group is normalized over
 * all its values with its own mean and biased variance, {@code xhat = (x - mean) / sqrt(var + eps)};
 * then {@code y = xhat * weight[c] + bias[c]} per channel. Like {@link LayerNorm} it keeps no running
 * statistics and behaves the same in training and evaluation and on a batch of one, which is why
 * convolutional networks trained on small batches use it instead of {@link BatchNorm2d}. One group is
 * a layer normalization over the whole sample, as many groups as channels an instance normalization.
 * Parameters {@code weight} (starts at 1) and {@code bias} (starts at 0), each {@code [channels]},
 * named as in PyTorch; none with {@code affine} off.
 *
 * <p>It runs on {@link Backend#layerNorm} and {@link Backend#layerNormBackward} over the groups seen as
 * rows ({@code [batch * groups, channels / groups * rest]}, views of the same memory), then the
 * per-channel scale and shift on {@code [batch * channels, rest]} rows. Backward, by the chain rule:
 * {@code dbias[c] = sum dy}, {@code dweight[c] = sum dy * xhat} over the batch and the channel's
 * values, and the normalization's backward of {@code dy * weight[c]}.
 */
public final class GroupNorm implements Layer {
    private final int groups;
    /** As given (a model file records it so), passed to the kernels as a float. */
    private final double eps;
    private final boolean affine;
    private int channels;
    private Shape sample;
    /** Values per channel: the product of the sample's dimensions after the first. */
    private int rest;

    private Backend be;
    private Parameter weight;
    private Parameter bias;
    private BatchBuffer out;
    private BatchBuffer xhat;
    private BatchBuffer dx;
    private BatchBuffer scratch;
    private BatchBuffer mean;
    private BatchBuffer rstd;
    /** The weight and the bias repeated for each sample, {@code [batch, channels]}, read as one value per row. */
    private BatchBuffer weightRows;
    private BatchBuffer biasRows;
    private BatchBuffer channelSums;
    private Tensor lastGroups;
    private Tensor lastMean;
    private Tensor lastRstd;
    private Tensor lastXhat;
    /** The forward pass's weight per row, for the backward pass's {@code dy * weight[c]}. */
    private Tensor lastWeightColumn;
    private boolean inputGradientNeeded = true;
    private final ViewCache groupsIn = new ViewCache();
    private final ViewCache groupsXhat = new ViewCache();
    private final ViewCache rowsXhat = new ViewCache();
    private final ViewCache rowsOut = new ViewCache();
    private final ViewCache weightColumn = new ViewCache();
    private final ViewCache biasColumn = new ViewCache();
    private final ViewCache rowsDy = new ViewCache();
    private final ViewCache rowsScratch = new ViewCache();
    private final ViewCache cubeScratch = new ViewCache();
    private final ViewCache cubeDy = new ViewCache();
    private final ViewCache groupsScratch = new ViewCache();
    private final ViewCache groupsDx = new ViewCache();

    /**
     * {@code groups} groups, PyTorch's defaults otherwise: eps 1e-5, with weight and bias, the channels
     * taken from the input.
     *
     * @param groups the number of groups, at least 1, dividing the channels
     */
    public GroupNorm(int groups) {
        this(groups, -1, 1e-5, true);
    }

    /**
     * PyTorch's {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}.
     *
     * @param groups   the number of groups, at least 1, dividing the channels
     * @param channels the channels (the sample's first dimension), checked when the model is built, or -1
     *                 to take them from the input
     * @param eps      added to the variance before its square root, at least 0 (PyTorch's default 1e-5)
     * @param affine   whether to learn a {@code weight} and a {@code bias} per channel
     * @throws IllegalArgumentException if {@code groups} is below 1, {@code channels} is 0, below -1 or not a
     *                                  multiple of {@code groups}, or {@code eps} is negative
     */
    public GroupNorm(int groups, int channels, double eps, boolean affine) {
        if (groups < 1) {
            throw new IllegalArgumentException("group_norm: num_groups must be at least 1, got " + groups);
        }
        if (channels == 0 || channels < -1) {
            throw new IllegalArgumentException("group_norm: num_channels must be positive (or -1 to take them from"
                    + " the input), got " + channels);
        }
        if (channels > 0 && channels % groups != 0) {
            throw new IllegalArgumentException("group_norm: " + groups + " groups must divide the " + channels
                    + " channels");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("group_norm: eps must be at least 0, got " + eps);
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.affine = affine;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code num_groups}, and optionally {@code num_channels}, {@code eps} (default
     *          1e-5) and {@code affine} (default true)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if {@code num_groups} is missing or a value is out of range
     */
    public static GroupNorm fromConfig(Map<String, ?> c) {
        return new GroupNorm(Configs.intValue(c, "group_norm", "num_groups"),
                c.containsKey("num_channels") ? Configs.intValue(c, "group_norm", "num_channels") : -1,
                Configs.doubleValue(c, "group_norm", "eps", 1e-5),
                Configs.booleanValue(c, "group_norm", "affine", true));
    }

    @Override
    public String type() {
        return "group_norm";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_groups", groups);
        if (channels > 0) {
            c.put("num_channels", channels);
        }
        c.put("eps", eps);
        c.put("affine", affine);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() < 1) {
            throw new LayerShapeException("[channels, ...]", in, "give each sample its channels first");
        }
        if (channels > 0 && in.dim(0) != channels) {
            throw new LayerShapeException("[" + channels + ", ...]", in, "make this GroupNorm(" + groups + ", "
                    + in.dim(0) + ", ...), or change the previous layer to " + channels + " channels");
        }
        if (in.dim(0) % groups != 0) {
            throw new LayerShapeException("channels divisible by " + groups + " groups", in,
                    "pick a number of groups that divides the " + in.dim(0) + " channels");
        }
        return in;
    }

    /** {@code weight} and {@code bias}, each {@code [channels]}, with the affine; none without. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        if (affine) {
            shapes.put("weight", new int[] {in.dim(0)});
            shapes.put("bias", new int[] {in.dim(0)});
        }
        return Optional.of(shapes);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        channels = inputShape.dim(0);
        if (affine) {
            weight = new Parameter("weight", backend, Shape.of(channels));
            bias = new Parameter("bias", backend, Shape.of(channels));
            backend.fill(weight.value(), 1f);
        }
        allocateBuffers(backend, inputShape);
    }

    private void allocateBuffers(Backend backend, Shape inputShape) {
        sample = inputShape;
        rest = inputShape.size() / channels;
        out = new BatchBuffer(backend, inputShape);
        xhat = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
        scratch = new BatchBuffer(backend, inputShape);
        mean = new BatchBuffer(backend, Shape.of(groups));
        rstd = new BatchBuffer(backend, Shape.of(groups));
        weightRows = new BatchBuffer(backend, Shape.of(channels));
        biasRows = new BatchBuffer(backend, Shape.of(channels));
        channelSums = new BatchBuffer(backend, Shape.of(channels));
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        GroupNorm copy = (GroupNorm) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.channels = channels;
        copy.weight = weight;
        copy.bias = bias;
        copy.allocateBuffers(backend, inputShape);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        boolean fits = x.rank() == sample.rank() + 1;
        for (int i = 0; fits && i < sample.rank(); i++) {
            fits = x.dim(i + 1) == sample.dim(i);
        }
        if (!fits) {
            throw new IllegalArgumentException("group_norm forward: input " + x.shape() + " is not a batch of "
                    + sample + " samples, the shape " + this + " was built for");
        }
        int n = x.dim(0);
        int perGroup = channels / groups * rest;
        lastGroups = groupsIn.rows(x, n * groups, perGroup);
        lastMean = mean.get(n);
        lastRstd = rstd.get(n);
        Tensor normalized = affine ? xhat.get(n) : out.get(n);
        be.layerNorm(lastGroups, null, null, (float) eps, groupsXhat.rows(normalized, n * groups, perGroup), lastMean,
                lastRstd);
        lastXhat = normalized;
        if (!affine) {
            return normalized;
        }
        Tensor y = out.get(n);
        Tensor yRows = rowsOut.rows(y, n * channels, rest);
        lastWeightColumn = perRow(weightRows, weightColumn, weight.value(), n);
        be.binary(BinaryOp.MUL, rowsXhat.rows(normalized, n * channels, rest), lastWeightColumn, yRows);
        be.binary(BinaryOp.ADD, yRows, perRow(biasRows, biasColumn, bias.value(), n), yRows);
        return y;
    }

    /** {@code values} ({@code [channels]}) repeated for each of n samples, as a column {@code [n * channels, 1]}. */
    private Tensor perRow(BatchBuffer rows, ViewCache column, Tensor values, int n) {
        Tensor r = rows.get(n);
        be.fill(r, 0f);
        be.binary(BinaryOp.ADD, r, values, r);
        return column.rows(r, n * channels, 1);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int n = dOut.dim(0);
        int perGroup = channels / groups * rest;
        Tensor dyRows = rowsDy.rows(dOut, n * channels, rest);
        Tensor g = dOut;
        if (affine) {
            Tensor s = scratch.get(n);
            Tensor sRows = rowsScratch.rows(s, n * channels, rest);
            if (weight.requiresGrad() || bias.requiresGrad()) {     // not frozen (both come together)
                Tensor sums = channelSums.get(n);
                be.binary(BinaryOp.MUL, dyRows, rowsXhat.rows(lastXhat, n * channels, rest), sRows);
                be.reduce(ReduceOp.SUM, cubeScratch.of(s, n, channels, rest), 2, sums);
                be.reduce(ReduceOp.SUM, sums, 0, weight.grad());
                be.reduce(ReduceOp.SUM, cubeDy.of(dOut, n, channels, rest), 2, sums);
                be.reduce(ReduceOp.SUM, sums, 0, bias.grad());
            }
            if (!inputGradientNeeded) {
                return null;
            }
            be.binary(BinaryOp.MUL, dyRows, lastWeightColumn, sRows);
            g = s;
        } else if (!inputGradientNeeded) {
            return null;
        }
        Tensor dX = dx.get(n);
        be.layerNormBackward(lastGroups, lastMean, lastRstd, null, groupsScratch.rows(g, n * groups, perGroup),
                groupsDx.rows(dX, n * groups, perGroup), null, null);
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public long parameterCount() {
        return affine ? 2L * Math.max(channels, 0) : 0;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /**
     * The number of groups.
     *
     * @return PyTorch's {@code num_groups}
     */
    public int groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + (channels > 0 ? ", " + channels : "") + ", eps=" + eps
                + (affine ? "" : ", no affine") + ")";
    }
}
