/**
 * Metrics on host arrays, as pure functions: accuracy, precision, recall and F1 (per class and
 * macro-averaged) through a {@link dendrite.nn.metrics.ConfusionMatrix}, a scikit-learn-style
 * {@link dendrite.nn.metrics.ClassificationReport}, and MSE, MAE and R² for regression
 * ({@link dendrite.nn.metrics.Metrics}). Arguments come in scikit-learn's order: actual values
 * first, then predictions.
 */
package dendrite.nn.metrics;
