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
 *
 * <p>This class alone is compiled for Java 17 (the rest of the backend for 21), and it touches no
 * other class of the backend before checking the JVM's version: on Java 17, where an application
 * can embed nn-core and the other backends, the probe reports this one unavailable with the reason.
 */
public final class VectorBackendProvider implements BackendProvider {
    /** The Java release the rest of the backend is compiled for. */
    private static final int MINIMUM_JAVA = 21;
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
        if (a == null && Runtime.version().feature() < MINIMUM_JAVA) {
            a = Availability.unavailable("needs Java " + MINIMUM_JAVA + " or newer (its Vector API); this JVM is "
                    + Runtime.version(), "run the application on a JDK " + MINIMUM_JAVA + " or newer, or use the scalar"
                    + " or opencl backend, which run on Java 17");
            probed = a;
        }
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
