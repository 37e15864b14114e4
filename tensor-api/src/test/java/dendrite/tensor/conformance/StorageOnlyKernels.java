package dendrite.tensor.conformance;

import dendrite.tensor.Backend;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.HeapKernels;
import dendrite.tensor.spi.Slice;

/**
 * Kernels that can only hold tensors on the heap: allocation, transfers, {@code fill}, {@code copy}
 * and {@code gatherRows} work, every other kernel throws {@link UnsupportedOperationException}.
 * For tests that need tensors without a real backend (scopes, views), a tensor of "another"
 * backend, or a front whose kernels must never be reached (argument checks).
 *
 * <p>Deliberately not registered with {@link java.util.ServiceLoader}: this class travels in the
 * test-jar onto every backend module's test class path, where it must not become a candidate.
 */
public class StorageOnlyKernels extends HeapKernels {
    private final String name;

    /** Kernels of a backend called {@code name}. */
    public StorageOnlyKernels(String name) {
        this.name = name;
    }

    /** A front over storage-only kernels called {@code name}. */
    public static Backend backend(String name) {
        return Backend.of(new StorageOnlyKernels(name));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "storage only, for tests";
    }

    private UnsupportedOperationException unsupported(String op) {
        return new UnsupportedOperationException(op + " is not supported by the test backend '" + name + "'");
    }

    @Override
    public void fill(Slice t, int n, float value) {
        java.util.Arrays.fill(array(t), t.offset(), t.offset() + n, value);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta,
            Slice c) {
        throw unsupported("gemm");
    }

    @Override
    public void transpose(int rows, int cols, Slice a, Slice out) {
        throw unsupported("transpose");
    }

    @Override
    public void unary(UnaryOp op, int n, Slice x, Slice out) {
        throw unsupported(op.label());
    }

    @Override
    public void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out) {
        throw unsupported(op.label());
    }

    @Override
    public void activation(Activation act, float param, int n, Slice x, Slice out) {
        throw unsupported(act.label());
    }

    @Override
    public void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out) {
        throw unsupported(op.label());
    }

    @Override
    public void argmax(int rows, int cols, Slice x, Slice out) {
        throw unsupported("argmax");
    }

    @Override
    public void oneHot(int n, int classes, Slice labels, float on, float off, Slice out) {
        throw unsupported("oneHot");
    }

    @Override
    public void im2col(Conv2dGeometry g, int group, Slice image, Slice cols) {
        throw unsupported("im2col");
    }

    @Override
    public void col2im(Conv2dGeometry g, int group, Slice cols, Slice image) {
        throw unsupported("col2im");
    }

    @Override
    public void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out) {
        throw unsupported(op.label());
    }

    @Override
    public void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx) {
        throw unsupported(op.label() + " backward");
    }

    @Override
    public void randomUniform(long seed, float lo, float hi, int n, Slice out) {
        throw unsupported("randomUniform");
    }

    @Override
    public void randomNormal(long seed, float mean, float std, int n, Slice out) {
        throw unsupported("randomNormal");
    }

    @Override
    public void bernoulliMask(long seed, float keep, float scale, int n, Slice out) {
        throw unsupported("bernoulliMask");
    }
}
