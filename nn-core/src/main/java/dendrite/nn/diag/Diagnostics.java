package dendrite.nn.diag;

import dendrite.nn.Sequential;
import dendrite.nn.layers.ActivationLayer;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.op.Activation;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks inside a model on demand: each layer's activation statistics and gradient norms.
 *
 * <pre>{@code
 * for (ActivationStats s : Diagnostics.activations(model, batch)) System.out.println(s);
 * model.backward(loss.backward());
 * for (GradientStats g : Diagnostics.gradients(model)) System.out.println(g);
 * }</pre>
 *
 * These read tensors back to the host, so they cost a copy of every activation or gradient: call
 * them when looking, not on every training step (see {@link TrainingMonitor} for a periodic check).
 */
public final class Diagnostics {
    /** Sigmoid outputs within this distance of 0 or 1 count as saturated. */
    public static final double SIGMOID_SATURATION = 0.01;
    /** Tanh outputs with |y| above {@code 1 - TANH_SATURATION} count as saturated. */
    public static final double TANH_SATURATION = 0.01;

    private Diagnostics() {
    }

    /**
     * Runs {@code x} through the model in evaluation mode (as prediction does: no dropout, running
     * batch-norm statistics) and describes every layer's output.
     *
     * @param model the built model; not thread-safe, like {@link Sequential#forward}
     * @param x     a batch {@code [m, input...]} on the model's backend
     * @return one description per layer, in order
     */
    public static List<ActivationStats> activations(Sequential model, Tensor x) {
        model.forward(x, false);
        return activationsOfLastForward(model);
    }

    /**
     * Describes the outputs of the model's last forward pass (training or evaluation), as kept by
     * its layers; empty before any forward pass.
     *
     * @param model the model whose layers' last outputs to read
     * @return one description per layer, in order, or an empty list when some output is missing or freed
     */
    public static List<ActivationStats> activationsOfLastForward(Sequential model) {
        List<ActivationStats> out = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Tensor y = model.lastOutput(i);
            if (y == null || !y.isAlive()) {
                return List.of();
            }
            out.add(describe(i, model.layer(i), y));
        }
        return out;
    }

    static ActivationStats describe(int index, Layer layer, Tensor y) {
        float[] v = y.toArray();
        Activation act = activationOf(layer);
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long finite = 0;
        long saturated = 0;
        for (float f : v) {
            if (!Float.isFinite(f)) {
                continue;
            }
            finite++;
            sum += f;
            sumSq += (double) f * f;
            min = Math.min(min, f);
            max = Math.max(max, f);
            if (act == Activation.SIGMOID && (f < SIGMOID_SATURATION || f > 1 - SIGMOID_SATURATION)) {
                saturated++;
            } else if (act == Activation.TANH && Math.abs(f) > 1 - TANH_SATURATION) {
                saturated++;
            }
        }
        double mean = finite == 0 ? Double.NaN : sum / finite;
        double variance = finite == 0 ? Double.NaN : Math.max(0, sumSq / finite - mean * mean);
        double saturatedFraction = act == Activation.SIGMOID || act == Activation.TANH
                ? (finite == 0 ? Double.NaN : saturated / (double) finite)
                : Double.NaN;
        double dead = act == Activation.RELU ? deadFraction(v, y.shape().stride0()) : Double.NaN;
        return new ActivationStats(index, layer.type(), y.shape(), mean, Math.sqrt(variance),
                finite == 0 ? Double.NaN : min, finite == 0 ? Double.NaN : max, dead, saturatedFraction,
                v.length - finite);
    }

    /**
     * The activation that makes the layer's output: an activation layer's, or the one a Dense fuses
     * into its output (its ReLU units die as a separate ReLU's do); null for other layers.
     */
    static Activation activationOf(Layer layer) {
        if (layer instanceof ActivationLayer a) {
            return a.activation();
        }
        return layer instanceof Dense d ? d.activation() : null;
    }

    /** The fraction of units (positions within a sample) that are exactly 0 for every sample. */
    private static double deadFraction(float[] v, int unitsPerSample) {
        int samples = v.length / unitsPerSample;
        int dead = 0;
        for (int u = 0; u < unitsPerSample; u++) {
            boolean alive = false;
            for (int s = 0; s < samples && !alive; s++) {
                alive = v[s * unitsPerSample + u] != 0f;
            }
            if (!alive) {
                dead++;
            }
        }
        return dead / (double) unitsPerSample;
    }

    /**
     * The gradient norm of every layer that has parameters, from the last backward pass (after an
     * optimizer step, the gradients it used, clipped if clipping is on).
     *
     * @param model the model whose parameters' gradients to read
     * @return one entry per layer with parameters, in order; a NaN anywhere shows in that layer's norm and max
     */
    public static List<GradientStats> gradients(Sequential model) {
        List<GradientStats> out = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Layer layer = model.layer(i);
            if (layer.parameters().isEmpty()) {
                continue;
            }
            double sumSq = 0;
            double maxAbs = 0;
            long count = 0;
            for (Parameter p : layer.parameters()) {
                for (float g : p.grad().toArray()) {
                    sumSq += (double) g * g;
                    // NaN must not be lost: Math.max keeps NaN, a comparison would drop it.
                    maxAbs = Math.max(maxAbs, Math.abs((double) g));
                }
                count += p.shape().size();
            }
            out.add(new GradientStats(i, layer.type(), Math.sqrt(sumSq), maxAbs, count));
        }
        return out;
    }

    /**
     * The L2 norm of all the model's gradients together.
     *
     * @param model the model whose parameters' gradients to read, from the last backward pass
     * @return {@code sqrt} of the sum of every gradient value squared; NaN if any is NaN
     */
    public static double globalGradientNorm(Sequential model) {
        double sumSq = 0;
        for (GradientStats g : gradients(model)) {
            sumSq += g.norm() * g.norm();
        }
        return Math.sqrt(sumSq);
    }

    /**
     * A readable report of both, one line per layer.
     *
     * @param activations what {@link #activations} or {@link #activationsOfLastForward} returned; may be empty
     * @param gradients   what {@link #gradients} returned; may be empty
     * @return the report, each section left out when its list is empty
     */
    public static String report(List<ActivationStats> activations, List<GradientStats> gradients) {
        StringBuilder sb = new StringBuilder();
        if (!activations.isEmpty()) {
            sb.append("activations:\n");
            activations.forEach(a -> sb.append("  ").append(a).append('\n'));
        }
        if (!gradients.isEmpty()) {
            sb.append("gradients:\n");
            gradients.forEach(g -> sb.append("  ").append(g).append('\n'));
        }
        return sb.toString();
    }
}
