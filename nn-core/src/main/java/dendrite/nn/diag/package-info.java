/**
 * Seeing inside: the gradient checker, activation and gradient statistics, and a training monitor.
 */
package dendrite.nn.diag;
