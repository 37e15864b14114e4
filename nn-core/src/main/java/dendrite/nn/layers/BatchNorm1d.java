package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch normalization over a batch of feature vectors {@code [m, C]}, as PyTorch's {@code BatchNorm1d}.
 *
 * <p>Training: {@code xhat = (x - mean_B) / sqrt(var_B + eps)}, {@code y = gamma xhat + beta} with the
 * batch's mean and biased variance; the running statistics move by {@code momentum} (0.1) towards the
 * batch mean and the <em>unbiased</em> batch variance. Evaluation uses the running statistics instead.
 * Parameters {@code weight} (gamma, starts at 1) and {@code bias} (beta, starts at 0); buffers
 * {@code running_mean} (starts at 0) and {@code running_var} (starts at 1), named as in PyTorch.
 *
 * <p>Backward in training (Ioffe and Szegedy 2015), with {@code g = dy * gamma}:
 * <pre>
 *   dgamma = sum_rows dy * xhat,   dbeta = sum_rows dy
 *   dx     = invStd * (g - mean_rows g - xhat * mean_rows(g * xhat))
 * </pre>
 * A training batch needs at least 2 samples (the variance of one sample is undefined).
 */
public final class BatchNorm1d implements Layer {
    private final float eps;
    private final float momentum;
    private Backend be;
    private int features;
    private BatchNormState state;
    private BatchBuffer xhat;
    private BatchBuffer out;
    private BatchBuffer dx;
    private BatchBuffer scratch;
    private Tensor lastXhat;
    private boolean lastTraining;

    /**
     * Batch normalization over features with PyTorch's defaults: eps 1e-5, momentum 0.1.
     */
    public BatchNorm1d() {
        this(1e-5, 0.1);
    }

    /**
     * Batch normalization over features with the given constants (note the order: eps first, as in
     * PyTorch's {@code nn.BatchNorm1d(num_features, eps, momentum)}).
     *
     * @param eps      the small positive value added to the variance before its square root, e.g. 1e-5
     * @param momentum the weight of each training batch's statistics in the running ones, in PyTorch's sense
     *                 ({@code running = (1 - momentum) running + momentum batch}), in [0, 1], e.g. 0.1
     * @throws IllegalArgumentException if {@code eps} is not positive and finite (as a float) or {@code momentum}
     *                                  is outside [0, 1]
     */
    public BatchNorm1d(double eps, double momentum) {
        BatchNormState.checkConstants("batch_norm1d", eps, momentum);
        this.eps = (float) eps;
        this.momentum = (float) momentum;
    }

    @Override
    public String type() {
        return "batch_norm1d";
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
        if (in.rank() != 1) {
            throw new LayerShapeException("a flat [features] vector", in, "add flatten() before this layer");
        }
        return in;
    }

    /** {@code weight}, {@code bias}, {@code running_mean} and {@code running_var}, each {@code [features]}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return BatchNormState.stateShapes(in.dim(0));
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        features = inputShape.dim(0);
        state = new BatchNormState(backend, features);
        allocateBuffers(backend, inputShape);
    }

    private void allocateBuffers(Backend backend, Shape inputShape) {
        xhat = new BatchBuffer(backend, inputShape);
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
        scratch = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        BatchNorm1d copy = (BatchNorm1d) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.features = features;
        copy.state = new BatchNormState(state);
        copy.allocateBuffers(backend, inputShape);
        return Optional.of(copy);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        lastTraining = training;
        lastXhat = xhat.get(m);
        Tensor y = out.get(m);
        if (training) {
            if (m < 2) {
                throw new IllegalArgumentException("batch_norm1d: a training batch of " + m + " sample has no variance;"
                        + " use batches of at least 2 (e.g. a batch size that does not leave 1 sample over)");
            }
            be.reduce(ReduceOp.MEAN, x, 0, state.mean);                     // mean_B
            be.binary(BinaryOp.SUB, x, state.mean, lastXhat);                // x - mean_B
            be.unary(UnaryOp.SQUARE, lastXhat, y);
            be.reduce(ReduceOp.MEAN, y, 0, state.var);                       // var_B (biased)
            state.updateRunning(momentum, m);
            state.invStd(state.var, eps);
        } else {
            be.binary(BinaryOp.SUB, x, state.runningMean, lastXhat);
            state.invStd(state.runningVar, eps);
        }
        be.binary(BinaryOp.MUL, lastXhat, state.invStd, lastXhat);           // xhat
        be.binary(BinaryOp.MUL, lastXhat, state.gamma.value(), y);
        be.binary(BinaryOp.ADD, y, state.beta.value(), y);                   // gamma xhat + beta
        return y;
    }

    @Override
    public Tensor backward(Tensor dY) {
        int m = dY.dim(0);
        Tensor tmp = scratch.get(m);
        Tensor dX = dx.get(m);
        be.binary(BinaryOp.MUL, dY, lastXhat, tmp);
        be.reduce(ReduceOp.SUM, tmp, 0, state.gamma.grad());                 // dgamma = sum dy * xhat
        be.reduce(ReduceOp.SUM, dY, 0, state.beta.grad());                   // dbeta = sum dy
        be.binary(BinaryOp.MUL, dY, state.gamma.value(), dX);                // g = dy * gamma
        if (lastTraining) {
            Tensor perFeature = state.scratch;
            be.binary(BinaryOp.MUL, dX, lastXhat, tmp);
            be.reduce(ReduceOp.MEAN, tmp, 0, perFeature);                    // mean_rows(g * xhat)
            be.binary(BinaryOp.MUL, lastXhat, perFeature, tmp);              // xhat * mean_rows(g * xhat)
            be.reduce(ReduceOp.MEAN, dX, 0, perFeature);                     // mean_rows g
            be.binary(BinaryOp.SUB, dX, perFeature, dX);
            be.binary(BinaryOp.SUB, dX, tmp, dX);
        }
        be.binary(BinaryOp.MUL, dX, state.invStd, dX);                       // * invStd
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return state == null ? List.of() : state.parameters();
    }

    @Override
    public long parameterCount() {
        return 2L * features;
    }

    @Override
    public Map<String, Tensor> buffers() {
        return state == null ? Map.of() : state.buffers();
    }

    @Override
    public String toString() {
        return "BatchNorm1d(" + (features > 0 ? features : "") + ")";
    }
}
