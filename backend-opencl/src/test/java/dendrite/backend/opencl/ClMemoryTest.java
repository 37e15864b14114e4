package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dendrite.tensor.Backend;
import dendrite.tensor.MemoryStats;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.ReduceOp;

/**
 * Device memory: freed on close, reused from the pool, counted, and released by the backend's
 * close. The tests use a backend of their own (not the shared one from {@code Backends}), so the
 * counts see only their own tensors.
 */
class ClMemoryTest {
    private static Backend be;

    /** A front of its own over new OpenCL kernels, closed by its maker. */
    private static Backend create() {
        ClBackendProvider provider = new ClBackendProvider();
        assumeTrue(provider.probe().available(), () -> provider.probe().explain());
        return Backend.of(provider.create());
    }

    @BeforeAll
    static void createBackend() {
        be = create();
    }

    @AfterAll
    static void closeBackend() {
        if (be != null) {
            be.close();
        }
    }

    /** A small training-like step: every tensor made in it is freed by the scope. */
    private void step(Tensor w, int i) {
        Scope scope = Scope.open();
        try {
            Tensor x = be.zeros(16, 33);
            be.randomNormal(i, 0f, 1f, x);
            Tensor y = be.zeros(16, 20);
            be.linear(x, w, null, Activation.RELU, 0f, y);
            Tensor g = be.zeros(20, 33);
            be.gemm(true, false, 1f, y, x, 0f, g);
            be.sgdUpdate(w, g, null, 1e-3f, 0f, 0f, false);
            be.reduceAll(ReduceOp.SUM, y, be.zeros(1)); // also takes and returns a temporary partials buffer
            be.gatherRows(x, new int[] {3, 1, 2}, 0, be.zeros(3, 33));
        } finally {
            scope.close();
        }
    }

    @Test
    void liveBuffersStayFlatOverThousandsOfSteps() {
        long before = be.memory().liveBuffers();
        Tensor w = be.zeros(20, 33);
        step(w, 0);
        MemoryStats after1 = be.memory();
        for (int i = 1; i < 2000; i++) {
            step(w, i);
        }
        be.synchronize();
        MemoryStats after2000 = be.memory();
        assertEquals(after1.liveBuffers(), after2000.liveBuffers(), "live buffers: " + after2000);
        assertEquals(after1.liveBytes(), after2000.liveBytes(), "live bytes: " + after2000);
        assertEquals(after1.pooledBuffers(), after2000.pooledBuffers(), "pooled buffers: " + after2000);
        assertEquals(before + 1, after2000.liveBuffers(), "only w is live: " + after2000);
        assertTrue(Float.isFinite(be.reduceToFloat(ReduceOp.SUM, w)));
        w.close();
    }

    @Test
    void closeReturnsToPoolAndAllocateReuses() {
        MemoryStats empty = be.memory();
        Tensor t = be.full(3f, 100);
        assertEquals(empty.liveBuffers() + 1, be.memory().liveBuffers());
        assertEquals(512, be.memory().liveBytes() - empty.liveBytes(), "400 bytes rounded up to 256");
        t.close();
        assertEquals(empty.liveBuffers(), be.memory().liveBuffers());
        assertEquals(empty.pooledBuffers() + 1, be.memory().pooledBuffers());
        Tensor again = be.zeros(100);
        assertEquals(empty.pooledBuffers(), be.memory().pooledBuffers(), "reused from the pool");
        assertEquals(0f, be.reduceToFloat(ReduceOp.MAX, again), "a reused buffer is zeroed");
        again.close();
        ((ClKernels) be.kernels()).trimPool();
        assertEquals(0, be.memory().pooledBuffers());
    }

    @Test
    void cleanerReturnsBuffersOfUnclosedTensors() throws InterruptedException {
        long before = be.memory().liveBuffers();
        allocateAndDrop();
        assertEquals(before + 10, be.memory().liveBuffers());
        for (int i = 0; i < 100 && be.memory().liveBuffers() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, be.memory().liveBuffers(), "the Cleaner returned unreachable tensors' buffers");
    }

    private void allocateAndDrop() {
        for (int i = 0; i < 10; i++) {
            be.zeros(64);
        }
    }

    /**
     * The largest tensor (2^31 - 9 floats, 8 GiB with the rounding) on the real device. A device that
     * can allocate that much (PoCL on a machine with 23 GiB offers exactly 8 GiB) cannot be made to
     * refuse one tensor, so the test is skipped there with the device's limit; the check itself is
     * {@code ClMemoryPoolTest}'s, with a driver of its own.
     */
    @Test
    void tooLargeAllocationSaysWhatWasAskedAndHeld() {
        long largest = ((ClKernels) be.kernels()).maxAllocBytes();
        assumeTrue(largest < 8589934592L, () -> "the device allocates up to " + largest
                + " bytes, enough for the largest tensor: nothing to refuse");
        long held = be.memory().liveBytes(), buffers = be.memory().liveBuffers();
        ClOutOfMemoryException e = assertThrows(ClOutOfMemoryException.class, () -> be.zeros(Integer.MAX_VALUE - 8));
        assertTrue(e.getMessage().contains("needs 8589934592 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
        assertTrue(e.getMessage().contains("this backend holds " + held + " bytes in " + buffers + " live buffers"), e.getMessage());
    }

    @Test
    void closeIsIdempotentAndLaterUseThrows() {
        Backend own = create();
        Tensor t = own.zeros(8);
        own.zeros(8).close(); // one pooled buffer
        own.close();
        own.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> own.fill(t, 1f));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, own.memory().pooledBuffers(), "close empties the pool");
        t.close(); // a tensor outliving its backend can still be closed
        assertEquals(0, own.memory().liveBuffers());
        assertEquals(0, own.memory().pooledBuffers());
    }
}
