package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/** {@code y = tanh x; derivative 1 - y^2}. */
public final class Tanh extends ActivationLayer {
    public Tanh() {
        super(Activation.TANH, 0f);
    }
}
