/**
 * The vector backend: every {@link dendrite.tensor.spi.Kernels} kernel, primitive and fused,
 * written with the Java Vector API ({@code jdk.incubator.vector}) and spread over a small thread
 * pool. The checked front, {@link dendrite.tensor.Backend}, validates the arguments before any
 * of them runs.
 *
 * <ul>
 *   <li>{@link dendrite.backend.vector.VectorBackendProvider}: the light half. Its probe checks,
 *       without touching any incubator class, that the module is readable, that the VM is HotSpot
 *       with C2, and that the preferred vector is at least 128 bits wide (after checking, first, that
 *       the JVM is Java 21 or newer).</li>
 *   <li>{@link dendrite.backend.vector.VectorKernels}: memory (heap {@code float[]}, like the
 *       scalar backend, from {@code HeapKernels}), the split of large work over threads, and
 *       dispatch to the kernel classes:</li>
 *   <li>{@code VectorGemm} (cache blocking from {@code CacheSizes}, whether the transposing packs gather
 *       or transpose in registers, from {@code CpuVendor}, threads, the fused epilogue of
 *       {@code linear}, an A packed once for many products, B panels packed by the caller),
 *       {@code GemmKernel} (the register-blocked micro-kernels: 12 rows by two vectors on packed
 *       panels with AVX-512, 6 with AVX2's 16 registers, which also read a row-major A in place;
 *       8 rows in place) and
 *       {@code GemmPacking} (panels for every transpose combination, with {@code GemmTranspose}'s
 *       8 x 8 transposes in registers): matrix multiply; {@code GemmDot}: its dot-product form for
 *       {@code A B^T} with fewer than eight rows (predicting a few samples), nothing packed;</li>
 *   <li>{@code VectorConvolutions} (convolutions over a batch in chunks of a few images, one GEMM
 *       per chunk and group on the chunk's columns, chunks shared out to the threads with their
 *       own buffers; pooling split by planes) and {@code VectorImages} (im2col, col2im and pooling
 *       as row sweeps, on vectors where a row is contiguous; 2 x 2 windows with stride 2 as pairs);</li>
 *   <li>{@code VectorWarmup}: one background run of a small CNN's kernels when the first kernels
 *       are made, so that C2 compiles them while the application loads its data (off unless
 *       {@code -Ddendrite.vector.warmup=true}; the {@code dendrite} command turns it on);</li>
 *   <li>{@code VectorElementwise}, {@code VectorReductions}, {@code VectorNormalization},
 *       {@code VectorActivations}, {@code VectorOptimizers}: the other kernels, each a vector loop and a tail of single floats (no masks: see {@code VectorElementwise});
 *       {@code VectorMath}: exp from basic arithmetic, the same bits interpreted and compiled, and
 *       {@code VectorGelu}, {@code VectorGeluTanh}, {@code VectorTanh}, {@code VectorSoftplus},
 *       {@code VectorSilu}, {@code VectorElu}, {@code VectorMish}: activations built on it ({@code VectorHardswish},
 *       plain arithmetic, beside them);
 *       {@code VectorLog}: the LOG op, likewise; {@code ScratchBlocks}: their per-thread scratch;
 *       {@code RangeJobs}: the reusable per-thread jobs that split element-wise, optimizer and
 *       random work into ranges;</li>
 *   <li>{@code Simd}: the species and hardware facts, held in {@code static final} fields so C2
 *       treats them as constants; {@code Parallel}: the backend's thread pool, override with
 *       {@code -Ddendrite.threads=N}.</li>
 * </ul>
 *
 * <p>Only {@code VectorBackendProvider}, {@code VectorProbe}, {@code Parallel},
 * {@code CacheSizes}, {@code CpuVendor} and {@code ScratchBlocks} are free of {@code jdk.incubator.vector};
 * every other class uses the incubator API, directly or through {@code Simd} and the kernels
 * ({@code VectorWarmup} runs them). Results are deterministic for a given thread count (GEMM,
 * convolutions, pooling and whole-tensor reductions even across thread counts), and, except for
 * the pow op, the same whether a kernel runs interpreted or compiled.
 */
package dendrite.backend.vector;
