package dendrite.backend.opencl;

import static org.jocl.CL.CL_INVALID_VALUE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jocl.CLException;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;


/** The pool's bookkeeping and its out-of-memory rule, against a fake driver that can run out. */
class ClMemoryPoolTest {

    /** Holds at most {@code capacity} bytes, as a device would. */
    private static final class FakeDriver implements ClMemory.Driver {
        final long capacity;
        long used;
        int creates;
        final List<cl_mem> freed = new ArrayList<>();
        final java.util.Map<cl_mem, Long> sizes = new java.util.IdentityHashMap<>();

        FakeDriver(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public cl_mem create(long bytes) {
            creates++;
            if (used + bytes > capacity) {
                throw new CLException("fake", CL_MEM_OBJECT_ALLOCATION_FAILURE);
            }
            used += bytes;
            cl_mem m = new cl_mem();
            sizes.put(m, bytes);
            return m;
        }

        @Override
        public void free(cl_mem mem) {
            used -= sizes.remove(mem);
            freed.add(mem);
        }
    }

    @Test
    void releasedBuffersAreReusedBySize() {
        FakeDriver driver = new FakeDriver(1 << 20);
        ClMemory memory = new ClMemory(driver, 1 << 30, 1 << 20);
        cl_mem a = memory.acquire(1000, "a");
        memory.release(a, 1000);
        assertEquals(new ClMemory.Stats(0, 0, 1, 1024), memory.stats());
        assertSame(a, memory.acquire(1010, "b"), "1000 and 1010 bytes share the 1024-byte slot");
        assertEquals(new ClMemory.Stats(1, 1024, 0, 0), memory.stats());
        memory.acquire(2000, "c");
        assertEquals(2, driver.creates);
    }

    @Test
    void failedAllocationEmptiesThePoolAndRetriesOnce() {
        FakeDriver driver = new FakeDriver(4096);
        ClMemory memory = new ClMemory(driver, 1 << 30, 1 << 20);
        cl_mem small = memory.acquire(2048, "small");
        memory.release(small, 2048); // pooled: the device still holds it
        cl_mem big = memory.acquire(3072, "big"); // fails, then fits once the pool is freed
        assertEquals(List.of(small), driver.freed);
        assertEquals(new ClMemory.Stats(1, 3072, 0, 0), memory.stats());
        assertEquals(3, driver.creates, "one creation, one failure, one retry");
        memory.release(big, 3072);
    }

    @Test
    void failureAfterRetrySaysWhatWasAskedAndWhatIsHeld() {
        ClMemory memory = new ClMemory(new FakeDriver(4096), 1 << 30, 1 << 20);
        memory.acquire(3000, "held");
        ClOutOfMemoryException e = assertThrows(ClOutOfMemoryException.class, () -> memory.acquire(2000, "tensor [500]"));
        assertEquals("opencl: out of device memory allocating 2048 bytes for tensor [500]"
                + " (CL_MEM_OBJECT_ALLOCATION_FAILURE, after emptying the pool); this backend holds 3072 bytes in 1"
                + " live buffers", e.getMessage());
    }

    @Test
    void aRequestOverTheLargestAllocationIsRefusedWithoutAskingTheDriver() {
        FakeDriver driver = new FakeDriver(1 << 30);
        ClMemory memory = new ClMemory(driver, 1 << 30, 1 << 20);
        memory.acquire(3000, "held");
        ClOutOfMemoryException e = assertThrows(ClOutOfMemoryException.class,
                () -> memory.acquire((1 << 20) + 1, "tensor [262145]"));
        assertEquals("opencl: tensor [262145] needs 1048832 bytes, more than the device's largest allocation of"
                + " 1048576 bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE); this backend holds 3072 bytes in 1 live buffers",
                e.getMessage());
        assertEquals(1, driver.creates, "only the first buffer reached the driver");
        assertEquals(new ClMemory.Stats(1, 3072, 0, 0), memory.stats());
    }

    @Test
    void otherDriverErrorsNameTheAllocation() {
        ClMemory.Driver broken = new ClMemory.Driver() {
            @Override
            public cl_mem create(long bytes) {
                throw new CLException("fake", CL_INVALID_VALUE);
            }

            @Override
            public void free(cl_mem mem) {
            }
        };
        ClException e = assertThrows(ClException.class, () -> new ClMemory(broken, 1 << 30, 1 << 20).acquire(4, "x"));
        assertTrue(e.getMessage().startsWith("opencl allocate x: clCreateBuffer returned CL_INVALID_VALUE (-30)"), e.getMessage());
    }
}
