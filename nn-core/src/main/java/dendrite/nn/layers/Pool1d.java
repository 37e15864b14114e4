package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A pooling window over each channel of sequences {@code [channels, length]}: what {@link MaxPool1d}
 * and {@link AvgPool1d} share. No parameters.
 *
 * <p>It is the 2-D pooling layer with a {@code 1 x kernel} window on the sample seen as a one-row
 * image {@code [C, 1, L]}; the views share memory, so nothing is copied.
 */
abstract class Pool1d implements Layer {
    private final String type;
    private final int kernel, stride, pad;
    private final Pool2d pool;

    private Shape inputShape;
    private Shape input4;
    private Shape outputShape;
    private Shape output4;
    private final ViewCache xView = new ViewCache();
    private final ViewCache yView = new ViewCache();
    private final ViewCache dyView = new ViewCache();
    private final ViewCache dxView = new ViewCache();

    /**
     * Checks the arguments with this layer's own names (the 2-D pool would speak of a {@code 1 x k}
     * window) and makes the 2-D pool with {@code make(kernel, stride, pad)}.
     */
    Pool1d(String type, int kernel, int stride, int pad, Pool2dFactory make) {
        if (kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException(type + ": kernel " + kernel + " and stride " + stride
                    + " must be at least 1, padding " + pad + " at least 0");
        }
        if (pad > kernel / 2) {
            throw new IllegalArgumentException(type + ": padding " + pad + " must be at most half the window of "
                    + kernel + " (as in PyTorch)");
        }
        this.type = type;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.pool = make.make(kernel, stride, pad);
    }

    /** Makes the 2-D pool of a {@code 1 x kernel} window. */
    interface Pool2dFactory {
        /** The 2-D pool over a {@code 1 x kernel} window, moved by {@code stride}, padded {@code pad} at each end. */
        Pool2d make(int kernel, int stride, int pad);
    }

    /** {@code kernel_size}, {@code stride} (default: the kernel size) and {@code padding} (default 0) from a config. */
    static int[] fromConfig(Map<String, ?> c, String type) {
        int k = Configs.intValue(c, type, "kernel_size");
        int s = c.containsKey("stride") ? Configs.intValue(c, type, "stride") : k;
        int p = c.containsKey("padding") ? Configs.intValue(c, type, "padding") : 0;
        return new int[] {k, s, p};
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kernel_size", kernel);
        c.put("stride", stride);
        c.put("padding", pad);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException("[channels, length]", in, in.rank() == 1
                    ? type + " takes sequences [C, L]: add reshape(channels, length) before this layer"
                    : type + " takes sequences [C, L]: use the 2-D pool for [C, H, W] images");
        }
        if (in.dim(1) + 2L * pad < kernel) {
            throw new LayerShapeException("a sequence at least as long as " + type + "'s window of " + kernel
                    + " steps (with padding " + pad + " at each end)", in, "use a smaller window, or less pooling"
                    + " before this layer");
        }
        Shape out2 = pool.outputShape(Shape.of(in.dim(0), 1, in.dim(1)));
        return Shape.of(in.dim(0), out2.dim(2));
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        Shape outShape = outputShape(in);
        this.inputShape = in;
        this.input4 = Shape.of(in.dim(0), 1, in.dim(1));
        this.outputShape = outShape;
        this.output4 = Shape.of(outShape.dim(0), 1, outShape.dim(1));
        pool.build(backend, input4, seed);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (x.shape().rank() != 3 || x.dim(1) != inputShape.dim(0) || x.dim(2) != inputShape.dim(1)) {
            throw new IllegalArgumentException(type + " forward: input " + x.shape() + " is not a batch of "
                    + inputShape + " samples, the shape " + this + " was built for");
        }
        Tensor y4 = pool.forward(xView.batch(x, n, input4), training);
        return yView.batch(y4, n, outputShape);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int n = dOut.dim(0);
        Tensor dx4 = pool.backward(dyView.batch(dOut, n, output4));
        return dxView.batch(dx4, n, inputShape);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + kernel + (stride == kernel ? "" : ", stride " + stride)
                + (pad == 0 ? "" : ", pad " + pad) + ")";
    }
}
