package dendrite.backend.opencl;

import java.lang.ref.Cleaner;

import org.jocl.cl_mem;

import dendrite.tensor.spi.Slice;
import dendrite.tensor.spi.Storage;

/**
 * A tensor's storage: one device buffer of {@link ClKernels}. Released buffers return to the
 * backend's pool; a {@link Cleaner} returns the buffer of a tensor that was never closed once it
 * becomes unreachable, as a safety net only (device memory runs out long before the heap fills).
 */
public final class ClBuffer implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The part the cleaner runs: it must not reference the {@link ClBuffer}. */
    private record Returner(ClMemory memory, cl_mem mem, long bytes) implements Runnable {
        @Override
        public void run() {
            memory.release(mem, bytes);
        }
    }

    private final cl_mem mem;
    private final long bytes;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;

    ClBuffer(ClMemory memory, cl_mem mem, long bytes) {
        this.mem = mem;
        this.bytes = bytes;
        this.cleanable = CLEANER.register(this, new Returner(memory, mem, bytes));
    }

    /** The device buffer behind {@code s}, whose storage is one of this backend's (the front checked it). */
    static cl_mem mem(Slice s) {
        return ((ClBuffer) s.storage()).mem;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            cleanable.clean();
        }
    }

    @Override
    public boolean isReleased() {
        return released;
    }
}
