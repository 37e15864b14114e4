package dendrite.tensor.spi;

/**
 * The memory behind one or more tensors: a heap array or a device buffer.
 *
 * <p>A storage is released once, by the tensor that allocated it (or its scope); views
 * share it and become unusable when it is released.
 */
public interface Storage {

    /**
     * Bytes held by this storage.
     *
     * @return the capacity in bytes (4 per float), fixed at allocation
     */
    long bytes();

    /** Gives the memory back. Idempotent. */
    void release();

    /**
     * Whether {@link #release()} has run.
     *
     * @return {@code true} once released; the memory must not be used after that
     */
    boolean isReleased();
}
