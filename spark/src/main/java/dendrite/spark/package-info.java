/**
 * Training on a cluster: synchronous data parallelism for Dendrite models.
 *
 * <p>{@link dendrite.spark.Replica} is one copy of the model per task: each step it computes the
 * gradient on its part of the global batch, and {@link dendrite.spark.RingAllReduce} sums the
 * gradients of all copies over direct TCP connections between neighbouring tasks, so every copy
 * applies the same update and none drifts. This is the pattern of Horovod and PyTorch's
 * {@code DistributedDataParallel}; the cluster scheduler's only jobs are to start the tasks as one
 * gang and to let them exchange their addresses once.
 */
package dendrite.spark;
