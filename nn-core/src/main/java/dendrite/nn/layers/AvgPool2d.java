package dendrite.nn.layers;

import dendrite.tensor.op.PoolOp;
import java.util.Map;

/**
 * PyTorch's {@code nn.AvgPool2d} (with {@code count_include_pad=True}): the mean of each window, per
 * channel, padding counted as zeros. Backward spreads each output's gradient evenly over its window.
 */
public final class AvgPool2d extends Pool2d {
    /**
     * A {@code kernel x kernel} window moved by its own size.
     *
     * @param kernel the window's side in pixels, and its stride, at least 1
     */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, kernel, kernel, 0, 0);
    }

    /**
     * The full form, as PyTorch's arguments.
     *
     * @param kernelH the window's height in pixels, at least 1
     * @param kernelW the window's width in pixels, at least 1
     * @param strideH the vertical step between windows in pixels, at least 1
     * @param strideW the horizontal step between windows in pixels, at least 1
     * @param padH    the rows of padding above and below, from 0 to {@code kernelH / 2}
     * @param padW    the columns of padding left and right, from 0 to {@code kernelW / 2}
     * @throws IllegalArgumentException if a size is out of range
     */
    public AvgPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        super(PoolOp.AVG, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code kernel_size}, and optionally {@code stride} (default: the kernel size) and
     *          {@code padding} (default 0), each one number or two
     * @return a new AvgPool2d layer
     * @throws IllegalArgumentException if {@code kernel_size} is missing or a value is out of range
     */
    public static AvgPool2d fromConfig(Map<String, ?> c) {
        int[] a = Pool2d.fromConfig(c, "avg_pool2d");
        return new AvgPool2d(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String type() {
        return "avg_pool2d";
    }
}
