package dendrite.tensor.op;

/**
 * The random numbers every backend produces: a counter-based generator, so element
 * {@code i} of a seeded random tensor depends only on the seed and {@code i}, never on the
 * order or thread that computes it. That makes seeded initialization and dropout masks
 * identical on every backend and thread count.
 *
 * <p>The bits are SplitMix64 ({@code Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014}) of {@code seed + (i + 1) * golden gamma}: every operation is
 * a 64-bit integer add, xor, shift or multiply, which OpenCL C computes bit for bit like Java.
 *
 * <p>This is a public contract, not an implementation detail: {@code Backend.randomUniform},
 * {@code randomNormal} and {@code bernoulliMask} are defined by it, every backend must give these
 * values, and code above the backends (a shuffle, a dropout mask for a sample) may draw from it to
 * get the same numbers as a kernel would.
 */
public final class CounterRandom {
    /** 2^64 / phi, SplitMix64's increment. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRandom() {
    }

    /**
     * 64 well-mixed bits for (seed, i).
     *
     * @param seed the stream
     * @param i the counter: the element's index (any value; it wraps modulo 2^64)
     * @return SplitMix64's output for {@code seed + (i + 1) * GAMMA}
     */
    public static long bits(long seed, long i) {
        long z = seed + (i + 1) * GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform float in [0, 1): the top 24 bits, so every value is exact in float32.
     *
     * @param seed the stream
     * @param i the counter: the element's index
     * @return a multiple of 2^-24 in [0, 1)
     */
    public static float uniform(long seed, long i) {
        return (bits(seed, i) >>> 40) * 0x1.0p-24f;
    }

    /**
     * A standard normal value by the Box-Muller transform of two uniforms drawn at counters
     * {@code 2i} and {@code 2i + 1}. Computed in double precision and rounded once, so backends
     * agree to within a float ulp or two.
     *
     * @param seed the stream
     * @param i the element's index; it uses counters {@code 2i} and {@code 2i + 1}
     * @return a value from the standard normal distribution, always finite
     */
    public static float normal(long seed, long i) {
        double u1 = 1.0 - uniform(seed, 2 * i);      // (0, 1]: log is finite
        double u2 = uniform(seed, 2 * i + 1);
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }
}
