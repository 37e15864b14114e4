/**
 * Training: {@code fit}, evaluation, metrics, listeners, early stopping and checkpoints.
 */
package dendrite.nn.train;
