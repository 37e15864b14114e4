package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/**
 * The scaled exponential linear unit {@code y = scale (x if x > 0 else alpha (e^x - 1))} with
 * PyTorch's constants ({@link Activation#SELU_ALPHA}, {@link Activation#SELU_SCALE}); its derivative is
 * computed from the saved input. A stack of dense layers with SELUs keeps its activations near mean 0
 * and variance 1 without normalization layers (Klambauer et al., 2017) when the weights are LeCun normal,
 * which is why a layer before a SELU gets that initializer by default.
 */
public final class SELU extends ActivationLayer {
    /** A SELU, PyTorch's {@code nn.SELU()}. */
    public SELU() {
        super(Activation.SELU, 0f);
    }
}
