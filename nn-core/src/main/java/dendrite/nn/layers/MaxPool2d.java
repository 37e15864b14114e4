package dendrite.nn.layers;

import dendrite.tensor.op.PoolOp;
import java.util.Map;

/**
 * PyTorch's {@code nn.MaxPool2d}: the largest value of each window, per channel; padding never
 * wins. Backward sends each output's gradient to the input that won its window (the first of equal
 * largest values, in row-major order), and nothing to the others.
 */
public final class MaxPool2d extends Pool2d {
    /**
     * A {@code kernel x kernel} window moved by its own size: {@code MaxPool2d(2)} halves each side.
     *
     * @param kernel the window's side in pixels, and its stride, at least 1
     */
    public MaxPool2d(int kernel) {
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
    public MaxPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        super(PoolOp.MAX, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code kernel_size}, and optionally {@code stride} (default: the kernel size) and
     *          {@code padding} (default 0), each one number or two
     * @return a new MaxPool2d layer
     * @throws IllegalArgumentException if {@code kernel_size} is missing or a value is out of range
     */
    public static MaxPool2d fromConfig(Map<String, ?> c) {
        int[] a = Pool2d.fromConfig(c, "max_pool2d");
        return new MaxPool2d(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String type() {
        return "max_pool2d";
    }
}
