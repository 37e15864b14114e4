package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/**
 * Mish, {@code y = x tanh(softplus(x))} (Misra, 2019), whose derivative
 * {@code t + x sigmoid(x) (1 - t^2)}, t = tanh(softplus(x)), is computed from the saved input. Smooth
 * and non-monotonic below zero like SiLU, with a slightly deeper dip; YOLOv4's activation.
 */
public final class Mish extends ActivationLayer {
    /** A Mish, PyTorch's {@code nn.Mish()}. */
    public Mish() {
        super(Activation.MISH, 0f);
    }
}
