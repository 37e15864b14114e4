/**
 * The OpenCL backend. {@link dendrite.backend.opencl.ClBackendProvider} probes for a platform
 * and picks a device (GPUs first; {@code -Ddendrite.opencl.device=INDEX|NAME} overrides);
 * {@link dendrite.backend.opencl.ClKernels} implements the kernel SPI
 * ({@code dendrite.tensor.spi.Kernels}) behind the checked front {@code dendrite.tensor.Backend},
 * which validates every argument first, so the kernels here check nothing. It keeps every tensor in
 * a device buffer ({@link dendrite.backend.opencl.ClBuffer}, pooled by size in {@code ClMemory})
 * and runs each primitive, and each fused kernel (linear, softmax, the optimizer updates, ...), as
 * a kernel from {@code kernels/*.cl} on one in-order queue; the convolutions keep the SPI's defaults,
 * built from its im2col, col2im and GEMM kernels. Nothing is copied to the host except by
 * {@code read}; the queue is drained only by reads, {@code synchronize()} and the blocking uploads (a
 * {@code write}, and the row indices of {@code gatherRows}, {@code scatterAddRows} and
 * {@code shiftImages}), so the ops between them pipeline on the device. A buffer the device cannot allocate
 * even after the pool is emptied throws {@link dendrite.backend.opencl.ClOutOfMemoryException}.
 *
 * <p>System properties: {@code dendrite.opencl.device} (above); {@code dendrite.opencl.probe=inprocess}
 * and {@code dendrite.opencl.probe.timeout} (seconds, default 30), for the driver check that the probe
 * first runs in a separate JVM ({@code ClDriverCheck}), so that a driver that crashes or hangs costs
 * the backend, not the application;
 * {@code dendrite.opencl.gemm.tiles} ({@code ClGemm}); {@code dendrite.opencl.restoreSignalHandlers}
 * ({@code JvmSignalHandlers}).
 *
 * <p>Kernel sources are built once per context with {@code -D} options ({@code ClPrograms}); the
 * GEMM ({@code ClGemm}) splits between a register-blocked, local-memory-tiled kernel for large
 * shapes and a guarded direct kernel for small or ragged ones, as CLBlast does.
 *
 * <p>Every OpenCL call is checked ({@code ClCall}), whether JOCL's exceptions are on or off, and a
 * failure surfaces as {@link dendrite.backend.opencl.ClException} naming the op, the call and the
 * error code; the backend stays usable after it.
 *
 * <p>On PoCL (OpenCL on the CPU) every kernel is compiled once for each work-group size it is
 * launched with, so every launch here uses one of a few fixed work-group sizes.
 */
package dendrite.backend.opencl;
