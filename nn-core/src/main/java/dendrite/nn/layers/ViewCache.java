package dendrite.nn.layers;

import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Arrays;

/**
 * Remembers the last reshape view so a steady step reuses it instead of making a new one. The
 * shape is compared dimension by dimension, so a step that finds its view allocates nothing.
 * Public for layers made of other layers (a {@code Graph}'s merges) that reshape per batch too.
 */
public final class ViewCache {
    private Tensor source;
    private int[] dims = new int[0];
    /** Whether the view is a range of rows ({@link #rowRange}, dims holding from and to) rather than a reshape. */
    private boolean range;
    private Tensor view;

    /** An empty cache; the first call of each kind makes its view. */
    public ViewCache() {
    }

    /**
     * {@code src} seen as {@code [rows, cols]}.
     *
     * @param src  the tensor to view, holding {@code rows * cols} values
     * @param rows the view's first dimension
     * @param cols the view's second dimension
     * @return the view, the same object as last time when {@code src} and the dimensions are the same
     */
    public Tensor rows(Tensor src, int rows, int cols) {
        if (!fresh(src) || range || dims.length != 2 || dims[0] != rows || dims[1] != cols) {
            remember(src, new int[] {rows, cols});
        }
        return view;
    }

    /**
     * {@code src} seen as {@code [batch, sample...]}.
     *
     * @param src    the tensor to view, holding {@code batch * sample.size()} values
     * @param batch  the view's first dimension
     * @param sample the view's other dimensions
     * @return the view, the same object as last time when {@code src} and the dimensions are the same
     */
    public Tensor batch(Tensor src, int batch, Shape sample) {
        boolean same = fresh(src) && !range && dims.length == sample.rank() + 1 && dims[0] == batch;
        for (int i = 0; same && i < sample.rank(); i++) {
            same = dims[i + 1] == sample.dim(i);
        }
        if (!same) {
            int[] d = new int[sample.rank() + 1];
            d[0] = batch;
            System.arraycopy(sample.dims(), 0, d, 1, sample.rank());
            remember(src, d);
        }
        return view;
    }

    /**
     * {@code src} seen as {@code [d0]}, without the varargs array of {@link #of(Tensor, int...)}: escape
     * analysis removes that array only where the JIT inlines the call, and a step compiled without it (after
     * other work had compiled {@code of} on its own) allocated it on every call.
     *
     * @param src the tensor to view, holding {@code d0} values
     * @param d0  the view's one dimension
     * @return the view, the same object as last time when {@code src} and the dimension are the same
     */
    public Tensor of(Tensor src, int d0) {
        if (!fresh(src) || range || dims.length != 1 || dims[0] != d0) {
            remember(src, new int[] {d0});
        }
        return view;
    }

    /**
     * {@code src} seen as {@code [d0, d1]}: the same as {@link #rows}, so that two-dimensional calls of
     * {@code of} do not make a varargs array each time.
     *
     * @param src the tensor to view, holding {@code d0 * d1} values
     * @param d0  the view's first dimension
     * @param d1  the view's second dimension
     * @return the view, the same object as last time when {@code src} and the dimensions are the same
     */
    public Tensor of(Tensor src, int d0, int d1) {
        return rows(src, d0, d1);
    }

    /**
     * {@code src} seen as {@code [d0, d1, d2]}, without the varargs array that {@link #of(Tensor, int...)}
     * costs every call (an attention layer's per-head views are three-dimensional).
     *
     * @param src the tensor to view, holding {@code d0 * d1 * d2} values
     * @param d0  the view's first dimension
     * @param d1  the view's second dimension
     * @param d2  the view's third dimension
     * @return the view, the same object as last time when {@code src} and the dimensions are the same
     */
    public Tensor of(Tensor src, int d0, int d1, int d2) {
        if (!fresh(src) || range || dims.length != 3 || dims[0] != d0 || dims[1] != d1 || dims[2] != d2) {
            remember(src, new int[] {d0, d1, d2});
        }
        return view;
    }

    /**
     * {@code src} seen in {@code newDims}.
     *
     * @param src     the tensor to view, holding as many values as {@code newDims} describes
     * @param newDims the view's dimensions
     * @return the view, the same object as last time when {@code src} and the dimensions are the same
     */
    public Tensor of(Tensor src, int... newDims) {
        if (!fresh(src) || range || !Arrays.equals(dims, newDims)) {
            remember(src, newDims.clone());
        }
        return view;
    }

    /**
     * {@code src}'s rows {@code from} to {@code to} (exclusive), as {@link Tensor#rows(int, int)} gives them.
     *
     * @param src  the tensor whose rows to view
     * @param from the first row
     * @param to   one past the last row
     * @return the view, the same object as last time when {@code src} and the range are the same
     */
    public Tensor rowRange(Tensor src, int from, int to) {
        if (!fresh(src) || !range || dims[0] != from || dims[1] != to) {
            source = src;
            dims = new int[] {from, to};
            range = true;
            view = src.rows(from, to);
        }
        return view;
    }

    private boolean fresh(Tensor src) {
        return src == source && view.isAlive();
    }

    private void remember(Tensor src, int[] newDims) {
        source = src;
        dims = newDims;
        range = false;
        view = src.reshape(newDims);
    }
}
