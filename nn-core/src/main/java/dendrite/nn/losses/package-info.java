/**
 * Loss functions, each the mean over the batch (over every value for the elementwise losses, as in
 * PyTorch), with their gradients: MSE, MAE, Huber, binary cross-entropy on probabilities and on logits,
 * and softmax cross-entropy fused with its softmax (class indices or one-hot targets, label smoothing).
 * Each is composed from whole-tensor backend kernels and reuses its buffers between batches.
 * {@link dendrite.nn.losses.MultiTaskLoss} combines them for a model with several heads: the weighted
 * sum of each head's loss on its own columns of the output and targets.
 */
package dendrite.nn.losses;
