package dendrite.nn.optim;

import java.util.Map;

/**
 * The learning rate as a function of training progress, and for some schedules the momentum too
 * ({@link #setsMomentum}: one-cycle cycles it as PyTorch's {@code OneCycleLR} does); see {@link Schedules}
 * for the standard ones.
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
     * Whether the schedule also sets each step's momentum: SGD's and RMSprop's momentum, the beta1 of Adam,
     * AdamW, Adamax and RAdam, as PyTorch's {@code OneCycleLR} does with {@code cycle_momentum=True}.
     * Default: {@code false}, the optimizer keeps its own.
     *
     * @return whether {@link #momentum} gives the momentum of every step
     */
    default boolean setsMomentum() {
        return false;
    }

    /**
     * The momentum for the next step, for a schedule that {@link #setsMomentum() sets it}.
     *
     * @param step  steps completed so far (0 for the first step)
     * @param epoch the current epoch, from 0
     * @return the momentum (or beta1) for that step, in [0, 1)
     * @throws UnsupportedOperationException if the schedule does not set the momentum (the default)
     */
    default double momentum(long step, int epoch) {
        throw new UnsupportedOperationException("the schedule " + this + " sets no momentum");
    }

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
