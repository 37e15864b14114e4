package dendrite.nn.optim;

/**
 * The learning rate as a function of training progress; see {@link Schedules} for the standard ones.
 * A schedule is a pure function of (step, epoch) except reduce-on-plateau, which also listens to
 * {@link #onEpochEnd}.
 */
public interface LearningRateSchedule {

    /**
     * The rate for the next step.
     *
     * @param base  the optimizer's base rate
     * @param step  steps completed so far (0 for the first step)
     * @param epoch the current epoch, from 0
     */
    double rate(double base, long step, int epoch);

    /** Called after each epoch with the monitored value (validation loss when there is one). */
    default void onEpochEnd(int epoch, double monitored) {
    }
}
