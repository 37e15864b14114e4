package dendrite.tensor;

import dendrite.tensor.spi.Kernels;

/**
 * The light half of a backend, found with {@link java.util.ServiceLoader}: it says whether the
 * backend can run here and makes it only when chosen.
 *
 * <p>Register an implementation in {@code module-info.java} ({@code provides
 * dendrite.tensor.BackendProvider with ...}) and in
 * {@code META-INF/services/dendrite.tensor.BackendProvider} for the class path.
 */
public interface BackendProvider {

    /**
     * The name users select it by, lower case: {@code scalar}, {@code vector}, {@code opencl}.
     *
     * @return the name, constant for the provider; must not throw
     */
    String name();

    /**
     * Rank in the automatic choice; the highest available wins. Built-in values: OpenCL on a GPU
     * 400, vector 300, OpenCL on a CPU device 200, scalar 100. May depend on what {@link #probe()}
     * found.
     *
     * @return the rank; higher is preferred
     */
    int priority();

    /**
     * Whether the backend can run here, with the reason and fix when it cannot. Must not throw
     * and must not crash the VM: native-library failures are caught and reported.
     *
     * @return what was found, never {@code null}; {@link Backends} calls this at most once per provider
     */
    Availability probe();

    /**
     * Makes the backend's kernels; called only after a successful probe, once per process by
     * {@link Backends}, which puts the checked front ({@link Backend}) over them.
     *
     * @return new kernels, owned by the caller, whose {@link Kernels#close()} releases them
     * @throws RuntimeException if the backend cannot start after all; {@link Backends} then reports it
     *         and, when choosing automatically, tries the next backend
     */
    Kernels create();
}
