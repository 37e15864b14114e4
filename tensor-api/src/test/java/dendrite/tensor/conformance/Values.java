package dendrite.tensor.conformance;

import java.util.SplittableRandom;

/** Random test inputs drawn from a seed, so a failing property names a reproducible case. */
final class Values {
    private Values() {
    }

    /** {@code n} floats uniform in [lo, hi). */
    static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    /** {@code n} whole numbers in [0, bound) as floats: inputs with many ties. */
    static float[] integers(long seed, int n, int bound) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(bound);
        }
        return v;
    }

    /** {@code n} ints in [0, bound). */
    static int[] indices(long seed, int n, int bound) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(bound);
        }
        return v;
    }

    /** {@code n} floats spread over many orders of magnitude, of both signs, never zero. */
    static float[] wideRange(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double magnitude = Math.pow(10, -3 + 6 * r.nextDouble());
            v[i] = (float) (r.nextBoolean() ? magnitude : -magnitude);
        }
        return v;
    }
}
