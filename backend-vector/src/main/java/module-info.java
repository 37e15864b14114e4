/**
 * Dendrite's vector backend: kernels written with the Java Vector API
 * ({@code jdk.incubator.vector}), multi-threaded, for fast training on the CPU.
 *
 * <p>{@code jdk.management} gives the HotSpot flags the probe reads (C2 enabled, FMA in hardware).
 */
module dendrite.backend.vector {
    requires dendrite.tensor;
    requires jdk.incubator.vector;
    requires jdk.management;
    exports dendrite.backend.vector;
    provides dendrite.tensor.BackendProvider with dendrite.backend.vector.VectorBackendProvider;
}
