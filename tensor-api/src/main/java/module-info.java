/**
 * Dendrite's tensor API: {@link dendrite.tensor.Tensor}, {@link dendrite.tensor.Shape},
 * {@link dendrite.tensor.Scope}, the {@link dendrite.tensor.Backend} kernels and the
 * {@link dendrite.tensor.BackendProvider} SPI through which backends are discovered.
 * Depends on the JDK alone.
 */
module dendrite.tensor {
    exports dendrite.tensor;
    exports dendrite.tensor.spi;
    uses dendrite.tensor.BackendProvider;
}
