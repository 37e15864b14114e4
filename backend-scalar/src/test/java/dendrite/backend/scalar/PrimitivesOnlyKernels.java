package dendrite.backend.scalar;

import dendrite.tensor.Availability;
import dendrite.tensor.BackendProvider;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.Kernels;
import dendrite.tensor.spi.Slice;
import dendrite.tensor.spi.Storage;

/**
 * A backend that writes the primitives and nothing else: each primitive is the scalar reference's,
 * and every fused kernel (linear, softmax, log-softmax, activation backward, affine, pow, clamp,
 * the optimizer updates) is {@link Kernels}' default, built from primitives. The conformance suite
 * runs on it ({@link PrimitivesOnlyConformanceTest}): what a new backend gets once it has written
 * its primitives is correct, not just fast backends' overrides.
 *
 * <p>Registered for this module's tests only (src/test/resources), as {@code scalar-primitives}.
 */
public final class PrimitivesOnlyKernels implements Kernels {
    private final ScalarKernels p = new ScalarKernels();

    /** Finds it for {@link dendrite.tensor.Backends} in this module's tests; lowest priority, never chosen by default. */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "scalar-primitives";
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public Availability probe() {
            return Availability.available("scalar primitives, every fused kernel from Kernels' defaults");
        }

        @Override
        public Kernels create() {
            return new PrimitivesOnlyKernels();
        }
    }

    @Override
    public String name() {
        return "scalar-primitives";
    }

    @Override
    public String description() {
        return "scalar primitives, every fused kernel from Kernels' defaults";
    }

    @Override
    public Storage allocate(int size) {
        return p.allocate(size);
    }

    @Override
    public void write(float[] src, int srcOffset, Slice dst, int n) {
        p.write(src, srcOffset, dst, n);
    }

    @Override
    public void read(Slice src, float[] dst, int dstOffset, int n) {
        p.read(src, dst, dstOffset, n);
    }

    @Override
    public void copy(Slice src, Slice dst, int n) {
        p.copy(src, dst, n);
    }

    @Override
    public void fill(Slice t, int n, float value) {
        p.fill(t, n, value);
    }

    @Override
    public void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        p.gatherRows(src, indices, from, count, rowLength, out);
    }

    @Override
    public void copyColumns(Slice src, int srcColumns, int srcFrom, Slice dst, int dstColumns, int dstFrom, int rows,
            int width) {
        p.copyColumns(src, srcColumns, srcFrom, dst, dstColumns, dstFrom, rows, width);
    }

    @Override
    public void scatterAddRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        p.scatterAddRows(src, indices, from, count, rowLength, out);
    }

    @Override
    public void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out) {
        p.shiftImages(count, channels, height, width, x, moves, out);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta,
            Slice c) {
        p.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void transpose(int rows, int cols, Slice a, Slice out) {
        p.transpose(rows, cols, a, out);
    }

    @Override
    public void unary(UnaryOp op, int n, Slice x, Slice out) {
        p.unary(op, n, x, out);
    }

    @Override
    public void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out) {
        p.binary(op, bc, rows, cols, a, b, out);
    }

    @Override
    public void activation(Activation act, float param, int n, Slice x, Slice out) {
        p.activation(act, param, n, x, out);
    }

    @Override
    public void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out) {
        p.reduce(op, outer, len, inner, x, out);
    }

    @Override
    public void argmax(int rows, int cols, Slice x, Slice out) {
        p.argmax(rows, cols, x, out);
    }

    @Override
    public void oneHot(int n, int classes, Slice labels, float on, float off, Slice out) {
        p.oneHot(n, classes, labels, on, off, out);
    }

    @Override
    public void im2col(Conv2dGeometry g, int group, Slice image, Slice cols) {
        p.im2col(g, group, image, cols);
    }

    @Override
    public void col2im(Conv2dGeometry g, int group, Slice cols, Slice image) {
        p.col2im(g, group, cols, image);
    }

    @Override
    public void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out) {
        p.pool2d(op, g, x, out);
    }

    @Override
    public void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx) {
        p.pool2dBackward(op, g, x, out, dOut, dx);
    }

    @Override
    public void randomUniform(long seed, float lo, float hi, int n, Slice out) {
        p.randomUniform(seed, lo, hi, n, out);
    }

    @Override
    public void randomNormal(long seed, float mean, float std, int n, Slice out) {
        p.randomNormal(seed, mean, std, n, out);
    }

    @Override
    public void bernoulliMask(long seed, float keep, float scale, int n, Slice out) {
        p.bernoulliMask(seed, keep, scale, n, out);
    }
}
