package dendrite.nn.train;

/**
 * Training produced a NaN or infinite loss. The message names the step and the first place that went
 * non-finite: the input batch, a layer's output (forward order), or a layer's gradient (backward order).
 */
public final class NonFiniteLossException extends ArithmeticException {
    private final long step;
    private final int layerIndex;

    NonFiniteLossException(String message, long step, int layerIndex) {
        super(message);
        this.step = step;
        this.layerIndex = layerIndex;
    }

    /** The global step (from 1) whose loss was not finite. */
    public long step() {
        return step;
    }

    /** The first layer found non-finite, or -1 when only the input or the loss itself was. */
    public int layerIndex() {
        return layerIndex;
    }
}
