package dendrite.tensor;

import dendrite.tensor.spi.Slice;
import dendrite.tensor.spi.Storage;

/**
 * A dense float32 n-dimensional array, row-major, with an immutable {@link Shape},
 * owned by one {@link Backend}.
 *
 * <p>Made by a backend ({@link Backend#zeros(int...)}, {@link Backend#tensor(float[], int...)})
 * and read back with {@link #toArray()}. {@link #reshape(int...)} and {@link #rows(int, int)}
 * are views that share memory with this tensor. A tensor made while a {@link Scope} is open
 * on the thread is freed when the scope closes; otherwise {@link #close()} frees it (heap
 * backends may also leave it to the garbage collector). Using a freed tensor throws
 * {@link IllegalStateException}.
 *
 * <p>Tensors are not synchronized: one tensor may be read from many threads at once, but
 * writes must be confined to one thread.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    /** The memory and where this tensor starts in it, as kernels receive it: made once, passed on every op. */
    private final Slice slice;
    private final Shape shape;
    private final boolean owner;
    private volatile boolean closed;

    private Tensor(Backend backend, Storage storage, int offset, Shape shape, boolean owner) {
        this.backend = backend;
        this.slice = new Slice(storage, offset);
        this.shape = shape;
        this.owner = owner;
    }

    /** A tensor that owns {@code storage}, registered with the thread's open {@link Scope} if there is one. */
    static Tensor create(Backend backend, Storage storage, Shape shape) {
        Tensor t = new Tensor(backend, storage, 0, shape, true);
        Scope.registerIfOpen(t);
        return t;
    }

    /**
     * The backend that owns this tensor's memory.
     *
     * @return the backend that made this tensor (or the tensor this is a view of); only it may operate on it
     */
    public Backend backend() {
        return backend;
    }

    /** The memory behind this tensor (shared with its views), for the front's checks. */
    Storage storage() {
        return slice.storage();
    }

    /** Where this tensor starts in its storage, in elements. */
    int offset() {
        return slice.offset();
    }

    /** What a kernel receives for this tensor. */
    Slice slice() {
        return slice;
    }

    /**
     * The dimensions of this tensor.
     *
     * @return the shape, immutable; fixed for the life of this tensor
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The number of dimensions, as {@link Shape#rank()}.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return shape.rank();
    }

    /**
     * The number of elements, as {@link Shape#size()}.
     *
     * @return the product of the dimensions, 1 for a scalar
     */
    public int size() {
        return shape.size();
    }

    /**
     * Dimension {@code i}; negative counts from the end.
     *
     * @param i the index of the dimension, in [-rank, rank)
     * @return that dimension's length, at least 1
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public int dim(int i) {
        return shape.dim(i);
    }

    /**
     * Whether this tensor's memory is still usable.
     *
     * @return {@code false} once this tensor, or for a view the tensor owning its memory, was closed
     */
    public boolean isAlive() {
        return !closed && !slice.storage().isReleased();
    }

    /**
     * Throws {@link IllegalStateException} naming {@code op} when this tensor was freed.
     *
     * @param op the operation about to use the tensor, for the message
     * @return this tensor, for chaining
     * @throws IllegalStateException if this tensor is not {@linkplain #isAlive() alive}
     */
    public Tensor requireAlive(String op) {
        if (!isAlive()) {
            throw new IllegalStateException(op + ": tensor " + shape + " used after close");
        }
        return this;
    }

    /**
     * A copy of the values, row-major.
     *
     * @return a new array of {@link #size()} values, the caller's; waits for pending operations
     * @throws IllegalStateException if this tensor was freed
     */
    public float[] toArray() {
        requireAlive("toArray");
        float[] out = new float[shape.size()];
        backend.read(this, out, 0);
        return out;
    }

    /**
     * The single value of a tensor of size 1.
     *
     * @return the value; waits for pending operations
     * @throws IllegalArgumentException if this tensor does not have exactly one element
     * @throws IllegalStateException if this tensor was freed
     */
    public float item() {
        if (shape.size() != 1) {
            throw new IllegalArgumentException("item: tensor " + shape + " has " + shape.size() + " values, not 1");
        }
        requireAlive("item");
        float[] one = ONE.get();
        backend.read(this, one, 0);
        return one[0];
    }

    /** item's landing place, one per thread: reading a loss every step then allocates nothing. */
    private static final ThreadLocal<float[]> ONE = ThreadLocal.withInitial(() -> new float[1]);

    /**
     * Overwrites the values with {@code values} (row-major, exactly {@link #size()} of them).
     *
     * @param values the new values, row-major; copied, not kept
     * @return this tensor, for chaining
     * @throws IllegalArgumentException if {@code values} is {@code null} or does not hold exactly {@link #size()}
     *         values
     * @throws IllegalStateException if this tensor was freed
     */
    public Tensor copyFrom(float[] values) {
        requireAlive("copyFrom");
        if (values == null) {
            throw new IllegalArgumentException("copyFrom: values is null (tensor " + shape + ")");
        }
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("copyFrom: " + values.length + " values into tensor " + shape);
        }
        backend.write(this, values, 0);
        return this;
    }

    /**
     * A view with another shape over the same memory; one dimension may be -1.
     *
     * @param dims the new dimensions, each positive except at most one -1, inferred from the size
     * @return a view sharing this tensor's memory (writes show through both); it does not own the
     *         memory, which stays valid only while this tensor's owner is open
     * @throws IllegalArgumentException naming both shapes when the sizes differ
     */
    public Tensor reshape(int... dims) {
        requireAlive("reshape");
        return new Tensor(backend, slice.storage(), slice.offset(), shape.reshape(dims), false);
    }

    /**
     * A view with the given shape, which must have the same size.
     *
     * @param newShape the new shape, of the same {@link #size()}
     * @return a view sharing this tensor's memory, as {@link #reshape(int...)} gives
     * @throws IllegalArgumentException naming both shapes when the sizes differ
     */
    public Tensor reshape(Shape newShape) {
        return reshape(newShape.dims());
    }

    /**
     * A view of rows {@code from} (inclusive) to {@code to} (exclusive) along the first
     * dimension: a mini-batch of a dataset tensor, sharing its memory.
     *
     * @param from the first row, in [0, dim(0))
     * @param to one past the last row, in (from, dim(0)]
     * @return a view of shape {@code [to - from, ...]} (the other dimensions kept) sharing this
     *         tensor's memory; it does not own the memory
     * @throws IllegalArgumentException if this tensor is a scalar or the range is empty or out of bounds
     */
    public Tensor rows(int from, int to) {
        requireAlive("rows");
        if (shape.rank() == 0) {
            throw new IllegalArgumentException("rows: a scalar has no rows");
        }
        if (from < 0 || to > shape.dim(0) || from >= to) {
            throw new IllegalArgumentException("rows: [" + from + ", " + to + ") is not a non-empty range of the "
                    + shape.dim(0) + " rows of " + shape);
        }
        return new Tensor(backend, slice.storage(), slice.offset() + from * shape.stride0(), shape.withFirst(to - from), false);
    }

    /**
     * Whether this tensor is a view (it does not own its memory).
     *
     * @return {@code true} for tensors from {@link #reshape(int...)} and {@link #rows(int, int)}
     */
    public boolean isView() {
        return !owner;
    }

    /**
     * Frees this tensor. For an owning tensor its memory is released, and its views become
     * unusable; for a view only the view is closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner) {
            slice.storage().release();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " on " + backend.name() + (isAlive() ? "" : " (closed)");
    }
}
