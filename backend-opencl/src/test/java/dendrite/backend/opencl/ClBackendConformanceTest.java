package dendrite.backend.opencl;

import dendrite.tensor.conformance.BackendConformanceTest;

/**
 * The shared conformance suite on the OpenCL backend (PoCL on machines without a GPU). Skipped
 * with the probe's reason where no OpenCL platform exists, unless
 * {@code -Ddendrite.conformance.require=opencl} makes that a failure, as CI does.
 */
class ClBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
