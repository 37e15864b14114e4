// Counter-based random numbers, bit for bit dendrite.tensor.spi.CounterRandom: SplitMix64 of
// seed + (i + 1) * gamma, with 64-bit wrapping arithmetic exactly as in Java.

// common.cl turns FP_CONTRACT off: lo + (hi - lo) * u must round twice, as in Java, to be identical.

inline ulong splitmix_bits(ulong seed, ulong i) {
    ulong z = seed + (i + 1UL) * 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

// The top 24 bits scaled to [0, 1): exact in float.
inline float uniform01(ulong seed, ulong i) {
    return (float) (splitmix_bits(seed, i) >> 40) * 0x1.0p-24f;
}

// Box-Muller of the uniforms at counters 2i and 2i + 1, in double where the device has it
// (as CounterRandom does), else in float (within about 1e-6 of it).
inline float normal01(ulong seed, ulong i) {
#ifdef HAS_FP64
    double u1 = 1.0 - (double) uniform01(seed, 2UL * i);
    double u2 = (double) uniform01(seed, 2UL * i + 1UL);
    return (float) (sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
#else
    float u1 = 1.0f - uniform01(seed, 2UL * i);
    float u2 = uniform01(seed, 2UL * i + 1UL);
    return sqrt(-2.0f * log(u1)) * cos(2.0f * M_PI_F * u2);
#endif
}

kernel void random_uniform(global float* out, int oo, int n, ulong seed, float lo, float hi) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = lo + (hi - lo) * uniform01(seed, (ulong) i);
}

kernel void random_normal(global float* out, int oo, int n, ulong seed, float mean, float stddev) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = mean + stddev * normal01(seed, (ulong) i);
}

kernel void bernoulli_mask(global float* out, int oo, int n, ulong seed, float keep, float scale) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = uniform01(seed, (ulong) i) < keep ? scale : 0.0f;
}
