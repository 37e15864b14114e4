/**
 * The backend conformance suite, shipped in tensor-api's test-jar: {@link
 * dendrite.tensor.conformance.BackendConformanceTest} and the helpers it is built from. Every
 * backend module subclasses the suite once; see that class for how, and for the tolerance of
 * each operation.
 */
package dendrite.tensor.conformance;
