package dendrite.nn.losses;

import dendrite.tensor.Tensor;

/**
 * A loss function: a scalar that training drives down, and its gradient with respect to the
 * model's output.
 *
 * <p>{@link #forward} computes the loss of a batch (the mean, see each class) into a single-value
 * tensor the loss owns, and keeps what {@link #backward} needs; {@link #backward} returns dL/dprediction
 * with the prediction's shape, also loss-owned. Both reuse their buffers from batch to batch, so a
 * training step allocates no tensors. The target must have as many values as the prediction (any
 * shape, e.g. {@code [m]} for a prediction {@code [m, 1]}), except where a loss says otherwise
 * ({@link SoftmaxCrossEntropy} also takes class indices).
 *
 * <pre>{@code
 * Loss loss = Losses.softmaxCrossEntropy();
 * float value = loss.forward(logits, labels).item();
 * Tensor dLogits = loss.backward();
 * }</pre>
 * Losses are not thread-safe.
 */
public interface Loss {

    /**
     * A short name for logs and files, e.g. {@code mse}.
     *
     * @return the name {@link Losses#byName} knows this loss by
     */
    String name();

    /**
     * The loss's options by PyTorch's argument names ({@code delta}, {@code weight}, {@code reduction}...), as
     * {@link Losses#byName} reads them: {@code Losses.byName(loss.name(), loss.config())} makes the same loss.
     * Numbers are {@code Float}, {@code Double} or {@code Integer}, class weights a list of numbers, reductions
     * their PyTorch names.
     *
     * @return the options, unmodifiable; empty (the default) for a loss without any
     */
    default java.util.Map<String, Object> config() {
        return java.util.Map.of();
    }

    /**
     * The loss of a batch, as a tensor of one value owned by this loss.
     *
     * @param prediction the model's output {@code [m, outputs...]}; kept (not copied) for {@link #backward}
     * @param target     the targets on the same backend, as many values as the prediction unless the loss
     *                   says otherwise
     * @return a single-value tensor owned by this loss, valid until the next forward: read it with
     *         {@code item()}
     */
    Tensor forward(Tensor prediction, Tensor target);

    /**
     * dL/dprediction for the last {@link #forward}, owned by this loss.
     *
     * @return the gradient with the prediction's shape, a loss-owned buffer valid until the next forward
     */
    Tensor backward();
}
