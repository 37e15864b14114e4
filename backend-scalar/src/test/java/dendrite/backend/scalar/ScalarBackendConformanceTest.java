package dendrite.backend.scalar;

import dendrite.tensor.conformance.BackendConformanceTest;

/**
 * Runs the shared conformance suite on the reference itself. Its specification tests compare
 * scalar with formulas recomputed in double (not with itself), so this is where the reference is
 * checked against {@link dendrite.tensor.Backend}'s Javadoc; the scalar-versus-scalar properties
 * pass trivially here and matter for the other backends.
 */
class ScalarBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected String backendName() {
        return "scalar";
    }
}
