package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import java.util.Map;
import java.util.Optional;

/**
 * The mean of each channel over the whole image: {@code [channels, height, width]} becomes
 * {@code [channels, 1, 1]}, as PyTorch's {@code nn.AdaptiveAvgPool2d(1)} gives it (follow it with
 * {@code flatten()} for a classifier head). Backward spreads each channel's gradient evenly over
 * its pixels.
 */
public final class GlobalAvgPool2d implements Layer {
    /** A global average pool (PyTorch's {@code AdaptiveAvgPool2d(1)}); it has no options. */
    public GlobalAvgPool2d() {
    }

    private final ViewCache planes = new ViewCache();
    private final ViewCache gradientColumn = new ViewCache();
    private final ViewCache gradientPlanes = new ViewCache();
    private Backend be;
    private int channels;
    private int pixels;
    private BatchBuffer out;
    private BatchBuffer dx;

    @Override
    public String type() {
        return "global_avg_pool2d";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "add reshape(channels, height, width) before this layer" : "give images as [C, H, W]");
        }
        return Shape.of(in.dim(0), 1, 1);
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        Shape outShape = outputShape(in);
        this.be = backend;
        this.channels = in.dim(0);
        this.pixels = in.dim(1) * in.dim(2);
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        Tensor y = out.get(m);
        // Each (image, channel) plane as one row: the mean along the row.
        be.reduce(ReduceOp.MEAN, planes.of(x, m * channels, pixels), 1, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int m = dOut.dim(0);
        Tensor dX = dx.get(m);
        Tensor rows = gradientPlanes.of(dX, m * channels, pixels);
        be.fill(rows, 0f);
        be.binary(BinaryOp.ADD, rows, gradientColumn.of(dOut, m * channels, 1), rows);   // each row gets its channel's dy
        be.affine(rows, 1f / pixels, 0f, rows);
        return dX;
    }

    @Override
    public String toString() {
        return "GlobalAvgPool2d";
    }
}
