/**
 * Layers with explicit forward and backward passes: {@code forward} keeps what {@code backward} needs; {@code backward} takes dL/dout, fills the parameter gradients and returns dL/din.
 */
package dendrite.nn.layers;
