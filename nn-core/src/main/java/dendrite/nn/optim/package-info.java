/**
 * Optimizers, gradient clipping and learning-rate schedules.
 */
package dendrite.nn.optim;
