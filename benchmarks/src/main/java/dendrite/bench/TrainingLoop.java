package dendrite.bench;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.MiniBatches;
import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * A benchmark model's training ({@link Workload}) on one backend, step by step: the dataset is uploaded once, and each step
 * gathers its rows on the backend in the epoch's seeded order and hands them to
 * {@link Trainer#step}, the trainer's own step (forward, the loss read back to catch a NaN,
 * backward and Adam's update), all in buffers reused from the previous step.
 *
 * <p>The loop around the step is here rather than {@code Trainer.fit} so that the epoch timed is
 * the training alone (no upload, no accuracy bookkeeping, no listeners).
 */
final class TrainingLoop implements AutoCloseable {
    final Backend backend;
    final Sequential model;
    final MiniBatches batches;
    private final Trainer trainer;
    private final Tensor features;
    private final Tensor labels;
    private final BatchBuffer x;
    private final BatchBuffer y;

    TrainingLoop(Backend backend, Dataset data, Workload workload) {
        this.backend = backend;
        this.model = workload.build(backend);
        this.trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(Mlp.LEARNING_RATE))
                .batchSize(Mlp.BATCH)
                .build();
        this.batches = new MiniBatches(data.size(), Mlp.BATCH, Mlp.SEED);
        int[] dims = new int[model.inputShape().rank() + 1];              // [n, 784] or [n, 1, 28, 28]
        dims[0] = data.size();
        System.arraycopy(model.inputShape().dims(), 0, dims, 1, dims.length - 1);
        this.features = backend.tensor(data.features(), dims);
        this.labels = backend.tensor(data.targets(), data.size());
        this.x = new BatchBuffer(backend, model.inputShape());
        this.y = new BatchBuffer(backend, Shape.scalar());
    }

    /** One step on the samples {@code order[from..to)}; returns the batch's loss before the update. */
    float step(int[] order, int from, int to) {
        int m = to - from;
        Tensor xb = x.get(m);
        Tensor yb = y.get(m);
        backend.gatherRows(features, order, from, xb);
        backend.gatherRows(labels, order, from, yb);
        return trainer.step(xb, yb);
    }

    /** One epoch in epoch {@code epoch}'s shuffled order; returns the mean loss over the batches. */
    double epoch(int epoch) {
        int[] order = batches.permutation(epoch);
        double sum = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            sum += step(order, batches.from(b), batches.to(b));
        }
        backend.synchronize();
        return sum / batches.batchCount();
    }

    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
