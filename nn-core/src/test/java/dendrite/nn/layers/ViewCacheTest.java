package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dendrite.nn.EveryBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A cached view is made once per source and shape, and finding it allocates nothing. */
class ViewCacheTest {

    @Test
    void aViewIsMadeOnceAndRemadeForAnotherSourceOrShape() {
        Backend be = EveryBackend.get("scalar");
        try (Tensor a = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3); Tensor b = be.zeros(6)) {
            ViewCache c = new ViewCache();
            Tensor flat = c.of(a, 6);
            assertArrayEquals(new int[] {6}, flat.shape().dims());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat.toArray());
            assertSame(flat, c.of(a, 6));
            assertNotSame(flat, c.of(b, 6), "another source");
            Tensor rows = c.of(b, 3, 2);
            assertArrayEquals(new int[] {3, 2}, rows.shape().dims());
            assertNotSame(rows, c.of(b, 6), "another shape");
        }
    }

    /**
     * The one-dimensional view allocates nothing on its own, not only where the JIT inlines it and removes a
     * varargs array by escape analysis: run uncompiled at first here, as in a step that C2 compiled without
     * inlining it. BatchNorm2d's per-channel sums once took {@code of(tensor, n)} through the varargs form and
     * allocated 24 bytes a call in steps compiled that way (96 bytes a training step).
     */
    @Test
    void findingAOneDimensionalViewAllocatesNothingEvenUncompiled() {
        Backend be = EveryBackend.get("scalar");
        try (Tensor a = be.zeros(2, 3)) {
            ViewCache c = new ViewCache();
            c.of(a, 6);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100; i++) {
                c.of(a, 6);
            }
            assertEquals(0, threads.getThreadAllocatedBytes(id) - before, "bytes allocated by 100 lookups");
        }
    }
}
