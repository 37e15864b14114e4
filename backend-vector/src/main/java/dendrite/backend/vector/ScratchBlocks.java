package dendrite.backend.vector;

/**
 * Per-thread scratch blocks for the kernels that run in passes over a block ({@link VectorGelu},
 * {@link VectorGeluTanh}, {@link VectorTanh}, {@link VectorSoftplus}, {@link VectorSilu},
 * {@link VectorElu}, {@link VectorMish}): made once per thread (the kernels run on the caller's and the
 * pool's threads), so a pass allocates nothing. None of those kernels calls another, so they share the
 * blocks; GELU's backward pass uses both.
 */
final class ScratchBlocks {
    /** Elements per block: a multiple of every vector length, and small enough to stay in L1. */
    static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> FIRST = ThreadLocal.withInitial(() -> new float[BLOCK]);
    private static final ThreadLocal<float[]> SECOND = ThreadLocal.withInitial(() -> new float[BLOCK]);

    private ScratchBlocks() {
    }

    /** This thread's first block. */
    static float[] first() {
        return FIRST.get();
    }

    /** This thread's second block, for a kernel that needs two at once. */
    static float[] second() {
        return SECOND.get();
    }
}
