package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

/**
 * The sigmoid linear unit {@code y = x sigmoid(x)} (Swish with beta 1), whose derivative
 * {@code s (1 + x (1 - s))}, s the sigmoid of x, is computed from the saved input. Smooth and
 * non-monotonic below zero like the GELU, it is the activation of EfficientNet, YOLO and the gated
 * feed-forward networks of recent Transformers.
 */
public final class SiLU extends ActivationLayer {
    /** A SiLU, PyTorch's {@code nn.SiLU()} (Keras' {@code swish}). */
    public SiLU() {
        super(Activation.SILU, 0f);
    }
}
