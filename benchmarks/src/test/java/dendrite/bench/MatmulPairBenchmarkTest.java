package dendrite.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatmulPairBenchmarkTest {

    /** A product that takes at least {@code nanos} a call, by spinning. */
    private static Gemm spinning(long nanos) {
        return new Gemm(1, 1, 1, false, false) {
            @Override
            void run() {
                long start = System.nanoTime();
                while (System.nanoTime() - start < nanos) {
                    Thread.onSpinWait();
                }
            }

            @Override
            float[] result() {
                return new float[1];
            }
        };
    }

    @Test
    void eachSideIsTimedAsItselfWhicheverGoesFirst() {
        MatmulPairBenchmark.Pair p = new MatmulPairBenchmark.Pair();
        p.backendGemm = spinning(100_000);
        p.referenceGemm = spinning(300_000);
        MatmulPairBenchmark bench = new MatmulPairBenchmark();
        for (int operation = 0; operation < 2; operation++) {   // the backend's turn first, then second
            MatmulPairBenchmark.Times t = new MatmulPairBenchmark.Times();
            t.reset();
            bench.pair(p, t);
            String what = "operation " + operation + ": backend " + t.backendUs + " us, reference " + t.referenceUs
                    + " us, ratio " + t.ratio;
            assertTrue(t.backendUs >= 100 && t.referenceUs >= 300, what);
            // 3 if nothing else ran; a swapped side would give a third.
            assertTrue(t.ratio > 1.5, what);
        }
    }

    @Test
    void productsAreSquaresOrTheMlpsShapes() {
        assertArrayEquals(new int[] {1024, 1024, 1024, 0, 0}, MatmulPairBenchmark.shape("1024"));
        assertArrayEquals(MatmulBenchmark.mlpShape("fc2.dW"), MatmulPairBenchmark.shape("fc2.dW"));
        assertThrows(IllegalArgumentException.class, () -> MatmulPairBenchmark.shape("fc9.fwd"));
    }
}
