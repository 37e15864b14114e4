package dendrite.nn.train;

/**
 * Hears training progress: for progress bars, logs, plots and monitors. Every method has an empty
 * default; override the ones you need. Called on the training thread; a slow listener slows training.
 *
 * <pre>{@code
 * trainer.listener(new TrainingListener() {
 *     public void onEpochEnd(EpochEvent e) { System.out.println(e.epoch() + " " + e.metrics()); }
 * });
 * }</pre>
 */
public interface TrainingListener {

    /** Before the first epoch. */
    default void onTrainBegin(Trainer trainer) {
    }

    /** After each optimizer step. */
    default void onStepEnd(StepEvent step) {
    }

    /** After each epoch, its validation included. */
    default void onEpochEnd(EpochEvent epoch) {
    }

    /** After the last epoch (or early stop), with best weights already restored. */
    default void onTrainEnd(History history) {
    }
}
