package dendrite.tensor.spi;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

/**
 * Storage in a Java {@code float[]}: what the CPU backends use. The garbage collector
 * frees it; {@link #release()} only marks it so use after close is caught.
 */
public final class HeapStorage implements Storage {
    private final float[] data;
    private volatile boolean released;

    public HeapStorage(int size) {
        this.data = new float[size];
    }

    /** The array of a live tensor of {@code backend}; throws if the tensor is closed or foreign. */
    public static float[] array(Tensor t) {
        if (!(t.storage() instanceof HeapStorage h)) {
            throw new IllegalArgumentException("tensor " + t.shape() + " of backend '" + t.backend().name()
                    + "' is not on the heap");
        }
        if (h.released) {
            throw new IllegalStateException("tensor " + t.shape() + " used after close");
        }
        return h.data;
    }

    /** The array of {@code t}, after checking that it belongs to {@code owner}. */
    public static float[] array(Backend owner, Tensor t) {
        Check.owned(owner, t);
        return array(t);
    }

    /** The backing array. */
    public float[] data() {
        return data;
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
