package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * What each task of the barrier stage runs: it rebuilds the model from the driver's model file, joins
 * the ring through one {@code allGather} of addresses, and trains its shard in lock step with the
 * other tasks. Rank 0 sends the trained weights back.
 */
final class TrainingTask extends AbstractFunction1<scala.collection.Iterator<Example>, scala.collection.Iterator<TrainingTask.Result>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What a task sends back to the driver.
     *
     * @param rank   the task's rank
     * @param state  the trained model's state dict (rank 0 only; null for the others)
     * @param steps  the global steps of each epoch
     * @param first  the epoch training started at (after the checkpoint it resumed from)
     * @param epochs per epoch trained: the global batches' mean loss, the epoch's seconds, the seconds in the
     *               all-reduce, the validation loss and accuracy (NaN without validation data)
     */
    record Result(int rank, Map<String, float[]> state, int steps, int first, List<double[]> epochs) implements Serializable {
    }

    private final byte[] modelFile;
    private final Settings settings;

    TrainingTask(byte[] modelFile, Settings settings) {
        this.modelFile = modelFile;
        this.settings = settings;
    }

    @Override
    public scala.collection.Iterator<Result> apply(scala.collection.Iterator<Example> samples) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int rank = context.partitionId();
        BarrierTaskInfo[] tasks = context.getTaskInfos();
        List<Example> shard = new ArrayList<>();
        CollectionConverters.asJava(samples).forEachRemaining(shard::add);
        try {
            ServerSocket server = RingAllReduce.listen(null);
            String host = host(tasks[rank].address());
            String[] published = context.allGather(host + " " + server.getLocalPort() + " " + shard.size());
            List<InetSocketAddress> addresses = new ArrayList<>();
            int[] sizes = new int[published.length];
            for (int r = 0; r < published.length; r++) {
                String[] parts = published[r].split(" ");
                addresses.add(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
                sizes[r] = Integer.parseInt(parts[2]);
            }
            int steps = ShardPlan.stepsPerEpoch(sizes, settings.globalBatch());
            try (RingAllReduce ring = RingAllReduce.join(rank, addresses, server, settings.timeout())) {
                return CollectionConverters.asScala(List.of(train(shard, ring, steps)).iterator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spark trainer: task " + rank + ": " + e.getMessage(), e);
        }
    }

    private Result train(List<Example> shard, RingAllReduce ring, int steps) {
        Sequential model = ModelBytes.load(modelFile, settings.backend());
        Backend be = model.backend();
        dendrite.nn.optim.Optimizer opt = settings.optimizer().get();
        if (settings.schedule() != null) {
            // Set before a restore, which resumes the schedule's state.
            opt.schedule(settings.schedule().apply((long) steps * settings.epochs()));
        }
        Replica replica = new Replica(model, settings.loss().get(), opt, ring);
        int rank = ring.rank();
        CheckpointStore store = settings.checkpoints() == null ? null : new CheckpointStore(settings.checkpoints());
        // Every rank resumes from the same checkpoint: none is written before the first step, which
        // needs every rank, so all have looked before rank 0 can write the next one.
        int first = store == null ? 0 : Math.min(store.latest(), settings.epochs());
        dendrite.nn.losses.Loss lossForValidation = settings.loss().get();
        EarlyStop stop = new EarlyStop(settings.patience());
        if (first > 0) {
            stop.resume(store.restore(first, model, opt));
        }
        float[] shared = new float[2];
        Map<String, float[]> best = null;
        int n = shard.size();
        int features = shard.get(0).features().length;
        int targets = shard.get(0).target().length;
        int b = ShardPlan.localBatch(settings.globalBatch(), ring.size(), rank);
        float[] xs = new float[b * features];
        float[] ys = new float[b * targets];
        int[] inputDims = new int[model.inputShape().rank() + 1];
        inputDims[0] = b;
        System.arraycopy(model.inputShape().dims(), 0, inputDims, 1, model.inputShape().rank());
        List<double[]> stats = new ArrayList<>();
        String driver = settings.driver();
        try (EpochChannel.Sender report = driver == null || rank != 0 ? null
                        : new EpochChannel.Sender(driver.substring(0, driver.lastIndexOf(':')),
                                Integer.parseInt(driver.substring(driver.lastIndexOf(':') + 1)));
                Tensor x = be.zeros(inputDims); Tensor y = targets == 1 ? be.zeros(b) : be.zeros(b, targets)) {
            for (int epoch = first; epoch < settings.epochs(); epoch++) {
                long start = System.nanoTime();
                long syncBefore = replica.synchronisationNanos();
                int[] order = ShardPlan.order(settings.seed(), epoch, rank, n);
                double lossSum = 0;
                for (int s = 0; s < steps; s++) {
                    for (int i = 0; i < b; i++) {
                        Example e = shard.get(order[s * b + i]);
                        System.arraycopy(e.features(), 0, xs, i * features, features);
                        System.arraycopy(e.target(), 0, ys, i * targets, targets);
                    }
                    x.copyFrom(xs);
                    y.copyFrom(ys);
                    double stepLoss = replica.step(x, y, settings.globalBatch());
                    lossSum += stepLoss;
                    if (report != null && settings.reportSteps()) {
                        report.step(epoch, s, stepLoss);
                    }
                }
                double valLoss = Double.NaN;
                double valAccuracy = Double.NaN;
                if (settings.validation() != null) {
                    java.util.Arrays.fill(shared, 0f);
                    if (rank == 0) {
                        double[] v = Validation.measure(model, lossForValidation, settings.validation());
                        shared[0] = (float) v[0];
                        shared[1] = (float) v[1];
                    }
                    ring.sum(shared, 2);                     // rank 0's numbers, the same on every rank
                    valLoss = shared[0];
                    valAccuracy = shared[1];
                }
                double[] epochStats = {lossSum / steps, (System.nanoTime() - start) / 1e9,
                        (replica.synchronisationNanos() - syncBefore) / 1e9, valLoss, valAccuracy};
                stats.add(epochStats);
                if (report != null) {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("loss", epochStats[0]);
                    metrics.put("seconds", epochStats[1]);
                    metrics.put("sync_seconds", epochStats[2]);
                    if (settings.validation() != null) {
                        metrics.put("val_loss", valLoss);
                        metrics.put("val_accuracy", valAccuracy);
                    }
                    report.epoch(epoch, metrics);
                }
                // The same number on every rank (the global loss, or rank 0's validation loss), so every
                // replica's schedule takes the same decision.
                opt.epochEnded(epoch, settings.validation() != null ? valLoss : lossSum / steps);
                boolean improved = settings.validation() != null && stop.record(valLoss);
                if (improved && settings.restoreBest() && rank == 0) {
                    best = state(model);
                }
                if (store != null && rank == 0) {
                    store.save(epoch + 1, model, opt, stop.progress());
                }
                if (settings.validation() != null && stop.shouldStop()) {
                    break;
                }
            }
        }
        Map<String, float[]> state = rank != 0 ? null : best != null ? best : state(model);
        return new Result(rank, state, steps, first, stats);
    }

    private static Map<String, float[]> state(Sequential model) {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            state.put(e.getKey(), e.getValue().toArray());
        }
        return state;
    }

    /** The host part of a task's {@code host:port} address. */
    private static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }
}
