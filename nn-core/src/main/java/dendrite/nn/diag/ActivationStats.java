package dendrite.nn.diag;

import dendrite.tensor.Shape;
import java.util.Locale;

/**
 * What one layer's output looked like on a batch: its spread, and the signs of trouble the
 * layer's activation can show.
 *
 * @param layer             the layer's index in the model
 * @param type              the layer's type, e.g. {@code relu}
 * @param shape             the batch output's shape, e.g. {@code [32, 128]}
 * @param mean              the mean of all output values
 * @param std               their (population) standard deviation
 * @param min               the smallest value
 * @param max               the largest value
 * @param deadFraction      for a ReLU: the fraction of units that output 0 for every sample of
 *                          the batch (they pass no gradient, so they may never recover); NaN for
 *                          other layers
 * @param saturatedFraction for a sigmoid: the fraction of outputs below 0.01 or above 0.99; for a
 *                          tanh: with |y| above 0.99 (the derivative there is below about 0.01 and
 *                          0.02, so learning through them stalls); NaN for other layers
 * @param nonFinite         the number of NaN or infinite values (these are excluded from the other numbers)
 */
public record ActivationStats(int layer, String type, Shape shape, double mean, double std, double min, double max,
        double deadFraction, double saturatedFraction, long nonFinite) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d %s %s: mean %.4g, std %.4g, range [%.4g, %.4g]",
                layer, type, shape, mean, std, min, max));
        if (!Double.isNaN(deadFraction)) {
            sb.append(String.format(Locale.ROOT, ", dead %.1f%%", 100 * deadFraction));
        }
        if (!Double.isNaN(saturatedFraction)) {
            sb.append(String.format(Locale.ROOT, ", saturated %.1f%%", 100 * saturatedFraction));
        }
        if (nonFinite > 0) {
            sb.append(", ").append(nonFinite).append(" not finite");
        }
        return sb.toString();
    }
}
