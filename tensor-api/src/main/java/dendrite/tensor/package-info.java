/**
 * Tensors and the backends that compute on them.
 *
 * <p>A {@link dendrite.tensor.Tensor} is a dense float32 array with an immutable
 * {@link dendrite.tensor.Shape}, stored row-major and owned by one
 * {@link dendrite.tensor.Backend}. Kernels are coarse: each call works on whole tensors
 * and writes into an output tensor the caller supplies, so a training step can reuse its
 * buffers and allocate nothing.
 *
 * <pre>{@code
 * Backend be = Backends.get();               // the best available backend
 * try (Scope scope = Scope.open()) {         // frees every tensor made inside
 *     Tensor a = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 *     Tensor b = be.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
 *     Tensor c = be.zeros(2, 2);
 *     be.gemm(false, false, 1f, a, b, 0f, c);   // c = a . b
 *     float[] values = c.toArray();
 * }
 * }</pre>
 *
 * <p>Backends are found with {@link java.util.ServiceLoader} through
 * {@link dendrite.tensor.BackendProvider}; {@link dendrite.tensor.Backends} picks one.
 */
package dendrite.tensor;
