/**
 * Dendrite's scalar backend: plain single-threaded Java loops, the reference every other
 * backend is checked against.
 */
module dendrite.backend.scalar {
    requires dendrite.tensor;
    exports dendrite.backend.scalar;
    provides dendrite.tensor.BackendProvider with dendrite.backend.scalar.ScalarBackendProvider;
}
