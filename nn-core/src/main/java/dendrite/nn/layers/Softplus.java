package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/**
 * {@code y = ln(1 + e^x)}, computed without overflow; derivative {@code sigmoid(x) = 1 - e^-y}, from
 * the saved output. A smooth ReLU whose output is always positive: the usual last layer for a
 * quantity that must be, such as a predicted standard deviation or rate.
 */
public final class Softplus extends ActivationLayer {
    /**
     * A softplus, PyTorch's {@code nn.Softplus()} with its defaults (beta 1; its threshold of 20, above
     * which it returns x, changes no float result: there {@code ln(1 + e^x)} rounds to x too).
     */
    public Softplus() {
        super(Activation.SOFTPLUS, 0f);
    }
}
