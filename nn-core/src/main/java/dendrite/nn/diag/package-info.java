/**
 * Seeing inside: the gradient checker, activation and gradient statistics, and a training monitor.
 *
 * <ul>
 *   <li>{@link dendrite.nn.diag.GradientChecker}: analytic gradients against central finite differences.</li>
 *   <li>{@link dendrite.nn.diag.Diagnostics}: on demand, each layer's activation statistics
 *       ({@link dendrite.nn.diag.ActivationStats}: mean, spread, dead ReLUs, saturated sigmoid and
 *       tanh units) and gradient norms ({@link dendrite.nn.diag.GradientStats}).</li>
 *   <li>{@link dendrite.nn.diag.TrainingMonitor}: a training listener that warns about vanishing
 *       or exploding gradients and about validation loss rising while training loss falls.</li>
 * </ul>
 */
package dendrite.nn.diag;
