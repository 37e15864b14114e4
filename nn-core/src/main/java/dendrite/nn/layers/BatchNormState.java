package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch normalization layer keeps for each of its {@code n} features (BatchNorm1d) or
 * channels (BatchNorm2d), named as in PyTorch: the parameters {@code weight} (gamma, starts at 1)
 * and {@code bias} (beta, starts at 0), the buffers {@code running_mean} (starts at 0) and
 * {@code running_var} (starts at 1), and the step's own statistics, each {@code [n]}.
 */
final class BatchNormState {
    final Parameter gamma;
    final Parameter beta;
    final Tensor runningMean;
    final Tensor runningVar;
    /** The batch's mean and biased variance (training), and 1 / sqrt(variance + eps) of those in use. */
    final Tensor mean;
    final Tensor var;
    final Tensor invStd;
    /** A scratch {@code [n]} for the step's per-feature arithmetic. */
    final Tensor scratch;
    private final Backend be;

    /** Refuses an eps that is not a positive finite float, or a momentum outside [0, 1], naming the layer type. */
    static void checkConstants(String type, double eps, double momentum) {
        float f = (float) eps;
        if (!(f > 0) || Float.isInfinite(f)) {
            throw new IllegalArgumentException(type + ": eps must be positive and finite (as a float), got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(type + ": momentum must be in [0, 1], got " + momentum);
        }
    }

    BatchNormState(Backend backend, int n) {
        be = backend;
        Shape s = Shape.of(n);
        gamma = new Parameter("weight", backend, s);
        backend.fill(gamma.value(), 1f);
        beta = new Parameter("bias", backend, s);
        runningMean = backend.allocate(s);
        runningVar = backend.full(1f, n);
        mean = backend.allocate(s);
        var = backend.allocate(s);
        invStd = backend.allocate(s);
        scratch = backend.allocate(s);
    }

    /**
     * A state for an inference replica: {@code shared}'s parameters and running statistics (the
     * same tensors), its own per-call statistics and scratch.
     */
    BatchNormState(BatchNormState shared) {
        be = shared.be;
        Shape s = shared.mean.shape();
        gamma = shared.gamma;
        beta = shared.beta;
        runningMean = shared.runningMean;
        runningVar = shared.runningVar;
        mean = be.allocate(s);
        var = be.allocate(s);
        invStd = be.allocate(s);
        scratch = be.allocate(s);
    }

    /** {@code weight}, {@code bias}, {@code running_mean} and {@code running_var}, each {@code [n]}. */
    static Optional<Map<String, int[]>> stateShapes(int n) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String name : List.of("weight", "bias", "running_mean", "running_var")) {
            shapes.put(name, new int[] {n});
        }
        return Optional.of(shapes);
    }

    /**
     * Moves the running statistics towards the batch's: {@code running = (1 - momentum) running +
     * momentum * stat}, with the variance made unbiased over the {@code count} values each statistic
     * was taken over (times {@code count / (count - 1)}), as PyTorch does.
     */
    void updateRunning(float momentum, long count) {
        update(runningMean, mean, momentum, 1f);
        update(runningVar, var, momentum, count / (count - 1f));
    }

    private void update(Tensor running, Tensor batchStat, float momentum, float correction) {
        be.affine(batchStat, momentum * correction, 0f, scratch);
        be.affine(running, 1f - momentum, 0f, running);
        be.binary(BinaryOp.ADD, running, scratch, running);
    }

    /** {@code invStd = 1 / sqrt(variance + eps)}, from the batch's variance or the running one. */
    void invStd(Tensor variance, float eps) {
        be.affine(variance, 1f, eps, invStd);
        be.unary(UnaryOp.RSQRT, invStd, invStd);
    }

    List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    Map<String, Tensor> buffers() {
        Map<String, Tensor> b = new LinkedHashMap<>();
        b.put("running_mean", runningMean);
        b.put("running_var", runningVar);
        return b;
    }
}
