package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Evaluator;

/** A model's loss and metrics on a dataset, through an {@link Evaluator} (a loss, no optimizer). */
final class Scoring {
    private static final int BATCH = 256;

    private Scoring() {
    }

    /** The loss that fits the task: softmax cross-entropy for classes, mean squared error otherwise. */
    static Loss lossFor(Dataset data) {
        return data.isClassification() ? Losses.softmaxCrossEntropy() : Losses.mse();
    }

    static Evaluation evaluate(Sequential model, Loss loss, Dataset data) {
        return evaluate(model, loss, data, null);
    }

    /** With a regression's target scaler: the metrics in the target's units. */
    static Evaluation evaluate(Sequential model, Loss loss, Dataset data, Scaler targetScaler) {
        return new Evaluator(model, loss, BATCH, targetScaler).evaluate(data);
    }

    /**
     * The evaluation's ranking metrics, one line each, after {@code prefix} ("test ", or nothing):
     * top-5 accuracy with more than five classes, the ROC curve's area with two; empty when neither.
     */
    static String rankingLines(Evaluation e, String prefix) {
        StringBuilder sb = new StringBuilder();
        Double top5 = e.metrics().get("top5_accuracy");
        if (top5 != null) {
            sb.append(String.format(java.util.Locale.ROOT, "%stop-5 accuracy: %.4f%n", prefix, top5));
        }
        Double auc = e.metrics().get("roc_auc");
        if (auc != null) {
            sb.append(String.format(java.util.Locale.ROOT, "%sroc auc: %.4f%n", prefix, auc));
        }
        return sb.toString();
    }
}
