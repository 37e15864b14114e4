package dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ring all-reduce on loopback with threads as ranks: sums, uneven chunks, dead and stalled peers. */
class RingAllReduceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Rank r's value i: integers, so that every order of adding gives the exact sum. */
    private static float value(int rank, int i) {
        return (rank + 1) * 1000 + i % 97;
    }

    @ParameterizedTest(name = "{0} ranks, {1} values")
    @CsvSource({"1, 5", "2, 0", "2, 1", "2, 9", "3, 2", "3, 1001", "4, 3", "4, 4099"})
    void everyRankGetsTheSumOfEveryRanksValues(int ranks, int length) throws Exception {
        List<float[]> results = Rings.run(ranks, TIMEOUT, ring -> {
            float[] data = new float[length + 3];                    // values past length take no part
            for (int i = 0; i < data.length; i++) {
                data[i] = value(ring.rank(), i);
            }
            ring.sum(data, length);
            return data;
        });
        for (int r = 0; r < ranks; r++) {
            float[] got = results.get(r);
            for (int i = 0; i < length; i++) {
                float expected = 0;
                for (int q = 0; q < ranks; q++) {
                    expected += value(q, i);
                }
                assertEquals(expected, got[i], "rank " + r + ", value " + i);
            }
            for (int i = length; i < got.length; i++) {
                assertEquals(value(r, i), got[i], "rank " + r + " changed value " + i + " past the length");
            }
        }
    }

    /** Every rank ends with the same bits, and a second run gives them again: replicas cannot drift. */
    @Test
    void theSumsAreTheSameBitsOnEveryRankAndEveryRun() throws Exception {
        int ranks = 3;
        int length = 2_503;
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            List<float[]> results = Rings.run(ranks, TIMEOUT, ring -> {
                Random random = new Random(ring.rank());
                float[] data = new float[length];
                for (int i = 0; i < length; i++) {
                    data[i] = (float) random.nextGaussian() * 1e-3f;
                }
                for (int repeat = 0; repeat < 3; repeat++) {             // the buffers are reused
                    ring.sum(data, length);
                }
                return data;
            });
            for (int r = 1; r < ranks; r++) {
                assertArrayEquals(results.get(0), results.get(r), "rank " + r + " against rank 0");
            }
            if (first == null) {
                first = results.toArray(float[][]::new);
            } else {
                assertArrayEquals(first[0], results.get(0), "a second run");
            }
        }
    }

    @Test
    void ranksCalledWithDifferentLengthsAreToldSo() {
        Exception e = assertThrows(Exception.class, () -> Rings.run(2, TIMEOUT, ring -> {
            ring.sum(new float[10], ring.rank() == 0 ? 10 : 8);
            return null;
        }));
        assertTrue(e.getMessage().contains("different lengths"), e.getMessage());
    }

    /** A task that dies (its sockets close) fails its neighbours' next exchange at once, naming it. */
    @Test
    void aDeadPeerFailsTheOthersInsteadOfHangingThem() {
        long start = System.nanoTime();
        Exception e = assertThrows(UncheckedIOException.class, () -> Rings.run(3, TIMEOUT, ring -> {
            float[] data = new float[50_000];
            ring.sum(data, data.length);
            if (ring.rank() == 2) {
                ring.close();                                            // the task dies after one step
                throw new UncheckedIOException("rank 2 died", new java.io.IOException("simulated"));
            }
            ring.sum(data, data.length);
            return null;
        }));
        assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "noticed before the timeout: " + e);
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }

    /** A task that stops answering (alive, stuck) is given up after the timeout. */
    @Test
    void aStalledPeerIsGivenUpAfterTheTimeout() throws Exception {
        Duration shortTimeout = Duration.ofMillis(700);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Future<?> run = caller.submit(() -> Rings.run(2, shortTimeout, ring -> {
                if (ring.rank() == 1) {
                    try {
                        release.await(30, TimeUnit.SECONDS);             // never calls sum
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }
                try {
                    ring.sum(new float[100], 100);
                    return null;
                } finally {
                    release.countDown();
                }
            }));
            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("heard nothing"), e.getCause().getMessage());
        } finally {
            release.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void aRankOutsideTheRingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RingAllReduce.join(2,
                List.of(new java.net.InetSocketAddress(1), new java.net.InetSocketAddress(2)),
                RingAllReduce.listen(java.net.InetAddress.getLoopbackAddress()), TIMEOUT));
    }
}
