/**
 * The operations tensors support, as both sides of a backend see them: the elementwise
 * functions ({@link dendrite.tensor.op.UnaryOp}, {@link dendrite.tensor.op.BinaryOp}), the
 * reductions ({@link dendrite.tensor.op.ReduceOp}), the activations with what their backward pass
 * reads ({@link dendrite.tensor.op.Activation}), the geometry of a convolution or pooling window
 * ({@link dendrite.tensor.op.Conv2dGeometry}) and the pooling kinds ({@link dendrite.tensor.op.PoolOp}),
 * and the counter-based random numbers that make seeded tensors the same on every backend
 * ({@link dendrite.tensor.op.CounterRandom}).
 *
 * <p>Depends on the JDK alone: the user API ({@code dendrite.tensor}) and the kernel SPI
 * ({@code dendrite.tensor.spi}) both build on it, and neither is imported here.
 */
package dendrite.tensor.op;
