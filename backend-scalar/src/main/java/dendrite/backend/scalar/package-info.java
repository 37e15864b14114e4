/**
 * The scalar backend, Dendrite's executable specification.
 *
 * <p>Every kernel is a few plain, single-threaded loops with its formula in a comment: read
 * these classes to see what an op <em>is</em>. Other backends (vector, OpenCL) are faster
 * versions of the same arithmetic and are tested against these results.
 *
 * <ul>
 *   <li>{@link dendrite.backend.scalar.ScalarBackendProvider}: the {@code ServiceLoader} entry; always
 *       available (plain Java 17, one thread).</li>
 *   <li>{@link dendrite.backend.scalar.ScalarKernels}: the kernel SPI, called by the checked
 *       front ({@code dendrite.tensor.Backend}) once it has validated the arguments; it hands
 *       the work to the classes below.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarElementwise}: unary, binary (with broadcasting),
 *       affine, pow, clamp.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarGemm}: matrix multiply (one or a batch) and transpose.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarReductions}: sum/mean/max along an axis, softmax,
 *       log-softmax, argmax.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarNormalization}: layer normalization and its
 *       gradients.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarActivations}: activation functions and their
 *       derivatives.</li>
 *   <li>{@link dendrite.backend.scalar.ScalarOptimizers}: SGD, Adam/AdamW, RMSProp, Adagrad.</li>
 *   <li>{@code ScalarImages}: convolution (direct loops over NCHW images), its two gradients,
 *       im2col and col2im, and pooling.</li>
 * </ul>
 *
 * <p>Numerical conventions of the reference: sums accumulate in {@code float}, in increasing
 * index order, from 0; transcendental functions ({@code exp}, {@code log}, {@code tanh}, ...)
 * are evaluated in {@code double} with {@link java.lang.Math} (the exact GELU's erf with {@code Erf},
 * also in {@code double}) and rounded to {@code float} once.
 */
package dendrite.backend.scalar;
