package dendrite.tensor.spi;

import java.util.Arrays;

/**
 * The memory half of a backend that keeps tensors in Java {@code float[]}s: allocation, host
 * transfers, copies and row gathers, which only move memory. The CPU backends extend it and add
 * their kernels; the garbage collector frees the memory, so there is nothing to leak.
 */
public abstract class HeapKernels implements Kernels {

    /** For a backend's kernels class to extend; it holds no state of its own. */
    protected HeapKernels() {
    }

    /**
     * The heap array behind a slice of this backend (its offset is {@link Slice#offset()}).
     *
     * @param s a slice whose storage is a {@link HeapStorage}
     * @return the whole backing array, shared, not a copy; the tensor's elements start at {@code s.offset()}
     * @throws ClassCastException if the storage is not heap storage
     */
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

    @Override
    public void copyColumns(Slice src, int srcColumns, int srcFrom, Slice dst, int dstColumns, int dstFrom, int rows,
            int width) {
        float[] s = array(src);
        float[] d = array(dst);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s, src.offset() + r * srcColumns + srcFrom, d, dst.offset() + r * dstColumns + dstFrom,
                    width);
        }
    }

    @Override
    public void scatterAddRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        float[] s = array(src);
        float[] o = array(out);
        for (int r = 0; r < count; r++) {
            int idx = indices[from + r];
            if (idx < 0) {
                continue;
            }
            int so = src.offset() + r * rowLength;
            int oo = out.offset() + idx * rowLength;
            for (int c = 0; c < rowLength; c++) {
                o[oo + c] += s[so + c];
            }
        }
    }

    @Override
    public void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out) {
        float[] s = array(x);
        float[] o = array(out);
        int plane = height * width;
        for (int i = 0; i < count; i++) {
            int dy = moves[3 * i];
            int dx = moves[3 * i + 1];
            boolean flip = moves[3 * i + 2] == 1;
            for (int c = 0; c < channels; c++) {
                int src = x.offset() + (i * channels + c) * plane;
                int dst = out.offset() + (i * channels + c) * plane;
                for (int h = 0; h < height; h++) {
                    int row = dst + h * width;
                    int sh = h + dy;
                    if (sh < 0 || sh >= height) {
                        Arrays.fill(o, row, row + width, 0f);
                    } else if (flip) {
                        for (int w = 0; w < width; w++) {
                            int sw = width - 1 - w + dx;
                            o[row + w] = sw >= 0 && sw < width ? s[src + sh * width + sw] : 0f;
                        }
                    } else {
                        // out[w] = x[w + dx] where w + dx is a column, a zero border on either side
                        int lo = Math.min(width, Math.max(0, -dx));
                        int hi = Math.max(lo, Math.min(width, width - dx));
                        Arrays.fill(o, row, row + lo, 0f);
                        if (hi > lo) {
                            System.arraycopy(s, src + sh * width + lo + dx, o, row + lo, hi - lo);
                        }
                        Arrays.fill(o, row + hi, row + width, 0f);
                    }
                }
            }
        }
    }

    /**
     * Checks one-hot labels before anything is written: each must be a whole number in
     * [0, classes); otherwise {@link IllegalArgumentException} names it and its position.
     *
     * @param n the number of labels
     * @param classes the number of classes, the one-hot row length
     * @param labels the labels, {@code n} floats from its offset; not changed
     * @throws IllegalArgumentException for the first label that is not a whole number in [0, classes)
     *         (NaN included)
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
