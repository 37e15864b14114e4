package dendrite.nn.layers;

import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/** The check a layer built for one sample shape makes of each batch it is given. */
final class BatchOfSamples {
    private BatchOfSamples() {
    }

    /**
     * Requires {@code x} to be {@code [batch, sample...]}.
     *
     * @throws IllegalArgumentException naming the layer type and both shapes otherwise
     */
    static void require(String type, Tensor x, Shape sample) {
        boolean fits = x.rank() == sample.rank() + 1;
        for (int i = 0; fits && i < sample.rank(); i++) {
            fits = x.dim(i + 1) == sample.dim(i);
        }
        if (!fits) {
            throw new IllegalArgumentException(type + ": input " + x.shape() + " does not fit the layer's [batch, "
                    + sample.toString().substring(1));
        }
    }
}
