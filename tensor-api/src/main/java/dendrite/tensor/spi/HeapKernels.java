package dendrite.tensor.spi;

/**
 * The memory half of a backend that keeps tensors in Java {@code float[]}s: allocation, host
 * transfers, copies and row gathers, which only move memory. The CPU backends extend it and add
 * their kernels; the garbage collector frees the memory, so there is nothing to leak.
 */
public abstract class HeapKernels implements Kernels {

    /** The heap array behind a slice of this backend (its offset is {@link Slice#offset()}). */
    protected static float[] array(Slice s) {
        return HeapStorage.array(s);
    }

    @Override
    public Storage allocate(int size) {
        return new HeapStorage(size);
    }

    @Override
    public void write(float[] src, int srcOffset, Slice dst, int n) {
        System.arraycopy(src, srcOffset, array(dst), dst.offset(), n);
    }

    @Override
    public void read(Slice src, float[] dst, int dstOffset, int n) {
        System.arraycopy(array(src), src.offset(), dst, dstOffset, n);
    }

    @Override
    public void copy(Slice src, Slice dst, int n) {
        // arraycopy is correct even when src and dst overlap in one storage.
        System.arraycopy(array(src), src.offset(), array(dst), dst.offset(), n);
    }

    @Override
    public void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        float[] s = array(src);
        float[] o = array(out);
        for (int r = 0; r < count; r++) {
            System.arraycopy(s, src.offset() + indices[from + r] * rowLength, o, out.offset() + r * rowLength,
                    rowLength);
        }
    }

    /**
     * Checks one-hot labels before anything is written: each must be a whole number in
     * [0, classes); otherwise {@link IllegalArgumentException} names it and its position.
     */
    protected static void checkLabels(int n, int classes, Slice labels) {
        float[] l = array(labels);
        int lo = labels.offset();
        for (int i = 0; i < n; i++) {
            float label = l[lo + i];
            // The negated test also rejects NaN.
            if (!(label >= 0f && label < classes && label == Math.rint(label))) {
                throw new IllegalArgumentException("oneHot: label " + label + " at position " + i + " of the "
                        + n + " labels is not a class in [0, " + classes + ")");
            }
        }
    }
}
