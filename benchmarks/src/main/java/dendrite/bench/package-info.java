/**
 * JMH benchmarks. Each takes the backend as a {@code @Param} ({@code scalar}, {@code vector},
 * {@code opencl}, and for matmul the peers {@code netlib-native} (OpenBLAS) and
 * {@code netlib-java}); an unavailable backend is reported and its runs skipped, and every
 * benchmark checks its result once in setup against backend-scalar. See benchmarks/README.md.
 */
package dendrite.bench;
