package dendrite.tensor;

/**
 * A dense layer's weights, [out, in] as {@link Backend#linear(Tensor, Tensor, Tensor, dendrite.tensor.op.Activation,
 * float, Tensor)} takes them, packed once by {@link Backend#packWeights} into the form the backend's
 * matrix product reads, so that {@link Backend#linear(Tensor, PackedWeights, Tensor,
 * dendrite.tensor.op.Activation, float, Tensor)} need not pack them again on every call. Worth it
 * where the same weights serve many products and the batches are small: a model serving predictions.
 *
 * <p>A snapshot: the tensor it was packed from can change or be closed afterwards without reaching
 * it. Like a tensor it belongs to its backend, is registered with the thread's open {@link Scope}
 * when made inside one, and is freed by {@link #close()}. The vector backend keeps the weights and
 * its GEMM's panels of them (about twice the weights' memory); the others keep a copy.
 */
public final class PackedWeights implements AutoCloseable {
    private final Tensor packed;
    private final Shape shape;

    PackedWeights(Tensor packed, Shape shape) {
        this.packed = packed;
        this.shape = shape;
    }

    /**
     * The shape of the weights that were packed.
     *
     * @return {@code [out, in]}
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The backend that packed the weights, the only one that can use them.
     *
     * @return the backend
     */
    public Backend backend() {
        return packed.backend();
    }

    /**
     * Bytes of memory the packed form takes.
     *
     * @return its size in bytes
     */
    public long bytes() {
        return (long) packed.size() * Float.BYTES;
    }

    /**
     * Whether these weights can still be used: not closed, and their backend not closed.
     *
     * @return {@code true} until either is closed
     */
    public boolean isAlive() {
        return packed.isAlive();
    }

    /** The packed values, for the backend's checks and kernels. */
    Tensor packed() {
        return packed;
    }

    /** Frees the packed form. Idempotent. */
    @Override
    public void close() {
        packed.close();
    }

    @Override
    public String toString() {
        return "PackedWeights" + shape + " on " + packed.backend().name() + (isAlive() ? "" : " (closed)");
    }
}
