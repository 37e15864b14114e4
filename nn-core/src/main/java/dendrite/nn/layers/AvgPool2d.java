package dendrite.nn.layers;

import dendrite.tensor.op.PoolOp;
import java.util.Map;

/**
 * PyTorch's {@code nn.AvgPool2d} (with {@code count_include_pad=True}): the mean of each window, per
 * channel, padding counted as zeros. Backward spreads each output's gradient evenly over its window.
 */
public final class AvgPool2d extends Pool2d {
    /** A {@code kernel x kernel} window moved by its own size. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, kernel, kernel, 0, 0);
    }

    public AvgPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        super(PoolOp.AVG, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** Builds one from its {@link #config()}. */
    public static AvgPool2d fromConfig(Map<String, ?> c) {
        int[] a = Pool2d.fromConfig(c, "avg_pool2d");
        return new AvgPool2d(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String type() {
        return "avg_pool2d";
    }
}
