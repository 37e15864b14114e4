/**
 * Loss functions, each the mean over the batch, with their gradients.
 */
package dendrite.nn.losses;
