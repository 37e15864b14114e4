/**
 * JMH benchmarks and their report. Each benchmark takes the backend as a {@code @Param}
 * ({@code scalar}, {@code vector}, {@code opencl}, and for matmul the peers {@code netlib-native}
 * (OpenBLAS) and {@code netlib-java}); an unavailable backend is reported and its runs skipped, and
 * every benchmark checks its result once in setup against backend-scalar.
 *
 * <ul>
 *   <li>{@link dendrite.bench.MatmulBenchmark}: sgemm, square and the MLP's products;</li>
 *   <li>{@link dendrite.bench.EpochBenchmark}, {@link dendrite.bench.TrainStepBenchmark},
 *       {@link dendrite.bench.InferenceBenchmark}: the 784-256-128-10 MLP ({@code Mlp}) trained
 *       and queried as {@code TrainingLoop} and {@code Sequential.predict} do it;</li>
 *   <li>{@link dendrite.bench.Report}: JMH's JSON (and the PyTorch peer's) to a Markdown table and
 *       PNG charts.</li>
 *   <li>{@link dendrite.bench.GemmAcceptance}: MatmulBenchmark's JSON judged against issue 21's bars
 *       (the vector backend's GEMM against OpenBLAS, quiet and busy);</li>
 *   <li>{@link dendrite.bench.JmhRounds}: the JSON of several JMH runs of the same benchmarks (rounds of
 *       one fork each) joined into one, with JMH's statistics over all their forks.</li>
 * </ul>
 * See benchmarks/README.md.
 */
package dendrite.bench;
