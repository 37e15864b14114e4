package dendrite.nn.layers;

import java.util.Map;

/**
 * PyTorch's {@code nn.AvgPool1d} (with {@code count_include_pad=True}) on sequences
 * {@code [channels, length]}: the mean of each window, per channel, padding counted as zeros.
 * Backward spreads each output's gradient evenly over its window. {@code AvgPool1d(length)} followed
 * by a flatten is each channel's mean over the whole sequence.
 */
public final class AvgPool1d extends Pool1d {
    /**
     * A window of {@code kernel} steps moved by its own size.
     *
     * @param kernel the window's length in steps, and its stride, at least 1
     */
    public AvgPool1d(int kernel) {
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
    public AvgPool1d(int kernel, int stride, int padding) {
        super("avg_pool1d", kernel, stride, padding, (k, s, p) -> new AvgPool2d(1, k, 1, s, 0, p));
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code kernel_size}, and optionally {@code stride} (default: the kernel size) and
     *          {@code padding} (default 0), each one number
     * @return a new AvgPool1d layer
     * @throws IllegalArgumentException if {@code kernel_size} is missing or a value is out of range
     */
    public static AvgPool1d fromConfig(Map<String, ?> c) {
        int[] a = Pool1d.fromConfig(c, "avg_pool1d");
        return new AvgPool1d(a[0], a[1], a[2]);
    }
}
