package dendrite.backend.vector;

import dendrite.tensor.conformance.BackendConformanceTest;

/**
 * The shared conformance suite run on the vector backend: every kernel against the scalar
 * reference on sizes around the lane (16) and tile (8 x 32) boundaries, plus the specification
 * and contract tests. Surefire starts this module's tests with
 * {@code --add-modules jdk.incubator.vector}, so the backend is available here.
 */
class VectorBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected String backendName() {
        return "vector";
    }
}
