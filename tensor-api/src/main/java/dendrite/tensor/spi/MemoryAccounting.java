package dendrite.tensor.spi;

/**
 * Memory a backend that manages its own (device buffers, a pool) can account for; heap
 * backends leave memory to the garbage collector and have none. Reported to users as
 * {@code Backend.memory()}.
 */
public interface MemoryAccounting {
    /** Buffers owned by live tensors. */
    long liveBuffers();

    /** Bytes owned by live tensors. */
    long liveBytes();

    /** Buffers kept for reuse. */
    long pooledBuffers();

    /** Bytes kept for reuse. */
    long pooledBytes();
}
