package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch normalization per channel of images {@code [channels, height, width]}, as PyTorch's
 * {@code BatchNorm2d}: each channel's mean and variance are taken over the batch and every pixel,
 * {@code N * H * W} values, and the running statistics keep the unbiased variance over that count.
 *
 * <p>That is exactly {@link BatchNorm1d} on the images seen channels-last, one row per pixel of
 * every image ({@code [N * H * W, C]}): this layer transposes each image {@code [C, H*W]} to
 * {@code [H*W, C]}, runs a BatchNorm1d over the rows, and transposes back; backward does the same
 * with the gradients. Parameters {@code weight}, {@code bias} and buffers {@code running_mean},
 * {@code running_var}, each {@code [C]}, named as in PyTorch.
 */
public final class BatchNorm2d implements Layer {
    private final BatchNorm1d perPixel;
    private final double eps;
    private final double momentum;
    private Backend be;
    private int channels;
    private int pixels;
    private BatchBuffer channelsLast;
    private BatchBuffer out;
    private BatchBuffer dx;
    private final ImageViews forwardIn = new ImageViews();
    private final ImageViews forwardRows = new ImageViews();
    private final ImageViews forwardBack = new ImageViews();
    private final ImageViews forwardOut = new ImageViews();
    private final ImageViews backwardIn = new ImageViews();
    private final ImageViews backwardRows = new ImageViews();
    private final ImageViews backwardBack = new ImageViews();
    private final ImageViews backwardOut = new ImageViews();

    public BatchNorm2d() {
        this(1e-5, 0.1);
    }

    public BatchNorm2d(double eps, double momentum) {
        this.eps = eps;
        this.momentum = momentum;
        this.perPixel = new BatchNorm1d(eps, momentum);
    }

    @Override
    public String type() {
        return "batch_norm2d";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("eps", eps);
        c.put("momentum", momentum);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "use batchNorm() (BatchNorm1d) on flat features" : "give images as [C, H, W]");
        }
        return in;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return perPixel.stateShapes(Shape.of(in.dim(0)));
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        outputShape(in);
        be = backend;
        channels = in.dim(0);
        pixels = in.dim(1) * in.dim(2);
        perPixel.build(backend, Shape.of(channels), seed);
        channelsLast = new BatchBuffer(backend, Shape.of(channels));
        out = new BatchBuffer(backend, in);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        Tensor rows = channelsLast.get(m * pixels);
        transposeImages(forwardIn.planes(x, m, channels, pixels), forwardRows.pixelRows(rows, m, pixels, channels));
        Tensor normalized = perPixel.forward(rows, training);
        Tensor y = out.get(m);
        transposeImages(forwardBack.pixelRows(normalized, m, pixels, channels), forwardOut.planes(y, m, channels, pixels));
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int m = dOut.dim(0);
        Tensor rows = channelsLast.get(m * pixels);
        transposeImages(backwardIn.planes(dOut, m, channels, pixels), backwardRows.pixelRows(rows, m, pixels, channels));
        Tensor dRows = perPixel.backward(rows);
        Tensor dX = dx.get(m);
        transposeImages(backwardBack.pixelRows(dRows, m, pixels, channels), backwardOut.planes(dX, m, channels, pixels));
        return dX;
    }

    private void transposeImages(Tensor[] from, Tensor[] to) {
        for (int i = 0; i < from.length; i++) {
            be.transpose(from[i], to[i]);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return perPixel.parameters();
    }

    @Override
    public long parameterCount() {
        return 2L * channels;
    }

    @Override
    public Map<String, Tensor> buffers() {
        return perPixel.buffers();
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + (channels > 0 ? channels : "") + ")";
    }

    /**
     * One 2-D view per image of a batch tensor, made once for a given tensor and batch size, so a
     * steady step makes no new views.
     */
    private static final class ImageViews {
        private Tensor source;
        private int batch;
        private Tensor[] views;

        /** Each image of {@code t [m, C, H, W]} as {@code [C, H*W]}. */
        Tensor[] planes(Tensor t, int m, int c, int hw) {
            if (t != source || m != batch || !views[0].isAlive()) {
                views = new Tensor[m];
                Tensor flat = t.reshape(m, c * hw);
                for (int i = 0; i < m; i++) {
                    views[i] = flat.rows(i, i + 1).reshape(c, hw);
                }
                source = t;
                batch = m;
            }
            return views;
        }

        /** Each image's pixel rows of {@code t [m*H*W, C]} as {@code [H*W, C]}. */
        Tensor[] pixelRows(Tensor t, int m, int hw, int c) {
            if (t != source || m != batch || !views[0].isAlive()) {
                views = new Tensor[m];
                for (int i = 0; i < m; i++) {
                    views[i] = t.rows(i * hw, (i + 1) * hw);
                }
                source = t;
                batch = m;
            }
            return views;
        }
    }
}
