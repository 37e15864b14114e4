package dendrite.tensor.conformance;

import dendrite.tensor.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.BinaryOp;
import dendrite.tensor.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.UnaryOp;
import dendrite.tensor.spi.HeapStorage;

/**
 * A backend that can only hold tensors on the heap: {@link #allocate}, {@link #write},
 * {@link #read}, {@link #fill} and {@link #copy} work, every other kernel throws
 * {@link UnsupportedOperationException}. For tests that
 * need tensors without a real backend (scopes, views) or a tensor of "another" backend.
 *
 * <p>Deliberately not registered with {@link java.util.ServiceLoader}: this class travels in the
 * test-jar onto every backend module's test class path, where it must not become a candidate.
 */
public final class StorageOnlyBackend implements Backend {
    private final String name;

    /** A backend called {@code name}. */
    public StorageOnlyBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "storage only, for tests";
    }

    @Override
    public Tensor allocate(Shape shape) {
        return Tensor.create(this, new HeapStorage(shape.size()), shape);
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, HeapStorage.array(dst), dst.offset(), dst.size());
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
        System.arraycopy(HeapStorage.array(src), src.offset(), dst, dstOffset, src.size());
    }

    private UnsupportedOperationException unsupported(String op) {
        return new UnsupportedOperationException(op + " is not supported by the test backend '" + name + "'");
    }

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        throw unsupported("gemm");
    }

    @Override
    public void transpose(Tensor a, Tensor out) {
        throw unsupported("transpose");
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        throw unsupported(op.label());
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        throw unsupported("affine");
    }

    @Override
    public void powScalar(Tensor x, float p, Tensor out) {
        throw unsupported("pow");
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        throw unsupported("clamp");
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        throw unsupported(op.label());
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        throw unsupported(op.label());
    }

    @Override
    public void reduceAll(ReduceOp op, Tensor x, Tensor out) {
        throw unsupported(op.label());
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        throw unsupported("softmax");
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        throw unsupported("logSoftmax");
    }

    @Override
    public void argmax(Tensor x, Tensor out) {
        throw unsupported("argmax");
    }

    @Override
    public void oneHot(Tensor labels, float on, float off, Tensor out) {
        throw unsupported("oneHot");
    }

    @Override
    public void gatherRows(Tensor src, int[] indices, int from, Tensor out) {
        throw unsupported("gatherRows");
    }

    @Override
    public void activation(Activation act, float param, Tensor x, Tensor out) {
        throw unsupported(act.label());
    }

    @Override
    public void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        throw unsupported(act.label() + " backward");
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        throw unsupported("sgd");
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, long t) {
        throw unsupported("adam");
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps,
            float weightDecay) {
        throw unsupported("rmsprop");
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay) {
        throw unsupported("adagrad");
    }

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(HeapStorage.array(t), t.offset(), t.offset() + t.size(), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(HeapStorage.array(src), src.offset(), HeapStorage.array(dst), dst.offset(), src.size());
    }

    @Override
    public void randomUniform(long seed, float lo, float hi, Tensor out) {
        throw unsupported("randomUniform");
    }

    @Override
    public void randomNormal(long seed, float mean, float std, Tensor out) {
        throw unsupported("randomNormal");
    }

    @Override
    public void bernoulliMask(long seed, float keep, float scale, Tensor out) {
        throw unsupported("bernoulliMask");
    }
}
