/**
 * Training: {@link dendrite.nn.train.Trainer} ({@code fit} with seeded mini-batches, validation,
 * early stopping, listeners and checkpoints; {@code evaluate}), the {@link dendrite.nn.train.History}
 * it returns, and the events its listeners hear. Metrics come from {@code dendrite.nn.metrics}.
 */
package dendrite.nn.train;
