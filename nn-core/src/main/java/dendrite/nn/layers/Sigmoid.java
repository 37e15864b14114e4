package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/** {@code y = 1 / (1 + e^-x); derivative y (1 - y)}. */
public final class Sigmoid extends ActivationLayer {
    /** A logistic sigmoid, PyTorch's {@code nn.Sigmoid()}. */
    public Sigmoid() {
        super(Activation.SIGMOID, 0f);
    }

    @Override
    public boolean outputsProbabilities() {
        return true;
    }
}
