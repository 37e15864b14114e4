package dendrite.nn.diag;

import java.util.Locale;

/**
 * The size of one layer's gradients after a backward pass.
 *
 * @param layer   the layer's index in the model
 * @param type    the layer's type, e.g. {@code dense}
 * @param norm    the L2 norm of all the layer's parameter gradients together,
 *                {@code sqrt(sum over its parameters of |g|^2)}; NaN if any value is NaN
 * @param maxAbs  the largest absolute gradient value in the layer
 * @param weights the layer's parameter count
 */
public record GradientStats(int layer, String type, double norm, double maxAbs, long weights) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d %s: gradient norm %.3g, max |g| %.3g over %d weights",
                layer, type, norm, maxAbs, weights);
    }
}
