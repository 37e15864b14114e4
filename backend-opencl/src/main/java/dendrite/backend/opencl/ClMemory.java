package dendrite.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import dendrite.tensor.spi.MemoryAccounting;

/**
 * Device buffers of one context: a pool keyed by byte size, and counts of what is live (owned
 * by tensors) and pooled (kept for reuse).
 *
 * <p>A released buffer goes back to the pool instead of to the driver, since a training step asks
 * for the same sizes again and again. When the driver cannot allocate, the pool is emptied and the
 * allocation retried once (tinygrad's {@code LRUAllocator} does the same). Reusing a pooled buffer
 * is safe without waiting: every command goes to one in-order queue, so commands that still read
 * the old contents run before those that write the new ones.
 *
 * <p>Thread-safe: buffers come back from tensors on any thread and from the {@code Cleaner}.
 */
final class ClMemory {
    /** Where buffers really come from and go back to; a seam so tests can make allocations fail. */
    interface Driver {
        /** A new buffer, or a {@link CLException} with the driver's status. */
        cl_mem create(long bytes);

        void free(cl_mem mem);

        /** The OpenCL driver of {@code context}. */
        static Driver of(cl_context context) {
            return new Driver() {
                @Override
                public cl_mem create(long bytes) {
                    int[] status = new int[1];
                    cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, status);
                    if (status[0] != CL_SUCCESS) { // JOCL's exceptions are off: report the status the same way
                        throw new CLException(stringFor_errorCode(status[0]), status[0]);
                    }
                    return mem;
                }

                @Override
                public void free(cl_mem mem) {
                    clReleaseMemObject(mem);
                }
            };
        }
    }

    private final Driver driver;
    private final long maxAllocBytes;
    /** Pooled bytes above this are given back to the driver instead of kept. */
    private final long poolLimitBytes;
    private final Map<Long, ArrayDeque<cl_mem>> pool = new HashMap<>();
    private long liveBuffers, liveBytes, pooledBuffers, pooledBytes;
    private boolean closed;

    ClMemory(Driver driver, long globalMemBytes, long maxAllocBytes) {
        this.driver = driver;
        this.maxAllocBytes = maxAllocBytes;
        this.poolLimitBytes = Math.max(64L << 20, globalMemBytes / 4);
    }

    /**
     * A buffer of at least {@code bytes}, from the pool or the driver; its contents are
     * undefined. {@code what} describes the request for error messages.
     */
    synchronized cl_mem acquire(long bytes, String what) {
        if (closed) {
            throw new IllegalStateException("opencl: backend is closed (allocating " + what + ")");
        }
        long size = roundUp(bytes);
        if (size > maxAllocBytes) {
            throw new ClOutOfMemoryException("opencl: " + what + " needs " + size + " bytes, more than the device's"
                    + " largest allocation of " + maxAllocBytes + " bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE)" + held());
        }
        ArrayDeque<cl_mem> free = pool.get(size);
        cl_mem mem = free == null ? null : free.poll();
        if (mem != null) {
            pooledBuffers--;
            pooledBytes -= size;
        } else {
            mem = create(size, what);
        }
        liveBuffers++;
        liveBytes += size;
        return mem;
    }

    /** Takes back a buffer that {@link #acquire} gave out for {@code bytes}. */
    synchronized void release(cl_mem mem, long bytes) {
        long size = roundUp(bytes);
        liveBuffers--;
        liveBytes -= size;
        if (closed || pooledBytes + size > poolLimitBytes) {
            driver.free(mem);
            return;
        }
        pool.computeIfAbsent(size, s -> new ArrayDeque<>()).push(mem);
        pooledBuffers++;
        pooledBytes += size;
    }

    /** One consistent snapshot of the counts; the front reports it as {@code Backend.memory()}. */
    record Stats(long liveBuffers, long liveBytes, long pooledBuffers, long pooledBytes) implements MemoryAccounting {
    }

    synchronized Stats stats() {
        return new Stats(liveBuffers, liveBytes, pooledBuffers, pooledBytes);
    }

    /** Gives every pooled buffer back to the driver. */
    synchronized void trim() {
        for (ArrayDeque<cl_mem> q : pool.values()) {
            for (cl_mem m : q) {
                driver.free(m);
            }
        }
        pool.clear();
        pooledBuffers = 0;
        pooledBytes = 0;
    }

    /** Empties the pool; buffers still live are freed when their tensors close. */
    synchronized void close() {
        trim();
        closed = true;
    }

    private cl_mem create(long size, String what) {
        try {
            return driver.create(size);
        } catch (CLException e) {
            if (!outOfMemory(e.getStatus())) {
                throw new ClException("allocate " + what, "clCreateBuffer", e.getStatus(), e);
            }
        }
        trim();
        try {
            return driver.create(size);
        } catch (CLException e) {
            if (!outOfMemory(e.getStatus())) {
                throw new ClException("allocate " + what, "clCreateBuffer", e.getStatus(), e);
            }
            throw new ClOutOfMemoryException("opencl: out of device memory allocating " + size + " bytes for " + what
                    + " (" + ClException.codeName(e.getStatus()) + ", after emptying the pool)" + held());
        }
    }

    private String held() {
        return "; this backend holds " + liveBytes + " bytes in " + liveBuffers + " live buffers";
    }

    static boolean outOfMemory(int status) {
        return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                || status == CL_OUT_OF_HOST_MEMORY;
    }

    /** Sizes rounded to 256 bytes, so nearby sizes share a pool slot and every buffer is aligned for vector loads. */
    static long roundUp(long bytes) {
        return (bytes + 255) & ~255L;
    }
}
