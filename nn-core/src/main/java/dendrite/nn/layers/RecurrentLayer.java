package dendrite.nn.layers;

import dendrite.tensor.Tensor;

import java.util.List;

/**
 * A layer that carries a state from step to step and lets it be given and read, as PyTorch's
 * {@code out, (h_n, c_n) = lstm(x, (h_0, c_0))}: {@link Recurrent} (one layer, one direction),
 * {@link Bidirectional} and {@link RecurrentStack}.
 *
 * <h2>Shapes, as PyTorch's</h2>
 * Each state ({@link #stateNames()}: {@code h}, and {@code c} for an LSTM) is
 * {@code [layers * directions, batch, hidden]}, the slices ordered as PyTorch orders them (layer 0,
 * layer 0 reverse, layer 1, ...); a single layer of one direction also takes {@code [batch, hidden]}.
 *
 * <h2>Where a forward starts</h2>
 * From zero, unless a state was given ({@link #setInitialState}), which then holds for every forward
 * until it is replaced or {@link #resetState() reset}. A {@link #isStateful() stateful} layer
 * (Keras' {@code stateful=True}) instead starts each forward, in training and in evaluation, from the
 * state its previous forward ended in, for truncated backpropagation through time over a long series
 * cut into consecutive batches (see {@code dendrite.nn.data.StatefulBatches}): backward never
 * reaches the previous batch, as PyTorch's {@code repackage_hidden} detaches it. Row i of a batch
 * then continues row i of the batch before, so the batch size must stay the same: a forward with
 * another batch size than the state it starts from is refused (not silently reset, since a changed
 * batch size means the rows no longer continue each other); {@link #resetState()} first to start
 * new sequences.
 */
public interface RecurrentLayer extends Layer {

    /**
     * The states carried from step to step, in the order {@link #setInitialState} takes them.
     *
     * @return {@code [h]}, or {@code [h, c]} for an LSTM (its hidden and cell states)
     */
    List<String> stateNames();

    /**
     * Gives the state the next forwards start from (PyTorch's {@code h_0}, {@code c_0}), copied in;
     * with no tensors, they start from zero again. Call after building.
     *
     * @param state one tensor per {@link #stateNames() state}, in that order, each
     *              {@code [layers * directions, batch, hidden]} (or {@code [batch, hidden]} for one
     *              layer of one direction), all of the same batch size, on the layer's backend; or none
     * @throws IllegalArgumentException naming the layer and both shapes when a tensor's shape is not
     *                                  that, or the number of tensors is wrong
     * @throws IllegalStateException    before the layer is built
     */
    void setInitialState(Tensor... state);

    /**
     * The state after the last forward's last step (PyTorch's {@code h_n}, {@code c_n}); with padding
     * skipped, each sample's state after its last real step.
     *
     * @return one tensor per {@link #stateNames() state}, each {@code [layers * directions, batch, hidden]},
     *         layer-owned and valid until the next forward
     * @throws IllegalStateException before the first forward
     */
    List<Tensor> finalState();

    /**
     * The gradient of the loss with respect to the state the last forward started from (zero, given or
     * carried), computed by the last backward.
     *
     * @return one tensor per {@link #stateNames() state}, each {@code [layers * directions, batch, hidden]},
     *         layer-owned and valid until the next backward
     * @throws IllegalStateException before a backward follows a forward
     */
    List<Tensor> initialStateGradient();

    /**
     * Whether each forward starts from where the previous one ended.
     *
     * @return {@code true} for a stateful layer
     */
    boolean isStateful();

    /**
     * Forgets the carried or given state: the next forward starts from zero, with any batch size. Call
     * it at the start of every epoch and before evaluating a stateful model (as
     * {@code dendrite.nn.train.ResetRecurrentState} does during training).
     */
    void resetState();
}
