/**
 * For backend implementors: the kernel SPI ({@link dendrite.tensor.spi.Kernels}), the memory it
 * works on ({@link dendrite.tensor.spi.Storage}, {@link dendrite.tensor.spi.Slice}), and the heap
 * memory the CPU backends share ({@link dendrite.tensor.spi.HeapKernels}).
 *
 * <p>Kernels are unchecked: {@code dendrite.tensor.Backend}, the front users call, validates every
 * argument once and then calls them. This package is exported only to the project's backend
 * modules; on the class path any backend may implement it.
 *
 * <p>Imports only {@code dendrite.tensor.op} and the JDK: the front depends on the SPI, never the
 * other way round.
 */
package dendrite.tensor.spi;
