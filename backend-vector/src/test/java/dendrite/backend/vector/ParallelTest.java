package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The thread pool runs every part exactly once, reports failures, and cannot deadlock on itself. */
class ParallelTest {

    @Test
    void everyPartRunsExactlyOnceInManyBackToBackJobs() {
        try (Parallel pool = new Parallel(3)) {
            for (int job = 0; job < 2000; job++) {
                int parts = 1 + job % 7;
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                pool.run(parts, runs::incrementAndGet);
                for (int p = 0; p < parts; p++) {
                    assertEquals(1, runs.get(p), "job " + job + " part " + p);
                }
            }
        }
    }

    /** Each thread's home range starts where the one before ends; together they hold every part once. */
    @Test
    void theHomeRangesCutTheParts() {
        for (int threads = 1; threads <= 5; threads++) {
            for (int n = 0; n <= 23; n++) {
                assertEquals(0, Parallel.start(0, n, threads), threads + " threads, " + n + " parts");
                assertEquals(n, Parallel.start(threads, n, threads), threads + " threads, " + n + " parts");
                for (int t = 0; t < threads; t++) {
                    int size = Parallel.start(t + 1, n, threads) - Parallel.start(t, n, threads);
                    assertTrue(size == n / threads || size == n / threads + 1 || n < threads && size <= 1,
                            threads + " threads, " + n + " parts: thread " + t + " has " + size);
                }
            }
        }
        // Fewer parts than threads: part t for thread t.
        assertEquals(1, Parallel.start(1, 2, 4));
        assertEquals(2, Parallel.start(3, 2, 4));
    }

    /** GEMM asks this before cutting a product into shared passes; inside a part they would run alone. */
    @Test
    void sharesSaysWhetherAJobFromThisThreadWouldReachTheWorkers() {
        try (Parallel one = new Parallel(1)) {
            assertFalse(one.shares(), "no workers");
        }
        Parallel pool = new Parallel(2);
        assertTrue(pool.shares(), "the caller of an idle pool");
        AtomicIntegerArray inside = new AtomicIntegerArray(4);
        pool.run(4, p -> inside.set(p, pool.shares() ? 1 : 2));
        assertEquals("[2, 2, 2, 2]", inside.toString(), "inside a part, on the caller or a worker");
        pool.close();
        assertFalse(pool.shares(), "closed");
    }

    @Test
    void aFailingPartIsRethrownToTheCaller() {
        try (Parallel pool = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(4, p -> {
                if (p == 3) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            // The pool still works afterwards.
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            pool.run(4, runs::incrementAndGet);
            assertEquals("[1, 1, 1, 1]", runs.toString());
        }
    }

    @Test
    void aJobStartedInsideAJobRunsOnItsThreadInsteadOfWaitingForTheBusyPool() {
        try (Parallel pool = new Parallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            pool.run(2, outer -> pool.run(2, inner -> runs.incrementAndGet(outer * 2 + inner)));
            assertEquals("[1, 1, 1, 1]", runs.toString());
        }
    }

    @Test
    void afterCloseJobsStillRunOnTheCaller() {
        Parallel pool = new Parallel(2);
        pool.close();
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        pool.run(3, runs::incrementAndGet);
        assertEquals("[1, 1, 1]", runs.toString());
    }

    @Test
    void partsGrowWithTheWorkUpToTheThreadCount() {
        try (Parallel pool = new Parallel(2)) {
            assertEquals(1, pool.parts(1000, 1000));
            assertEquals(2, pool.parts(2000, 1000));
            assertEquals(2, pool.parts(1_000_000, 1000));
        }
    }
}
