package dendrite.nn.layers;

import dendrite.tensor.op.PoolOp;
import java.util.Map;

/**
 * PyTorch's {@code nn.MaxPool2d}: the largest value of each window, per channel; padding never
 * wins. Backward sends each output's gradient to the input that won its window (the first of equal
 * largest values, in row-major order), and nothing to the others.
 */
public final class MaxPool2d extends Pool2d {
    /** A {@code kernel x kernel} window moved by its own size: {@code MaxPool2d(2)} halves each side. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, kernel, kernel, 0, 0);
    }

    public MaxPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        super(PoolOp.MAX, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** Builds one from its {@link #config()}. */
    public static MaxPool2d fromConfig(Map<String, ?> c) {
        int[] a = Pool2d.fromConfig(c, "max_pool2d");
        return new MaxPool2d(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String type() {
        return "max_pool2d";
    }
}
