package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pooling window over each channel of images {@code [channels, height, width]}: what
 * {@link MaxPool2d} and {@link AvgPool2d} share. No parameters.
 */
abstract class Pool2d implements Layer {
    private final PoolOp op;
    private final int kernelH, kernelW, strideH, strideW, padH, padW;

    private Backend be;
    private Shape inputShape;
    private Conv2dGeometry geometry;
    private BatchBuffer out;
    private BatchBuffer dx;
    private Tensor lastInput;
    private Tensor lastOutput;

    Pool2d(PoolOp op, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        String name = op.label();
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException(name + ": kernel " + kernelH + "x" + kernelW + " and stride " + strideH
                    + "x" + strideW + " must be at least 1, padding " + padH + "x" + padW + " at least 0");
        }
        if (padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException(name + ": padding " + padH + "x" + padW + " must be at most half the "
                    + kernelH + "x" + kernelW + " window (as in PyTorch)");
        }
        this.op = op;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
    }

    /** {@code kernel_size}, {@code stride} and {@code padding} from a config, each one number or two. */
    static int[] fromConfig(Map<String, ?> c, String type) {
        int[] k = Configs.intPair(c, type, "kernel_size", null);
        int[] s = Configs.intPair(c, type, "stride", k);
        int[] p = Configs.intPair(c, type, "padding", new int[] {0, 0});
        return new int[] {k[0], k[1], s[0], s[1], p[0], p[1]};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kernel_size", List.of(kernelH, kernelW));
        c.put("stride", List.of(strideH, strideW));
        c.put("padding", List.of(padH, padW));
        return c;
    }

    private Conv2dGeometry geometryFor(int n, Shape in) {
        return Conv2dGeometry.pool(n, in.dim(0), in.dim(1), in.dim(2), kernelH, kernelW, strideH, strideW, padH, padW);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    in.rank() == 1 ? "add reshape(channels, height, width) before this layer" : "give images as [C, H, W]");
        }
        Conv2dGeometry g;
        try {
            g = geometryFor(1, in);
        } catch (IllegalArgumentException e) {
            throw new LayerShapeException("an image at least as large as the " + kernelH + "x" + kernelW + " window", in,
                    "use a smaller window, or less pooling before this layer");
        }
        return Shape.of(in.dim(0), g.outH(), g.outW());
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
        this.inputShape = in;
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (geometry == null || geometry.batch() != n) {
            geometry = geometryFor(n, inputShape);
        }
        lastInput = x;
        lastOutput = out.get(n);
        be.pool2d(op, x, geometry, lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dX = dx.get(dOut.dim(0));
        be.pool2dBackward(op, lastInput, lastOutput, dOut, geometry, dX);
        return dX;
    }

    @Override
    public String toString() {
        String k = kernelH == kernelW ? String.valueOf(kernelH) : kernelH + "x" + kernelW;
        boolean defaultStride = strideH == kernelH && strideW == kernelW;
        return getClass().getSimpleName() + "(" + k
                + (defaultStride ? "" : ", stride " + (strideH == strideW ? strideH + "" : strideH + "x" + strideW))
                + (padH == 0 && padW == 0 ? "" : ", pad " + (padH == padW ? padH + "" : padH + "x" + padW)) + ")";
    }
}
