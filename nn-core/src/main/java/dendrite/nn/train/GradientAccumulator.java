package dendrite.nn.train;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import java.util.Map;

/**
 * Sums the gradients of several batches so that one optimizer step sees their mean, as if they had
 * been one batch: how a model trains with a batch larger than memory holds (PyTorch's loop with
 * {@code loss / steps} and {@code optimizer.step()} every few batches, Keras's
 * {@code gradient_accumulation_steps}).
 *
 * <p>Each batch's gradient is the mean over its m samples, so it counts m times: the sum kept is
 * {@code sum_b m_b g_b} and the step gets {@code sum_b m_b g_b / sum_b m_b}, the mean over every
 * sample, even when the last batch of an epoch is short. Layers overwrite {@link Parameter#grad()} on
 * every backward, so the sum lives in tensors of its own, one per trainable parameter.
 */
final class GradientAccumulator {
    private final Backend backend;
    private Map<String, Parameter> source;
    private Parameter[] params = new Parameter[0];
    private Tensor[] sums = new Tensor[0];
    private int batches;
    private long samples;
    private double lossSum;

    GradientAccumulator(Backend backend) {
        this.backend = backend;
    }

    /** Adds the gradients backward just wrote, of a batch of {@code m} samples whose mean loss was {@code loss}. */
    void add(Map<String, Parameter> trainable, int m, float loss) {
        if (trainable != source) {
            if (batches > 0) {
                throw new IllegalStateException("trainer: the trainable parameters changed (a freeze or unfreeze)"
                        + " with " + batches + " batches' gradients summed and not yet applied");
            }
            prepare(trainable);
        }
        for (int i = 0; i < params.length; i++) {
            Tensor g = params[i].grad();
            if (batches == 0) {
                backend.affine(g, m, 0f, sums[i]);
            } else {
                backend.affine(g, m, 0f, g);
                backend.binary(BinaryOp.ADD, sums[i], g, sums[i]);
            }
        }
        batches++;
        samples += m;
        lossSum += (double) loss * m;
    }

    /** The number of batches summed since the last {@link #apply}. */
    int batches() {
        return batches;
    }

    /** The samples in those batches. */
    long samples() {
        return samples;
    }

    /** Their mean loss per sample. */
    double meanLoss() {
        return lossSum / samples;
    }

    /** Writes the mean gradient into every parameter's {@link Parameter#grad()} and starts a new sum. */
    void apply() {
        float inverse = (float) (1.0 / samples);
        for (int i = 0; i < params.length; i++) {
            backend.affine(sums[i], inverse, 0f, params[i].grad());
        }
        batches = 0;
        samples = 0;
        lossSum = 0;
    }

    /** Forgets a sum not yet applied (a step that failed part way). */
    void discard() {
        batches = 0;
        samples = 0;
        lossSum = 0;
    }

    private void prepare(Map<String, Parameter> trainable) {
        for (Tensor t : sums) {
            t.close();
        }
        params = trainable.values().toArray(new Parameter[0]);
        sums = new Tensor[params.length];
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            sums[i] = Scope.unscoped(() -> backend.allocate(p.grad().shape()));
        }
        source = trainable;
    }
}
