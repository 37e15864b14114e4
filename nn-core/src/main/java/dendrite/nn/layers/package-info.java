/**
 * Layers with explicit forward and backward passes: {@code forward} keeps what {@code backward} needs;
 * {@code backward} takes dL/dout, fills the parameter gradients and returns dL/din, so the chain rule
 * can be read in the code.
 *
 * <p>{@link dendrite.nn.layers.Layer} is the interface to implement for a layer of your own; four
 * classes here exist for that and nothing else: {@link dendrite.nn.layers.BatchBuffer} gives it
 * reusable per-batch buffers, {@link dendrite.nn.layers.ViewCache} a reshaped view reused from batch
 * to batch, {@link dendrite.nn.layers.Configs} reads its hyperparameters back from
 * a model file's architecture, and {@link dendrite.nn.layers.LayerRegistry} lets saved models that
 * contain it load (declaring its {@code stateShapes} lets a model file be checked before the layer
 * allocates). A layer is asked about itself rather than tested for its type:
 * {@link dendrite.nn.layers.Layer#followedBy} (defaults that depend on the next layer) and
 * {@link dendrite.nn.layers.Layer#outputsProbabilities}. Built in: Dense, ReLU, LeakyReLU, Sigmoid, Tanh,
 * GELU (exact or tanh-approximated, as PyTorch's {@code approximate}), SiLU, Softplus, ELU, SELU, Mish,
 * Hardswish, Softmax, LogSoftmax, Dropout, BatchNorm1d, Flatten, Reshape, Conv2d, ConvTranspose2d,
 * BatchNorm2d, Dropout2d, GroupNorm, MaxPool2d, AvgPool2d, GlobalAvgPool2d, Upsample2d (nearest or
 * bilinear, as PyTorch's {@code nn.Upsample}), Columns (a block of a sample's features), and
 * for sequences Conv1d, MaxPool1d and AvgPool1d (channels first, {@code [channels, length]}, as PyTorch's;
 * run on the 2-D operations through views; Transpose turns {@code [time, features]} into that layout and
 * back), Embedding, PositionEmbedding, LayerNorm, MultiheadAttention, GlobalAvgPool1d, SimpleRNN, GRU and
 * LSTM (PyTorch's parameter names, shapes and gate orders, so their weights interchange; the three recurrent
 * layers share {@link dendrite.nn.layers.Recurrent}, which runs the time loop and leaves each its cell's
 * step; {@link dendrite.nn.layers.Bidirectional} runs one both ways and
 * {@link dendrite.nn.layers.RecurrentStack} stacks them as PyTorch's {@code num_layers}, with its
 * {@code dropout}; all three are {@link dendrite.nn.layers.RecurrentLayer}s, whose initial state can be given
 * and final state read, or carried from batch to batch when stateful).
 */
package dendrite.nn.layers;
