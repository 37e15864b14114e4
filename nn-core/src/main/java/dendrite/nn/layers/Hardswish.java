package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/**
 * The hard swish of MobileNetV3, {@code y = x min(max(x + 3, 0), 6) / 6}: SiLU's shape from a clamp and
 * a product, without exp, for small and quantized networks. Its derivative ({@code 0} below -3,
 * {@code x / 3 + 1/2} from -3 to 3, {@code 1} above; PyTorch's -1/2 and 3/2 at the kinks) is computed
 * from the saved input.
 */
public final class Hardswish extends ActivationLayer {
    /** A hard swish, PyTorch's {@code nn.Hardswish()}. */
    public Hardswish() {
        super(Activation.HARDSWISH, 0f);
    }
}
