package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/** The Gaussian error linear unit in PyTorch's tanh approximation ({@code approximate='tanh'}). */
public final class GELU extends ActivationLayer {
    public GELU() {
        super(Activation.GELU, 0f);
    }
}
