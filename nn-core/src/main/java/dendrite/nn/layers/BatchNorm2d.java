package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch normalization per channel of images {@code [channels, height, width]}, as PyTorch's
 * {@code BatchNorm2d}: each channel's mean and variance are taken over the batch and every pixel,
 * {@code N = m * H * W} values, and the running statistics keep the unbiased variance over that count.
 * Parameters {@code weight} (gamma), {@code bias} (beta) and buffers {@code running_mean},
 * {@code running_var}, each {@code [C]}, named as in PyTorch.
 *
 * <p>The batch is seen as {@code m * C} rows of {@code H * W} pixels, one row per image and channel.
 * A channel's statistic is a sum along each row and then over the images; to apply a per-channel
 * value to every row, it is gathered into a column of {@code m * C} values (the channel of row r is
 * {@code r % C}) and broadcast along the rows. So each step is a few passes over the batch in its
 * own layout, with no transposes.
 *
 * <p>Forward in training: {@code xhat = (x - mean) / sqrt(var + eps)}, {@code y = gamma xhat + beta}
 * with the batch's mean and biased variance. Backward (Ioffe and Szegedy 2015), with sums over the
 * N values of a channel:
 * <pre>
 *   dgamma = sum dy * xhat,   dbeta = sum dy
 *   dx     = gamma invStd (dy - dbeta / N - xhat dgamma / N)
 * </pre>
 * In evaluation the running statistics replace the batch's, and {@code dx = gamma invStd dy}.
 */
public final class BatchNorm2d implements Layer {
    private final float eps;
    private final float momentum;
    private Backend be;
    private int channels;
    private int pixels;
    private BatchNormState state;
    /** Per channel, {@code [C]}: coefficients of the input gradient. */
    private Tensor scale;
    private Tensor shift;
    /** Per image and channel, {@code [m, C]}: row sums. */
    private BatchBuffer rowSums;
    /** The per-channel values as columns to broadcast along the rows. */
    private ChannelColumns columns;
    private BatchBuffer xhat;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer scratch;
    private Tensor lastXhat;
    private boolean lastTraining;
    private final ViewCache rowsIn = new ViewCache();
    private final ViewCache rowsXhat = new ViewCache();
    private final ViewCache rowsOut = new ViewCache();
    private final ViewCache rowsScratch = new ViewCache();
    private final ViewCache rowsGrad = new ViewCache();
    private final ViewCache rowsDx = new ViewCache();
    private final ViewCache sumsFlat = new ViewCache();

    /**
     * Batch normalization over channels of images with PyTorch's defaults: eps 1e-5, momentum 0.1.
     */
    public BatchNorm2d() {
        this(1e-5, 0.1);
    }

    /**
     * Batch normalization over channels of images with the given constants (note the order: eps first, as in
     * PyTorch's {@code nn.BatchNorm2d(num_features, eps, momentum)}).
     *
     * @param eps      the small positive value added to the variance before its square root, e.g. 1e-5
     * @param momentum the weight of each training batch's statistics in the running ones, in PyTorch's sense
     *                 ({@code running = (1 - momentum) running + momentum batch}), in [0, 1], e.g. 0.1
     * @throws IllegalArgumentException if {@code eps} is not positive and finite (as a float) or {@code momentum}
     *                                  is outside [0, 1]
     */
    public BatchNorm2d(double eps, double momentum) {
        BatchNormState.checkConstants("batch_norm2d", eps, momentum);
        this.eps = (float) eps;
        this.momentum = (float) momentum;
    }

    @Override
    public String type() {
        return "batch_norm2d";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("eps", (double) eps);
        c.put("momentum", (double) momentum);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "use batchNorm() (BatchNorm1d) on flat features" : "give images as [C, H, W]");
        }
        return in;
    }

    /** {@code weight}, {@code bias}, {@code running_mean} and {@code running_var}, each {@code [channels]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return BatchNormState.stateShapes(in.dim(0));
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        outputShape(in);
        be = backend;
        channels = in.dim(0);
        pixels = in.dim(1) * in.dim(2);
        Shape c = Shape.of(channels);
        state = new BatchNormState(backend, channels);
        allocateBuffers(backend, in);
    }

    private void allocateBuffers(Backend backend, Shape in) {
        Shape c = Shape.of(channels);
        scale = backend.allocate(c);
        shift = backend.allocate(c);
        rowSums = new BatchBuffer(backend, c);
        columns = new ChannelColumns(backend, channels);
        xhat = new BatchBuffer(backend, in);
        out = new BatchBuffer(backend, in);
        dx = new BatchBuffer(backend, in);
        scratch = new BatchBuffer(backend, in);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape in) {
        BatchNorm2d copy = (BatchNorm2d) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.channels = channels;
        copy.pixels = pixels;
        copy.state = new BatchNormState(state);
        copy.allocateBuffers(backend, in);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        int rows = m * channels;
        lastTraining = training;
        lastXhat = xhat.get(m);
        Tensor y = out.get(m);
        Tensor xRows = rowsIn.of(x, rows, pixels);
        Tensor xhatRows = rowsXhat.of(lastXhat, rows, pixels);
        Tensor yRows = rowsOut.of(y, rows, pixels);
        if (training) {
            long n = (long) m * pixels;
            if (n < 2) {
                throw new IllegalArgumentException("batch_norm2d: a training batch of " + m + " image of " + pixels
                        + " pixel has no variance; use batches of at least 2");
            }
            channelMean(xRows, m, n, state.mean);                            // mean_B
            be.binary(BinaryOp.SUB, xRows, columns.of(state.mean, m), xhatRows); // x - mean_B
            be.unary(UnaryOp.SQUARE, xhatRows, yRows);
            channelMean(yRows, m, n, state.var);                             // var_B (biased)
            state.updateRunning(momentum, n);
            state.invStd(state.var, eps);
        } else {
            be.binary(BinaryOp.SUB, xRows, columns.of(state.runningMean, m), xhatRows);
            state.invStd(state.runningVar, eps);
        }
        be.binary(BinaryOp.MUL, xhatRows, columns.of(state.invStd, m), xhatRows);   // xhat
        be.binary(BinaryOp.MUL, xhatRows, columns.of(state.gamma.value(), m), yRows);
        be.binary(BinaryOp.ADD, yRows, columns.of(state.beta.value(), m), yRows); // + beta
        return y;
    }

    /** {@code out[c]} = the mean of channel c's {@code n} values in {@code rows [m * C, H * W]}. */
    private void channelMean(Tensor rows, int m, long n, Tensor out) {
        channelSum(rows, m, out);
        be.affine(out, (float) (1.0 / n), 0f, out);
    }

    /** {@code out[c]} = the sum of channel c's values: along each row, then over the images. */
    private void channelSum(Tensor rows, int m, Tensor out) {
        Tensor sums = rowSums.get(m);                                        // [m, C]
        be.reduce(ReduceOp.SUM, rows, 1, sumsFlat.of(sums, m * channels));
        be.reduce(ReduceOp.SUM, sums, 0, out);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int m = dOut.dim(0);
        int rows = m * channels;
        long n = (long) m * pixels;
        Tensor dX = dx.get(m);
        Tensor tmp = scratch.get(m);
        Tensor dyRows = rowsGrad.of(dOut, rows, pixels);
        Tensor dxRows = rowsDx.of(dX, rows, pixels);
        Tensor tmpRows = rowsScratch.of(tmp, rows, pixels);
        Tensor xhatRows = rowsXhat.of(lastXhat, rows, pixels);
        be.binary(BinaryOp.MUL, dyRows, xhatRows, tmpRows);
        channelSum(tmpRows, m, state.gamma.grad());                          // dgamma = sum dy * xhat
        channelSum(dyRows, m, state.beta.grad());                            // dbeta = sum dy
        be.binary(BinaryOp.MUL, state.gamma.value(), state.invStd, scale);   // a = gamma invStd
        be.binary(BinaryOp.MUL, dyRows, columns.of(scale, m), dxRows);      // a dy
        if (lastTraining) {
            Tensor perChannel = state.scratch;
            be.binary(BinaryOp.MUL, scale, state.gamma.grad(), perChannel);
            be.affine(perChannel, (float) (-1.0 / n), 0f, perChannel);       // -a dgamma / N
            be.binary(BinaryOp.MUL, xhatRows, columns.of(perChannel, m), tmpRows);
            be.binary(BinaryOp.ADD, dxRows, tmpRows, dxRows);
            be.binary(BinaryOp.MUL, scale, state.beta.grad(), shift);
            be.affine(shift, (float) (-1.0 / n), 0f, shift);                 // -a dbeta / N
            be.binary(BinaryOp.ADD, dxRows, columns.of(shift, m), dxRows);
        }
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return state == null ? List.of() : state.parameters();
    }

    @Override
    public long parameterCount() {
        return 2L * channels;
    }

    @Override
    public Map<String, Tensor> buffers() {
        return state == null ? Map.of() : state.buffers();
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + (channels > 0 ? channels : "") + ")";
    }
}
