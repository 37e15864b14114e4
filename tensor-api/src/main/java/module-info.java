/**
 * Dendrite's tensor API: {@link dendrite.tensor.Tensor}, {@link dendrite.tensor.Shape},
 * {@link dendrite.tensor.Scope}, the checked {@link dendrite.tensor.Backend} front, the operations
 * ({@code dendrite.tensor.op}) and the {@link dendrite.tensor.BackendProvider} through which
 * backends are discovered. Depends on the JDK alone.
 *
 * <p>The kernel SPI ({@code dendrite.tensor.spi}) is exported to the project's backends only:
 * users never call kernels, they call the front. On the class path any backend may implement it.
 */
module dendrite.tensor {
    exports dendrite.tensor;
    exports dendrite.tensor.op;
    exports dendrite.tensor.spi to dendrite.backend.scalar, dendrite.backend.vector, dendrite.backend.opencl;
    uses dendrite.tensor.BackendProvider;
}
