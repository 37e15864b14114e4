package dendrite.nn.train;

/**
 * Training produced a NaN or infinite loss. The message names the step and the first place that went
 * non-finite: the input batch, a layer's output (forward order), or a layer's gradient (backward order).
 */
public final class NonFiniteLossException extends ArithmeticException {
    /** The global step (from 1) whose loss was not finite. */
    private final long step;
    /** The first layer found non-finite, or -1. */
    private final int layerIndex;

    NonFiniteLossException(String message, long step, int layerIndex) {
        super(message);
        this.step = step;
        this.layerIndex = layerIndex;
    }

    /**
     * The global step (from 1) whose loss was not finite.
     *
     * @return the optimizer's step count the failed step would have reached
     */
    public long step() {
        return step;
    }

    /**
     * The first layer found non-finite, or -1 when only the input or the loss itself was.
     *
     * @return the layer's index in the model, or -1
     */
    public int layerIndex() {
        return layerIndex;
    }
}
