package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.optim.Optimizer;

/**
 * The state of a training run at the end of an epoch, handed to a {@link Checkpointer}.
 *
 * <p>Everything needed to resume: the weights ({@link Sequential#stateDict()}), the architecture
 * ({@link Sequential#architecture()}), the optimizer's state tensors ({@link Optimizer#state()}) and
 * step count ({@link Optimizer#stepCount()}), and {@link #epochsCompleted()}. The tensors are live:
 * a checkpointer must write them before returning. To resume, load the weights and the optimizer
 * state back (after {@link Optimizer#initializeState}), call {@link Optimizer#setStepCount}, and fit
 * with {@link Trainer.Builder#initialEpoch(int) initialEpoch(epochsCompleted)}: each epoch's shuffle
 * depends only on the seed and the epoch number, so the resumed run sees the same batches. (Dropout
 * masks restart their sequence, so a resumed run with dropout is statistically, not bitwise, the same.)
 */
public record Checkpoint(Sequential model, Optimizer optimizer, int epochsCompleted, History history) {
}
