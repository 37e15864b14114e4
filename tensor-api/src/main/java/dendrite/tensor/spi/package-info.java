/**
 * For backend implementors: the kernel SPI ({@link dendrite.tensor.spi.Kernels}), the memory it
 * works on ({@link dendrite.tensor.spi.Storage}, {@link dendrite.tensor.spi.Slice}), the heap
 * memory the CPU backends share ({@link dendrite.tensor.spi.HeapKernels},
 * {@link dendrite.tensor.spi.HeapStorage}), how a binary kernel's second operand lines up with the
 * first ({@link dendrite.tensor.spi.Broadcast}), the fused kernels' defaults written with the
 * primitives alone ({@code Composites}), and the memory a backend that manages its own accounts for
 * ({@link dendrite.tensor.spi.MemoryAccounting}).
 *
 * <p>Kernels are unchecked: {@code dendrite.tensor.Backend}, the front users call, validates every
 * argument once and then calls them. This package is exported only to the project's backend
 * modules; on the class path any backend may implement it.
 *
 * <p>Imports only {@code dendrite.tensor.op} and the JDK: the front depends on the SPI, never the
 * other way round.
 */
package dendrite.tensor.spi;
