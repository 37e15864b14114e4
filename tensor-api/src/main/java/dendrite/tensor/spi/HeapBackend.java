package dendrite.tensor.spi;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * The memory half of a backend that keeps tensors in Java {@code float[]}s: allocation, host
 * transfers, array access and the kernels that only move memory ({@code copy}, {@code gatherRows}). The CPU backends extend it and add their kernels; the garbage
 * collector frees the memory, so there is nothing to leak.
 */
public abstract class HeapBackend implements Backend {

    /** The heap array behind a tensor of this backend (checks owner and liveness). */
    protected final float[] array(Tensor t) {
        return HeapStorage.array(this, t);
    }

    @Override
    public Tensor allocate(Shape shape) {
        return Tensor.create(this, new HeapStorage(shape.size()), shape);
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
        Check.owned(this, dst);
        if (srcOffset < 0 || src.length - srcOffset < dst.size()) {
            throw new IllegalArgumentException("write: " + src.length + " values from offset " + srcOffset
                    + " cannot fill tensor " + dst.shape() + " (" + dst.size() + " values)");
        }
        System.arraycopy(src, srcOffset, array(dst), dst.offset(), dst.size());
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
        Check.owned(this, src);
        if (dstOffset < 0 || dst.length - dstOffset < src.size()) {
            throw new IllegalArgumentException("read: tensor " + src.shape() + " (" + src.size()
                    + " values) does not fit " + dst.length + " values from offset " + dstOffset);
        }
        System.arraycopy(array(src), src.offset(), dst, dstOffset, src.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Check.sameSize(this, "copy", src, dst);
        // arraycopy is correct even when src and dst overlap in one storage.
        System.arraycopy(array(src), src.offset(), array(dst), dst.offset(), src.size());
    }

    /** Copies rows: {@code out[r] = src[indices[from + r]]}, each row {@code src.shape().stride0()} values. */
    @Override
    public void gatherRows(Tensor src, int[] indices, int from, Tensor out) {
        Check.gatherRows(this, src, indices, from, out);
        float[] s = array(src);
        float[] o = array(out);
        int rowSize = src.shape().stride0();
        for (int r = 0; r < out.dim(0); r++) {
            System.arraycopy(s, src.offset() + indices[from + r] * rowSize, o, out.offset() + r * rowSize, rowSize);
        }
    }

    /**
     * Checks one-hot labels before anything is written: each must be a whole number in
     * [0, classes); otherwise {@link IllegalArgumentException} names it and its position.
     */
    protected final void checkLabels(Tensor labels, int classes) {
        float[] l = array(labels);
        int lo = labels.offset();
        for (int i = 0, n = labels.size(); i < n; i++) {
            float label = l[lo + i];
            // The negated test also rejects NaN.
            if (!(label >= 0f && label < classes && label == Math.rint(label))) {
                throw new IllegalArgumentException("oneHot: label " + label + " at position " + i + " of "
                        + labels.shape() + " is not a class in [0, " + classes + ")");
            }
        }
    }
}
