/**
 * Training: {@link dendrite.nn.train.Trainer} ({@code fit} with seeded mini-batches, validation,
 * early stopping, listeners and checkpoints; {@code step} for one batch of one's own loop;
 * {@code evaluate}), the {@link dendrite.nn.train.History} it returns, and the events its listeners
 * hear. {@link dendrite.nn.train.Evaluator} scores a model with a loss alone (no optimizer), giving
 * an {@link dendrite.nn.train.Evaluation}. Metrics come from {@code dendrite.nn.metrics}.
 */
package dendrite.nn.train;
