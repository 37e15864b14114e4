/**
 * Models that are not a straight line: a {@link dendrite.nn.graph.Graph} of named nodes (layers
 * and merges: add, multiply, concatenate), with skip connections, shared inputs and several outputs, built with a
 * {@link dendrite.nn.graph.GraphBuilder}; {@link dendrite.nn.graph.Blocks} makes the usual ones
 * (residual and transformer blocks).
 *
 * <p>A graph is a {@link dendrite.nn.layers.Layer}: put it in a {@link dendrite.nn.Sequential}
 * (alone, or as a block among other layers) and the trainer, evaluator, checkpoints and model files
 * work with it as with any model. Its backward pass visits the nodes in reverse topological order and
 * sums the gradients of a node that feeds several others.
 */
package dendrite.nn.graph;
