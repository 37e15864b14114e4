package dendrite.tensor.op;

import java.util.Locale;

/** What a pooling window keeps of its values ({@code Backend.pool2d}). */
public enum PoolOp {
    /**
     * The largest value in the window (padding never wins: it holds no value); NaN counts as the
     * largest. Backward sends each output's gradient to the first largest input of its window, in
     * row-major window order, as PyTorch does.
     */
    MAX,
    /**
     * The mean of the window, padding counted as zeros in the divisor (PyTorch's
     * {@code count_include_pad=True}): every output divides by {@code kernelH * kernelW}.
     */
    AVG;

    private final String label = name().toLowerCase(Locale.ROOT) + "Pool2d";

    private final String backwardLabel = label + " backward";

    /**
     * The name in error messages: "maxPool2d".
     *
     * @return {@code "maxPool2d"} or {@code "avgPool2d"}
     */
    public String label() {
        return label;
    }

    /**
     * The name of the backward pass in error messages: "maxPool2d backward".
     *
     * @return {@link #label()} followed by {@code " backward"}
     */
    public String backwardLabel() {
        return backwardLabel;
    }
}
