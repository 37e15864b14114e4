package dendrite.nn.train;

/**
 * Hears training progress: for progress bars, logs, plots and monitors. Every method has an empty
 * default; override the ones you need. Called on the training thread; a slow listener slows training.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model).listener(new TrainingListener() {
 *     public void onEpochEnd(EpochEvent e) { System.out.println(e.epoch() + " " + e.metrics()); }
 * }).build();
 * }</pre>
 */
public interface TrainingListener {

    /**
     * Before the first epoch.
     *
     * @param trainer the trainer starting {@code fit}, for its model, loss and optimizer
     */
    default void onTrainBegin(Trainer trainer) {
    }

    /**
     * After each optimizer step.
     *
     * @param step the step's epoch, batch, global step count, loss, batch size and learning rate
     */
    default void onStepEnd(StepEvent step) {
    }

    /**
     * After each epoch, its validation included.
     *
     * @param epoch the epoch's number, the total, its metrics and the history so far
     */
    default void onEpochEnd(EpochEvent epoch) {
    }

    /**
     * After the last epoch (or early stop), with best weights already restored.
     *
     * @param history what {@code fit} is about to return
     */
    default void onTrainEnd(History history) {
    }
}
