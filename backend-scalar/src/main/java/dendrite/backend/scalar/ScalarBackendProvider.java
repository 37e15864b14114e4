package dendrite.backend.scalar;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;
import dendrite.tensor.BackendProvider;

/**
 * Makes the {@link ScalarBackend} known to {@link dendrite.tensor.Backends}. It runs on every
 * JVM, so its probe always succeeds; its priority (100) is the lowest of the built-in backends,
 * making it the fallback when nothing faster can run.
 */
public final class ScalarBackendProvider implements BackendProvider {
    /** One instance for the VM: the backend is stateless. */
    private static final ScalarBackend SHARED = new ScalarBackend();

    /** Called by {@link java.util.ServiceLoader}. */
    public ScalarBackendProvider() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.available("plain Java, 1 thread");
    }

    @Override
    public Backend create() {
        return SHARED;
    }
}
