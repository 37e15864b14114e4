package dendrite.tensor;

/**
 * Memory a backend holds: live buffers (owned by tensors) and pooled ones (kept for reuse).
 * Heap backends, whose memory the garbage collector manages, report {@link #UNTRACKED}.
 *
 * @param liveBuffers the number of buffers held by tensors not yet closed; -1 when untracked
 * @param liveBytes the bytes in those buffers; -1 when untracked
 * @param pooledBuffers the number of freed buffers kept for reuse; -1 when untracked
 * @param pooledBytes the bytes in the pooled buffers; -1 when untracked
 */
public record MemoryStats(long liveBuffers, long liveBytes, long pooledBuffers, long pooledBytes) {
    /** For backends that leave memory to the garbage collector. */
    public static final MemoryStats UNTRACKED = new MemoryStats(-1, -1, -1, -1);

    /**
     * Whether the backend counts its memory.
     *
     * @return {@code false} for {@link #UNTRACKED}, whose counts are all -1
     */
    public boolean tracked() {
        return liveBuffers >= 0;
    }
}
