package dendrite.nn.train;

import java.io.IOException;

/** Saves a {@link Checkpoint}; {@code fit} calls it every N epochs (see {@link Trainer.Builder#checkpointEvery}). */
@FunctionalInterface
public interface Checkpointer {
    void save(Checkpoint checkpoint) throws IOException;
}
