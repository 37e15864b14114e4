package dendrite.nn.layers;

import java.util.Map;

/**
 * PyTorch's {@code nn.MaxPool1d} on sequences {@code [channels, length]}: the largest value of each
 * window, per channel; padding never wins. Backward sends each output's gradient to the input that
 * won its window (the first of equal largest values), and nothing to the others.
 */
public final class MaxPool1d extends Pool1d {
    /**
     * A window of {@code kernel} steps moved by its own size: {@code MaxPool1d(2)} halves the length.
     *
     * @param kernel the window's length in steps, and its stride, at least 1
     */
    public MaxPool1d(int kernel) {
        this(kernel, kernel, 0);
    }

    /**
     * The full form, as PyTorch's arguments.
     *
     * @param kernel  the window's length in steps, at least 1
     * @param stride  the step between windows, at least 1 (PyTorch's default is the kernel)
     * @param padding the steps of padding at each end, from 0 to {@code kernel / 2}
     * @throws IllegalArgumentException if a size is out of range
     */
    public MaxPool1d(int kernel, int stride, int padding) {
        super("max_pool1d", kernel, stride, padding, (k, s, p) -> new MaxPool2d(1, k, 1, s, 0, p));
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code kernel_size}, and optionally {@code stride} (default: the kernel size) and
     *          {@code padding} (default 0), each one number
     * @return a new MaxPool1d layer
     * @throws IllegalArgumentException if {@code kernel_size} is missing or a value is out of range
     */
    public static MaxPool1d fromConfig(Map<String, ?> c) {
        int[] a = Pool1d.fromConfig(c, "max_pool1d");
        return new MaxPool1d(a[0], a[1], a[2]);
    }
}
