package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.optim.Optimizer;

/**
 * The state of a training run at the end of an epoch, handed to a {@link Checkpointer}.
 *
 * <p>Everything needed to resume: the weights ({@link Sequential#stateDict()}), the architecture
 * ({@link Sequential#architecture()}), the optimizer's state tensors ({@link Optimizer#state()}) and
 * step count ({@link Optimizer#stepCount()}), its learning-rate schedule's state
 * ({@code optimizer.schedule().state()}, e.g. reduce-on-plateau's), the model's random state
 * ({@link Sequential#randomState()}: each Dropout's seed and pass counter), and
 * {@link #epochsCompleted()}. The tensors are live: a checkpointer must write them before returning.
 * {@code CheckpointFile.saver} writes all of it, and {@code CheckpointFile.restore} puts it back.
 *
 * <p>To resume by hand: load the weights and the optimizer state back (after
 * {@link Optimizer#initializeState}), call {@link Optimizer#setStepCount}, restore the schedule's and
 * the model's random state, and fit with {@link Trainer.Builder#initialEpoch(int)
 * initialEpoch(epochsCompleted)}. Each epoch's shuffle depends only on the seed and the epoch number
 * and each dropout mask only on its layer's seed and counter, so the resumed run sees the same batches
 * and masks as an uninterrupted one: on backend-scalar, the same bits.
 *
 * @param model           the model being trained, its weights and random state live
 * @param optimizer       the optimizer, its state tensors, step count and schedule live
 * @param epochsCompleted the number of epochs finished, counted from 0 (a resumed run's earlier ones
 *                        included): the {@code initialEpoch} to resume with
 * @param history         the metrics recorded so far by this {@code fit}; a resumed run's history starts at
 *                        its initial epoch
 */
public record Checkpoint(Sequential model, Optimizer optimizer, int epochsCompleted, History history) {
}
