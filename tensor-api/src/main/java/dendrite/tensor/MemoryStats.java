package dendrite.tensor;

/**
 * Memory a backend holds: live buffers (owned by tensors) and pooled ones (kept for reuse).
 * Heap backends, whose memory the garbage collector manages, report {@link #UNTRACKED}.
 */
public record MemoryStats(long liveBuffers, long liveBytes, long pooledBuffers, long pooledBytes) {
    /** For backends that leave memory to the garbage collector. */
    public static final MemoryStats UNTRACKED = new MemoryStats(-1, -1, -1, -1);

    public boolean tracked() {
        return liveBuffers >= 0;
    }
}
