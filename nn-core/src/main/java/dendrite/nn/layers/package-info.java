/**
 * Layers with explicit forward and backward passes: {@code forward} keeps what {@code backward} needs;
 * {@code backward} takes dL/dout, fills the parameter gradients and returns dL/din, so the chain rule
 * can be read in the code.
 *
 * <p>{@link dendrite.nn.layers.Layer} is the interface to implement for a layer of your own;
 * {@link dendrite.nn.layers.BatchBuffer} gives it reusable per-batch buffers, and
 * {@link dendrite.nn.layers.LayerRegistry} lets saved models that contain it load (declaring its
 * {@code stateShapes} lets a model file be checked before the layer allocates). Built in: Dense,
 * ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, Dropout, BatchNorm1d, Flatten, Reshape.
 */
package dendrite.nn.layers;
