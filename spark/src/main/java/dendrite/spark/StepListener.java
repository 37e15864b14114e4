package dendrite.spark;

/**
 * Called on the driver after each global step while the tasks train, as nn-core's
 * {@code TrainingListener.onStepEnd} is in one process: for a progress bar or a loss curve by step.
 * Rank 0 sends each step's loss to the driver; the driver calls the listeners on its own thread, so a
 * slow listener delays nothing but its own calls.
 */
@FunctionalInterface
public interface StepListener {
    /**
     * One global step has ended on every task.
     *
     * @param epoch the epoch, from 0
     * @param step  the step within the epoch, from 0
     * @param loss  the global batch's mean loss
     */
    void onStepEnd(int epoch, int step, double loss);
}
