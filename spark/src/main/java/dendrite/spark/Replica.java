package dendrite.spark;

import dendrite.nn.layers.Parameter;
import dendrite.nn.Sequential;
import dendrite.nn.losses.Loss;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One copy of a model that trains in lock step with its copies in other processes: synchronous data
 * parallelism, as PyTorch's {@code DistributedDataParallel} and Horovod do it.
 *
 * <p>Each step, every replica runs forward and backward on its own part of the global batch, the
 * gradients are summed across replicas by a {@link RingAllReduce}, and every replica applies the same
 * optimizer step to the same summed gradient. The replicas start from the same weights, so they stay
 * identical without ever sending a weight: only gradients travel.
 *
 * <p>Why the result equals training on one machine with the whole batch: the losses average over the
 * samples of a batch, so a replica's gradient is the mean over its {@code n} samples. Weighted by
 * {@code n / B} and summed over replicas, that is the mean over all {@code B} samples of the global
 * batch: the gradient one process would have computed, up to the order in which floats were added.
 *
 * <p>Layers with running statistics ({@code BatchNorm}) keep each replica's own, from its own
 * samples; only rank 0's are saved, as PyTorch's DDP broadcasts rank 0's buffers.
 */
public final class Replica {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final RingAllReduce ring;
    private final List<Parameter> parameters = new ArrayList<>();
    private final float[] flat;
    private final int values;
    private long synchronisationNanos;

    /**
     * A replica of {@code model}, which must start from the same weights on every rank.
     *
     * @param model     this rank's copy of the model
     * @param loss      the loss, averaging over a batch's samples as Dendrite's losses do
     * @param optimizer this rank's optimizer, configured as on every other rank
     * @param ring      the ring joining the replicas
     */
    public Replica(Sequential model, Loss loss, Optimizer optimizer, RingAllReduce ring) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.ring = ring;
        int count = 0;
        // namedParameters keeps the layers' order, which is the same on every rank of one architecture.
        for (Parameter p : model.namedParameters().values()) {
            parameters.add(p);
            count += p.shape().size();
        }
        this.values = count;
        this.flat = new float[count + 1];                       // the gradients, then the loss
    }

    /**
     * The model this replica trains.
     *
     * @return this rank's copy of the model
     */
    public Sequential model() {
        return model;
    }

    /**
     * The ring this replica sums its gradients over.
     *
     * @return the ring
     */
    public RingAllReduce ring() {
        return ring;
    }

    /**
     * How many floats each step sums round the ring: every parameter's gradient and the loss.
     *
     * @return the length of each step's all-reduce
     */
    public int valuesPerStep() {
        return values + 1;
    }

    /**
     * Time spent so far waiting for and exchanging gradients: the cost of training on several machines
     * instead of one (it includes waiting for the slowest replica of each step).
     *
     * @return nanoseconds spent in the all-reduce since this replica was made
     */
    public long synchronisationNanos() {
        return synchronisationNanos;
    }

    /**
     * One synchronous step: forward and backward on this rank's {@code x}, the gradients summed over
     * the ring, the optimizer step.
     *
     * @param x           this rank's samples of the global batch ({@code n} rows; may differ between ranks)
     * @param y           their targets
     * @param globalBatch how many samples the global batch holds, over all ranks
     * @return the global batch's mean loss (the same on every rank)
     */
    public double step(Tensor x, Tensor y, int globalBatch) {
        int n = x.dim(0);
        if (globalBatch < n || globalBatch < 1) {
            throw new IllegalArgumentException("replica step: rank " + ring.rank() + " holds " + n
                    + " samples of a global batch of " + globalBatch);
        }
        double localLoss = loss.forward(model.forward(x, true), y).item();
        model.backward(loss.backward());
        Backend be = model.backend();
        int offset = 0;
        for (Parameter p : parameters) {
            be.read(p.grad(), flat, offset);
            offset += p.shape().size();
        }
        float weight = (float) n / globalBatch;
        if (weight != 1f) {
            for (int i = 0; i < values; i++) {
                flat[i] *= weight;
            }
        }
        flat[values] = (float) (localLoss * n / globalBatch);
        long start = System.nanoTime();
        ring.sum(flat, values + 1);
        synchronisationNanos += System.nanoTime() - start;
        offset = 0;
        for (Parameter p : parameters) {
            be.write(p.grad(), flat, offset);
            offset += p.shape().size();
        }
        optimizer.step(model.namedParameters());
        return flat[values];
    }
}
