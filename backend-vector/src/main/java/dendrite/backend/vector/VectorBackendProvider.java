package dendrite.backend.vector;

import dendrite.tensor.Availability;
import dendrite.tensor.BackendProvider;
import dendrite.tensor.spi.Kernels;

/**
 * Makes the {@link VectorKernels} known to {@link dendrite.tensor.Backends}, with priority 300:
 * above the scalar backend and OpenCL on a CPU device, below OpenCL on a GPU.
 *
 * <p>This class and its probe load without {@code jdk.incubator.vector}: in a JVM started without
 * {@code --add-modules jdk.incubator.vector} the probe reports the backend unavailable with that
 * fix, and selection moves on to the next backend.
 */
public final class VectorBackendProvider implements BackendProvider {
    private static volatile Availability probed;

    /** Called by {@link java.util.ServiceLoader}. */
    public VectorBackendProvider() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Availability probe() {
        Availability a = probed;
        if (a == null) {
            try {
                a = VectorProbe.check(VectorProbe.current());
            } catch (RuntimeException | LinkageError e) {
                a = Availability.unavailable("probe failed: " + e, VectorProbe.ADD_MODULES_FIX);
            }
            probed = a;
        }
        return a;
    }

    /**
     * New kernels with {@code -Ddendrite.threads} threads (or one per processor), after a
     * successful probe. {@link dendrite.tensor.Backends} calls this once per process and shares the
     * front it puts over them, so their thread pool serves every caller.
     */
    @Override
    public Kernels create() {
        Availability a = probe();
        if (!a.available()) {
            throw new IllegalStateException("vector backend unavailable: " + a.explain());
        }
        return new VectorKernels();
    }
}
