package dendrite.backend.scalar;

import dendrite.tensor.conformance.BackendConformanceTest;

/**
 * The whole conformance suite on a backend that implements only the primitives
 * ({@link PrimitivesOnlyKernels}): every fused kernel's default, built from primitives, meets the
 * same specification and tolerances as the reference's direct loops.
 */
class PrimitivesOnlyConformanceTest extends BackendConformanceTest {
    @Override
    protected String backendName() {
        return "scalar-primitives";
    }
}
