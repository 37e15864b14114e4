package dendrite.backend.scalar;

import dendrite.tensor.Availability;
import dendrite.tensor.BackendProvider;
import dendrite.tensor.spi.Kernels;

/**
 * Makes the {@link ScalarKernels} known to {@link dendrite.tensor.Backends}. It runs on every
 * JVM, so its probe always succeeds; its priority (100) is the lowest of the built-in backends,
 * making it the fallback when nothing faster can run.
 */
public final class ScalarBackendProvider implements BackendProvider {
    /** One instance for the VM: the kernels are stateless. */
    private static final ScalarKernels SHARED = new ScalarKernels();

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
    public Kernels create() {
        return SHARED;
    }
}
