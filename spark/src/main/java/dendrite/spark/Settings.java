package dendrite.spark;

import dendrite.nn.losses.Loss;
import dendrite.nn.optim.LearningRateSchedule;
import dendrite.nn.optim.Optimizer;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A {@link SparkTrainer}'s settings as they travel to every task: one serializable value, so that the
 * driver and the tasks cannot disagree on a field.
 *
 * @param loss        each task's loss recipe
 * @param optimizer   each task's optimizer recipe
 * @param tasks       how many tasks train at once
 * @param epochs      passes over the data
 * @param globalBatch samples per step over all tasks
 * @param seed        the shuffles' seed
 * @param timeout     how long a task waits for a neighbour
 * @param backend     the backend's name, or null for each executor's best
 * @param checkpoints the checkpoint folder's URI, or null for none
 * @param validation  validation samples, or null
 * @param patience    early stopping's patience, 0 for none
 * @param restoreBest whether early stopping returns the best epoch's weights
 * @param schedule    the learning-rate schedule's recipe from the run's total steps, or null
 * @param driver      where rank 0 reports each epoch ({@code host:port} of the driver's {@link EpochChannel}),
 *                    or null when no listener waits
 * @param reportSteps whether rank 0 also reports every step's loss (a step listener waits)
 */
record Settings(SerializableSupplier<Loss> loss, SerializableSupplier<Optimizer> optimizer, int tasks, int epochs,
        int globalBatch, long seed, Duration timeout, String backend, String checkpoints, List<Example> validation,
        int patience, boolean restoreBest, SerializableFunction<Long, LearningRateSchedule> schedule,
        String driver, boolean reportSteps) implements Serializable {

    /** The same settings, reporting epochs (and steps, if {@code steps}) to the driver at {@code address}. */
    Settings reportingTo(String address, boolean steps) {
        return new Settings(loss, optimizer, tasks, epochs, globalBatch, seed, timeout, backend, checkpoints, validation,
                patience, restoreBest, schedule, address, steps);
    }
}
