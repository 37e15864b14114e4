package dendrite.spark;

import java.util.Map;

/**
 * Called on the driver, while the tasks train, after each epoch: the tasks run in executors, so this
 * is how a driver program follows a run as it goes (a progress line, a chart, a metrics system), as
 * nn-core's {@code TrainingListener.onEpochEnd} does for one process. Rank 0 sends each epoch's
 * numbers over a socket to the driver; a listener that throws stops only the listening, not the run.
 */
@FunctionalInterface
public interface EpochListener {
    /**
     * One epoch has ended on every task.
     *
     * @param epoch   the epoch's index, from 0 (counting the epochs of a checkpoint resumed from)
     * @param metrics {@code loss}, {@code seconds}, {@code sync_seconds}, and with validation data
     *                {@code val_loss} and {@code val_accuracy}
     */
    void onEpochEnd(int epoch, Map<String, Double> metrics);
}
