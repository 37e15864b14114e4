/**
 * Loss functions, each one value a batch (the mean over every value for the elementwise losses, as in
 * PyTorch, unless a loss takes a {@link dendrite.nn.losses.Reduction}), with their gradients: MSE, MAE,
 * Huber and smooth L1 (one code), binary cross-entropy on probabilities and on logits, softmax
 * cross-entropy fused with its softmax (class indices or one-hot targets, label smoothing), and, as
 * PyTorch's users know them, NLL after a {@code LogSoftmax} layer (class weights, ignore index), KL
 * divergence (per sample by default), Poisson NLL and torchvision's sigmoid focal loss. Each is composed
 * from whole-tensor backend kernels and reuses its buffers between batches; {@link
 * dendrite.nn.losses.Losses#byName} makes any of them from its name and {@link
 * dendrite.nn.losses.Loss#config()}. {@link dendrite.nn.losses.MultiTaskLoss} combines them for a model
 * with several heads: the weighted sum of each head's loss on its own columns of the output and targets.
 */
package dendrite.nn.losses;
