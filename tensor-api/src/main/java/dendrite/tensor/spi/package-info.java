/**
 * For backend implementors: storage handles, the shared argument checks that give every
 * backend the same error messages, and the counter-based random generator that makes
 * seeded random tensors identical on every backend.
 */
package dendrite.tensor.spi;
