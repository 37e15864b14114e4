/**
 * Models: {@link dendrite.nn.Sequential} and its builder, the entry point for building, training and
 * saving a network.
 *
 * <pre>{@code
 * Backend be = Backends.get();
 * Sequential model = Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10).build(be, 42);
 * System.out.println(model.summary());
 * History h = Trainer.builder(model)
 *         .loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-3))
 *         .epochs(10).batchSize(128).validationSplit(0.1)
 *         .build().fit(train);
 * int[] classes = model.predictClasses(test.features(), test.size());
 * Evaluation score = new Evaluator(model, Losses.softmaxCrossEntropy()).evaluate(test);
 * }</pre>
 *
 * A model's state is named as PyTorch's {@code nn.Sequential} names it ({@code 0.weight},
 * {@code 0.bias}, {@code 1.running_mean}, ...; see {@link dendrite.nn.Sequential#stateDict()}), and its
 * architecture is plain data ({@link dendrite.nn.Sequential#architecture()}), so model files need no code
 * to load.
 */
package dendrite.nn;
