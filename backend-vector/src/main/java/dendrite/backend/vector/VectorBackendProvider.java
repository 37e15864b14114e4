package dendrite.backend.vector;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;
import dendrite.tensor.BackendProvider;

/**
 * Makes the {@link VectorBackend} known to {@link dendrite.tensor.Backends}, with priority 300:
 * above the scalar backend and OpenCL on a CPU device, below OpenCL on a GPU.
 *
 * <p>This class and its probe load without {@code jdk.incubator.vector}: in a JVM started without
 * {@code --add-modules jdk.incubator.vector} the probe reports the backend unavailable with that
 * fix, and selection moves on to the next backend.
 */
public final class VectorBackendProvider implements BackendProvider {
    private static volatile Availability probed;
    private static volatile Backend shared;

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

    /** The one backend of this VM (its thread pool is shared by every caller). */
    @Override
    public Backend create() {
        Backend b = shared;
        if (b == null) {
            synchronized (VectorBackendProvider.class) {
                b = shared;
                if (b == null) {
                    Availability a = probe();
                    if (!a.available()) {
                        throw new IllegalStateException("vector backend unavailable: " + a.explain());
                    }
                    b = new VectorBackend();
                    shared = b;
                }
            }
        }
        return b;
    }
}
