package dendrite.tensor.spi;

/**
 * Storage in a Java {@code float[]}: what the CPU backends use. The garbage collector frees it;
 * {@link #release()} only marks it, so that use after close is caught by the front.
 */
public final class HeapStorage implements Storage {
    private final float[] data;
    private volatile boolean released;

    /**
     * Zero-filled storage for {@code size} floats.
     *
     * @param size the number of floats, at least 0
     * @throws NegativeArraySizeException if {@code size} is negative
     */
    public HeapStorage(int size) {
        this.data = new float[size];
    }

    /**
     * The array behind a slice of heap storage.
     *
     * @param s a slice whose storage is a {@code HeapStorage}
     * @return the whole backing array, shared, not a copy; the slice starts at {@code s.offset()}
     * @throws ClassCastException if the storage is not heap storage
     */
    public static float[] array(Slice s) {
        return ((HeapStorage) s.storage()).data;
    }

    @Override
    public long bytes() {
        return 4L * data.length;
    }

    @Override
    public void release() {
        released = true;
    }

    @Override
    public boolean isReleased() {
        return released;
    }
}
