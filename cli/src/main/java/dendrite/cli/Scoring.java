package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;

/** A model's loss and metrics on a dataset, through {@link Trainer#evaluate}. */
final class Scoring {
    private static final int BATCH = 256;

    private Scoring() {
    }

    /** The loss that fits the task: softmax cross-entropy for classes, mean squared error otherwise. */
    static Loss lossFor(Dataset data) {
        return data.isClassification() ? Losses.softmaxCrossEntropy() : Losses.mse();
    }

    static Evaluation evaluate(Sequential model, Loss loss, Dataset data) {
        // evaluate() never steps the optimizer, but the trainer requires one.
        return Trainer.builder(model).loss(loss).optimizer(new Sgd(1e-3)).batchSize(BATCH).build().evaluate(data);
    }
}
