/**
 * Datasets: IDX (MNIST format) and CSV readers, synthetic sets, the embedded digits, scaling, splits and mini-batches. Host-side float arrays; tensors are made per batch.
 */
package dendrite.nn.data;
