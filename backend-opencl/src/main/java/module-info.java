/**
 * Dendrite's OpenCL backend: tensors in device memory, kernels from {@code .cl} resources,
 * run through JOCL on any OpenCL 1.2+ device (a GPU, or a CPU through PoCL). It implements
 * tensor-api's kernel SPI ({@code dendrite.tensor.spi}, exported to this module), behind the
 * checked front that {@code dendrite.tensor.Backends} puts over it.
 */
module dendrite.backend.opencl {
    requires transitive dendrite.tensor;
    // JOCL 2.0.5 has no Automatic-Module-Name: its module name comes from the jar's file name.
    requires jocl;
    // sun.misc.Signal, to give the JVM its signal handlers back from PoCL's LLVM (JvmSignalHandlers).
    requires jdk.unsupported;
    exports dendrite.backend.opencl;
    provides dendrite.tensor.BackendProvider with dendrite.backend.opencl.ClBackendProvider;
}
