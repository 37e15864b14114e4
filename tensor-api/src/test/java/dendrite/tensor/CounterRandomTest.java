package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.CounterRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CounterRandomTest {
    private static final int DRAWS = 100_000;

    @Test
    void bitsAreSplitMix64AsTheJdkComputesIt() {
        // SplittableRandom(seed) with its default gamma is the same SplitMix64 stream, independently written.
        for (long seed : new long[] {0, 42, -7, Long.MAX_VALUE}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 100; i++) {
                assertEquals(jdk.nextLong(), CounterRandom.bits(seed, i), "seed " + seed + ", counter " + i);
            }
        }
    }

    @Test
    void valuesDependOnSeedAndCounterAlone() {
        assertEquals(CounterRandom.uniform(9, 1234), CounterRandom.uniform(9, 1234));
        assertEquals(CounterRandom.normal(9, 1234), CounterRandom.normal(9, 1234));
        assertNotEquals(CounterRandom.bits(9, 1234), CounterRandom.bits(10, 1234));
        assertNotEquals(CounterRandom.bits(9, 1234), CounterRandom.bits(9, 1235));
    }

    @Test
    void uniformIsIn0To1WithMeanOneHalf() {
        double sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            float u = CounterRandom.uniform(1, i);
            assertTrue(u >= 0f && u < 1f, "uniform " + u + " at " + i);
            assertEquals(0, u * (1 << 24) % 1, "a multiple of 2^-24, exact in float");
            sum += u;
        }
        // Standard error of the mean: 0.289 / sqrt(100k) = 0.0009; 0.005 is over five of them.
        assertEquals(0.5, sum / DRAWS, 0.005);
    }

    @Test
    void normalHasMeanZeroAndStandardDeviationOne() {
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < DRAWS; i++) {
            double z = CounterRandom.normal(2, i);
            assertTrue(Double.isFinite(z), "normal value at " + i);
            sum += z;
            sumSquares += z * z;
        }
        double mean = sum / DRAWS;
        double std = Math.sqrt(sumSquares / DRAWS - mean * mean);
        // Standard errors: 1 / sqrt(100k) = 0.003 for the mean, 1 / sqrt(200k) = 0.002 for the std.
        assertEquals(0, mean, 0.015);
        assertEquals(1, std, 0.012);
    }
}
