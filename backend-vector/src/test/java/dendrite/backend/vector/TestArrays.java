package dendrite.backend.vector;

import java.util.SplittableRandom;

/** Inputs the backend's tests draw: seeded uniform values and their magnitudes. */
final class TestArrays {
    private TestArrays() {
    }

    /** {@code n} values uniform in [-1, 1), the same for the same seed. */
    static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** The magnitudes of {@code v}, in a new array. */
    static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }
}
