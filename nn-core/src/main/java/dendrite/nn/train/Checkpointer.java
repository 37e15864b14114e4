package dendrite.nn.train;

import java.io.IOException;

/** Saves a {@link Checkpoint}; {@code fit} calls it every N epochs (see {@link Trainer.Builder#checkpointEvery}). */
@FunctionalInterface
public interface Checkpointer {
    /**
     * Saves the checkpoint, e.g. to a file; {@code fit} waits for it, and a failure stops training.
     *
     * @param checkpoint the run's state; its tensors are live, so write them before returning
     * @throws IOException when the checkpoint cannot be written ({@code fit} rethrows it unchecked)
     */
    void save(Checkpoint checkpoint) throws IOException;
}
