package dendrite.tensor.spi;

/**
 * Memory a backend that manages its own (device buffers, a pool) can account for; heap
 * backends leave memory to the garbage collector and have none. Reported to users as
 * {@code Backend.memory()}.
 */
public interface MemoryAccounting {
    /**
     * Buffers owned by live tensors.
     *
     * @return the number of buffers allocated and not yet released, at the time of the call
     */
    long liveBuffers();

    /**
     * Bytes owned by live tensors.
     *
     * @return the total size of the live buffers, in bytes
     */
    long liveBytes();

    /**
     * Buffers kept for reuse.
     *
     * @return the number of released buffers held in the pool rather than freed
     */
    long pooledBuffers();

    /**
     * Bytes kept for reuse.
     *
     * @return the total size of the pooled buffers, in bytes
     */
    long pooledBytes();
}
