package dendrite.nn.optim;

import java.util.Map;

/**
 * The learning rate as a function of training progress; see {@link Schedules} for the standard ones.
 * A schedule is a pure function of (step, epoch) except reduce-on-plateau, which also listens to
 * {@link #onEpochEnd}.
 *
 * <h2>State, for checkpoints</h2>
 * A pure schedule needs nothing saved: a resumed optimizer restores its step and epoch, and the
 * rate follows. A schedule that learns from {@link #onEpochEnd} keeps state that a resumed run must
 * get back, or it would decide differently from an uninterrupted one (reduce-on-plateau would forget
 * that it had already halved the rate, and start waiting for a plateau afresh). Such a schedule
 * exposes that state by name in {@link #state()} and takes it back in {@link #restoreState}; the
 * checkpoint file saves and restores it.
 */
public interface LearningRateSchedule {

    /**
     * The rate for the next step.
     *
     * @param base  the optimizer's base rate
     * @param step  steps completed so far (0 for the first step)
     * @param epoch the current epoch, from 0
     * @return the learning rate for that step, normally positive
     */
    double rate(double base, long step, int epoch);

    /**
     * Called after each epoch with the monitored value (validation loss when there is one).
     * Default: nothing (a pure schedule).
     *
     * @param epoch     the epoch that ended, from 0
     * @param monitored the monitored value, lower is better (the training loss when there is no validation)
     */
    default void onEpochEnd(int epoch, double monitored) {
    }

    /**
     * The schedule's state by name, for a checkpoint; empty (the default) for a pure schedule. Values
     * are doubles so that a checkpoint can store them exactly; counters are whole numbers.
     *
     * @return the state by name, or an empty map for a pure schedule
     */
    default Map<String, Double> state() {
        return Map.of();
    }

    /**
     * Takes back what {@link #state()} gave, when resuming from a checkpoint.
     *
     * @param state what {@link #state()} returned, e.g. read back from a checkpoint
     * @throws IllegalArgumentException when the names are not exactly those of {@link #state()} or a
     *                                  value is out of range; the schedule is then unchanged
     */
    default void restoreState(Map<String, Double> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("learning-rate schedule " + this + " keeps no state, but was given "
                    + state.keySet());
        }
    }
}
