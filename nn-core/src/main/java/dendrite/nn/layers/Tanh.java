package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/** {@code y = tanh x; derivative 1 - y^2}. */
public final class Tanh extends ActivationLayer {
    /** A hyperbolic tangent, PyTorch's {@code nn.Tanh()}. */
    public Tanh() {
        super(Activation.TANH, 0f);
    }
}
