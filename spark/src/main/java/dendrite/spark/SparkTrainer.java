package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Loss;
import dendrite.nn.optim.Optimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Trains a model on a Spark cluster, synchronously data-parallel: one task per shard of the data, each
 * with a replica of the model, all started together as one barrier stage. Each step every task computes
 * the gradient on its part of the global batch; a {@link RingAllReduce} over sockets between the tasks
 * sums them, and every replica applies the same optimizer step. The result equals training in one
 * process with the whole global batch, up to the order of float additions.
 *
 * <pre>{@code
 * JavaRDD<Example> data = ...;                                    // features and labels
 * Sequential model = Sequential.builder(784).dense(256).relu().dense(10).build(backend, 42);
 * SparkTrainer.Run run = SparkTrainer.builder(model)
 *         .loss(Losses::softmaxCrossEntropy)
 *         .optimizer(() -> new Adam(1e-3))
 *         .tasks(2).batchSize(128).epochs(5)
 *         .build()
 *         .fit(data);                                             // model now holds the trained weights
 * }</pre>
 *
 * <p>Spark's own calls are far too slow to synchronise every step (a job, or a barrier, costs tens of
 * milliseconds to a second); Spark only schedules the tasks as a gang and passes their addresses once,
 * the pattern of Horovod on Spark.
 */
public final class SparkTrainer {
    private final Sequential model;
    private final Settings settings;
    private final List<EpochListener> listeners;
    private final List<StepListener> stepListeners;

    private SparkTrainer(Builder b) {
        this.model = b.model;
        this.settings = new Settings(b.loss, b.optimizer, b.tasks, b.epochs, b.batchSize, b.seed, b.timeout, b.backend,
                b.checkpoints, b.validation, b.patience, b.restoreBest, b.schedule, null, false);
        this.listeners = List.copyOf(b.listeners);
        this.stepListeners = List.copyOf(b.stepListeners);
    }

    /**
     * Starts configuring the training of {@code model}, whose current weights every replica starts from.
     *
     * @param model the model to train; it receives the trained weights when {@link #fit} returns
     * @return a builder
     */
    public static Builder builder(Sequential model) {
        return new Builder(model);
    }

    /**
     * What a training run measured, per epoch it trained: the mean loss over its global batches, and
     * how long the epoch took on the slowest task and how much of that the all-reduce took (on rank 0).
     *
     * @param firstEpoch       the epoch this run started at: 0, or the epochs of the checkpoint it resumed from
     * @param losses           each trained epoch's mean training loss
     * @param seconds          each trained epoch's wall time, the slowest task's
     * @param syncSeconds      each trained epoch's time in the all-reduce, rank 0's
     * @param validationLosses each trained epoch's validation loss (rank 0's), NaN without validation data
     * @param validationAccuracies each trained epoch's validation accuracy, NaN without validation data or for a regression
     * @param stepsPerEpoch    the global steps in each epoch
     */
    public record Run(int firstEpoch, double[] losses, double[] seconds, double[] syncSeconds, double[] validationLosses,
            double[] validationAccuracies, int stepsPerEpoch) {

        /**
         * Whether early stopping ended the run before its last epoch.
         *
         * @param epochs the epochs the trainer was given
         * @return true if fewer epochs were trained than asked for
         */
        public boolean stoppedEarly(int epochs) {
            return firstEpoch + losses.length < epochs;
        }
    }

    /**
     * Trains on {@code data}, spread over {@link Builder#tasks} tasks (the data is repartitioned into
     * that many shards when it has another number of partitions). The model given to the builder then
     * holds rank 0's trained state (every replica's weights are the same; running statistics are rank
     * 0's).
     *
     * @param data the training samples
     * @return the per-epoch losses and timings
     * @throws IllegalArgumentException if the cluster has fewer free slots than tasks, or a shard cannot
     *                                  fill one step
     */
    public Run fit(JavaRDD<Example> data) {
        // A barrier stage waits until all its tasks can run at once. In a local master the slots are
        // known now, so too many tasks are refused at once; on a cluster, executors may still be
        // coming (dynamic allocation), and Spark itself fails the stage, saying why, if they never do.
        int slots = data.context().defaultParallelism();
        int tasks = settings.tasks();
        if (data.context().master().startsWith("local") && tasks > slots) {
            throw new IllegalArgumentException("spark trainer: " + tasks + " tasks must run at once (a barrier stage),"
                    + " but the cluster offers " + slots + " task slots; give tasks(" + slots + ") or more executors/cores");
        }
        JavaRDD<Example> shards = data.getNumPartitions() == tasks ? data : data.repartition(tasks);
        ClassTag<TrainingTask.Result> tag = ClassTag$.MODULE$.apply(TrainingTask.Result.class);
        List<TrainingTask.Result> results;
        if (listeners.isEmpty() && stepListeners.isEmpty()) {
            TrainingTask task = new TrainingTask(ModelBytes.of(model), settings);
            results = run(shards, task, tag);
        } else {
            try (EpochChannel channel = new EpochChannel(listeners, stepListeners)) {
                String host = data.context().getConf().get("spark.driver.host", "127.0.0.1");
                TrainingTask task = new TrainingTask(ModelBytes.of(model), settings.reportingTo(host + ":" + channel.port(),
                        !stepListeners.isEmpty()));
                results = run(shards, task, tag);
            }
        }
        results.sort((a, b) -> Integer.compare(a.rank(), b.rank()));
        TrainingTask.Result first = results.get(0);
        model.loadStateDict(first.state());
        int trained = first.epochs().size();
        double[] losses = new double[trained];
        double[] seconds = new double[trained];
        double[] sync = new double[trained];
        double[] valLosses = new double[trained];
        double[] valAccuracies = new double[trained];
        for (int e = 0; e < trained; e++) {
            losses[e] = first.epochs().get(e)[0];
            sync[e] = first.epochs().get(e)[2];
            valLosses[e] = first.epochs().get(e)[3];
            valAccuracies[e] = first.epochs().get(e)[4];
            for (TrainingTask.Result r : results) {
                seconds[e] = Math.max(seconds[e], r.epochs().get(e)[1]);
            }
        }
        return new Run(first.first(), losses, seconds, sync, valLosses, valAccuracies, first.steps());
    }

    /**
     * Runs the barrier stage. Its results go through a shuffle before they are collected, which makes
     * it a shuffle-map stage: Spark retries a failed barrier shuffle-map stage whole (and the retried
     * tasks resume from the newest checkpoint), but never a failed barrier result stage.
     */
    private static List<TrainingTask.Result> run(JavaRDD<Example> shards, TrainingTask task,
            ClassTag<TrainingTask.Result> tag) {
        return new ArrayList<>(shards.rdd().barrier().mapPartitions(task, false, tag).toJavaRDD().repartition(1).collect());
    }

    /** Settings for a {@link SparkTrainer}; only the loss and the optimizer must be given. */
    public static final class Builder {
        private final Sequential model;
        private SerializableSupplier<Loss> loss;
        private SerializableSupplier<Optimizer> optimizer;
        private int tasks = 2;
        private int epochs = 1;
        private int batchSize = 32;
        private long seed = 42;
        private Duration timeout = Duration.ofMinutes(2);
        private String backend;
        private String checkpoints;
        private List<Example> validation;
        private int patience;
        private boolean restoreBest;
        private SerializableFunction<Long, dendrite.nn.optim.LearningRateSchedule> schedule;
        private final List<EpochListener> listeners = new ArrayList<>();
        private final List<StepListener> stepListeners = new ArrayList<>();

        private Builder(Sequential model) {
            this.model = java.util.Objects.requireNonNull(model, "model");
        }

        /**
         * The loss each task makes for itself.
         *
         * @param loss a serializable recipe, e.g. {@code Losses::softmaxCrossEntropy}
         * @return this builder
         */
        public Builder loss(SerializableSupplier<Loss> loss) {
            this.loss = loss;
            return this;
        }

        /**
         * The optimizer each task makes for itself, the same on every task.
         *
         * @param optimizer a serializable recipe, e.g. {@code () -> new Adam(1e-3)}
         * @return this builder
         */
        public Builder optimizer(SerializableSupplier<Optimizer> optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * How many tasks (replicas) train at once; the cluster must have that many free task slots.
         *
         * @param tasks at least 1 (default 2)
         * @return this builder
         */
        public Builder tasks(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("spark trainer: tasks must be at least 1, got " + tasks);
            }
            this.tasks = tasks;
            return this;
        }

        /**
         * Passes over the data.
         *
         * @param epochs at least 1 (default 1)
         * @return this builder
         */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("spark trainer: epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * The global batch: the samples of one step over all tasks together, as one process would use.
         *
         * @param batchSize at least the number of tasks (default 32)
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("spark trainer: the batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The seed of each task's shuffle of its shard.
         *
         * @param seed any value (default 42)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How long a task waits for a neighbour before failing the stage (a dead or stalled task).
         *
         * @param timeout positive (default two minutes)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("spark trainer: the timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The backend each task trains on, by name; by default the best one each executor has.
         *
         * @param name {@code scalar}, {@code vector} or {@code opencl}
         * @return this builder
         */
        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        /**
         * Where rank 0 writes a checkpoint after each epoch (model, optimizer state, epoch count), and
         * where every task looks for one when it starts: a run, or a stage Spark retries after a task
         * failed, continues after the newest checkpoint's epoch instead of starting over. A checkpoint
         * is renamed into place whole; the newest two are kept.
         *
         * @param folder a folder URI any Hadoop file system serves: {@code file:/...}, {@code hdfs://...}
         * @return this builder
         */
        public Builder checkpoints(String folder) {
            this.checkpoints = folder;
            return this;
        }

        /**
         * Samples to score after each epoch: rank 0 computes the loss (and accuracy, for a classifier) on
         * them and every rank receives its numbers, in {@link Run#validationLosses()}. They travel with
         * each task, so keep them to what fits in a task's memory.
         *
         * @param samples the validation samples
         * @return this builder
         */
        public Builder validation(List<Example> samples) {
            if (samples == null || samples.isEmpty()) {
                throw new IllegalArgumentException("spark trainer: validation needs at least one sample");
            }
            this.validation = List.copyOf(samples);
            return this;
        }

        /**
         * Stops every task after {@code patience} epochs without a lower validation loss (Keras's
         * {@code EarlyStopping(monitor="val_loss")}); needs {@link #validation}. With {@code restoreBest},
         * the model returned holds the weights of the epoch with the lowest validation loss (since the
         * run started or resumed).
         *
         * @param patience    epochs without improvement to allow, at least 1
         * @param restoreBest whether to return the best epoch's weights instead of the last
         * @return this builder
         */
        public Builder earlyStopping(int patience, boolean restoreBest) {
            if (patience < 1) {
                throw new IllegalArgumentException("spark trainer: patience must be at least 1, got " + patience);
            }
            this.patience = patience;
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * A learning-rate schedule over the whole run, made on each task from the run's total number of
         * global steps (which depends on how the data was sharded): for example
         * {@code total -> Schedules.cosine(0, total, 0)}. Epoch-based schedules see the global training
         * loss, or rank 0's validation loss when there is validation data.
         *
         * @param schedule the recipe, given the run's total steps
         * @return this builder
         */
        public Builder schedule(SerializableFunction<Long, dendrite.nn.optim.LearningRateSchedule> schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * A listener the driver calls after each epoch while the tasks train, with the epoch's loss,
         * timings and validation numbers (rank 0 reports them over a socket to the driver, which the
         * executors must be able to reach, as they already must for Spark itself).
         *
         * @param listener called on a driver thread, one epoch at a time, in order
         * @return this builder
         */
        public Builder listener(EpochListener listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * A listener the driver calls after each global step while the tasks train, with the global
         * batch's loss (one line per step travels from rank 0 to the driver).
         *
         * @param listener called on a driver thread, one step at a time, in order
         * @return this builder
         */
        public Builder stepListener(StepListener listener) {
            stepListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The trainer.
         *
         * @return a trainer with these settings
         * @throws IllegalStateException if the loss or the optimizer was not given
         */
        public SparkTrainer build() {
            if (patience > 0 && validation == null) {
                throw new IllegalStateException("spark trainer: early stopping watches the validation loss; give"
                        + " validation(samples) too");
            }
            if (loss == null || optimizer == null) {
                throw new IllegalStateException("spark trainer: give " + (loss == null ? "a loss" : "an optimizer")
                        + " (loss(Losses::softmaxCrossEntropy), optimizer(() -> new Adam(1e-3)))");
            }
            return new SparkTrainer(this);
        }
    }
}
