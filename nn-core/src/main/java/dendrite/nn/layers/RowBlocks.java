package dendrite.nn.layers;

import dendrite.tensor.Tensor;

/**
 * A tensor's rows cut into equal blocks, each a view made once and reused: a recurrent layer reads
 * time step t of a time-major buffer, or gate k's rows of a weight, hundreds of times a batch, and
 * a new view each time would be garbage in every step. The views are remade only when the tensor
 * or the number of blocks changes (a new batch size).
 */
final class RowBlocks {
    private Tensor source;
    private int blocks;
    private Tensor[] views = new Tensor[0];

    /** Block {@code i} of {@code src}'s rows cut into {@code count} equal blocks. */
    Tensor of(Tensor src, int count, int i) {
        if (src != source || count != blocks || !views[i].isAlive()) {
            source = src;
            blocks = count;
            views = new Tensor[count];
            int size = src.dim(0) / count;
            for (int b = 0; b < count; b++) {
                views[b] = src.rows(b * size, (b + 1) * size);
            }
        }
        return views[i];
    }
}
