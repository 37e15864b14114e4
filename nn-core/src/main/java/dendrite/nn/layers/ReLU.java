package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/** {@code y = max(0, x); backward passes the gradient where the output is positive}. */
public final class ReLU extends ActivationLayer {
    /** A ReLU, PyTorch's {@code nn.ReLU()}. */
    public ReLU() {
        super(Activation.RELU, 0f);
    }
}
