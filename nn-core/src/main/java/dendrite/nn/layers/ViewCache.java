package dendrite.nn.layers;

import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Arrays;

/**
 * Remembers the last reshape view so a steady step reuses it instead of making a new one. The
 * shape is compared dimension by dimension, so a step that finds its view allocates nothing.
 */
final class ViewCache {
    private Tensor source;
    private int[] dims = new int[0];
    private Tensor view;

    /** {@code src} seen as {@code [rows, cols]}. */
    Tensor rows(Tensor src, int rows, int cols) {
        if (!fresh(src) || dims.length != 2 || dims[0] != rows || dims[1] != cols) {
            remember(src, new int[] {rows, cols});
        }
        return view;
    }

    /** {@code src} seen as {@code [batch, sample...]}. */
    Tensor batch(Tensor src, int batch, Shape sample) {
        boolean same = fresh(src) && dims.length == sample.rank() + 1 && dims[0] == batch;
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

    /** {@code src} seen in {@code newDims}. */
    Tensor of(Tensor src, int... newDims) {
        if (!fresh(src) || !Arrays.equals(dims, newDims)) {
            remember(src, newDims.clone());
        }
        return view;
    }

    private boolean fresh(Tensor src) {
        return src == source && view.isAlive();
    }

    private void remember(Tensor src, int[] newDims) {
        source = src;
        dims = newDims;
        view = src.reshape(newDims);
    }
}
