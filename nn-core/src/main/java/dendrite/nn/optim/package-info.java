/**
 * Optimizers (SGD with momentum and Nesterov, Adam, AdamW, RMSProp, Adagrad) running the backends'
 * fused update kernels, and NAdam, RAdam, Adamax and Adadelta composed of their element-wise
 * operations, all as PyTorch's; L2 or decoupled weight decay, gradient clipping by global norm and
 * by value, and learning-rate schedules (constant, step decay, exponential, cosine with warm-up,
 * reduce-on-plateau). Optimizer state, and the state of a schedule that learns as it goes
 * (reduce-on-plateau's), is exposed by name for checkpoints.
 */
package dendrite.nn.optim;
