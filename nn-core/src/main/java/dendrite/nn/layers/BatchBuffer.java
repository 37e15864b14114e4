package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * A reusable tensor of {@code [rows, sample...]} for a layer's activations or gradients.
 *
 * <p>{@link #get(int)} returns a buffer for {@code rows} samples. Memory is allocated only when
 * the batch grows past the largest seen so far; a smaller batch (the last one of an epoch) gets a
 * {@link Tensor#rows view} of the big buffer, cached so that alternating between the two sizes
 * allocates nothing either. This is how a steady training step allocates no tensors.
 *
 * <p>When the buffer grows, the old one is closed: tensors returned earlier are then invalid, so
 * callers must not keep a buffer across a call that may grow it.
 */
public final class BatchBuffer {
    private final Backend backend;
    private final int[] sampleDims;
    private Tensor full;
    private Tensor view;

    /**
     * A buffer whose rows have {@code sampleShape} (e.g. {@code [256]} for a Dense output).
     * Nothing is allocated until the first {@link #get}.
     *
     * @param backend     the backend that allocates the memory
     * @param sampleShape the shape of one row (sample), without the batch dimension
     */
    public BatchBuffer(Backend backend, Shape sampleShape) {
        this.backend = backend;
        this.sampleDims = sampleShape.dims();
    }

    /**
     * A tensor of {@code [rows, sample...]}; its contents are whatever the last user left.
     *
     * @param rows the number of samples, at least 1
     * @return the buffer itself or a view of its first {@code rows} rows, owned by this buffer (not by any
     *         open scope) and valid until a later call grows it or {@link #release()}
     */
    public Tensor get(int rows) {
        if (full == null || rows > full.dim(0)) {
            if (full != null) {
                full.close();
            }
            full = Scope.unscoped(() -> backend.allocate(shapeFor(rows)));  // the layer owns it, not a caller's scope
            view = full;
            return full;
        }
        if (view.dim(0) != rows) {
            view = rows == full.dim(0) ? full : full.rows(0, rows);
        }
        return view;
    }

    /**
     * The number of rows allocated (0 before the first {@link #get}).
     *
     * @return the largest {@code rows} asked for since the last {@link #release()}, or 0
     */
    public int capacity() {
        return full == null ? 0 : full.dim(0);
    }

    /** Frees the memory; a later {@link #get} allocates again. */
    public void release() {
        if (full != null) {
            full.close();
            full = null;
            view = null;
        }
    }

    private Shape shapeFor(int rows) {
        int[] d = new int[sampleDims.length + 1];
        d[0] = rows;
        System.arraycopy(sampleDims, 0, d, 1, sampleDims.length);
        return Shape.of(d);
    }
}
