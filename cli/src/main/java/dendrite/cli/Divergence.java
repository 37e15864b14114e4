package dendrite.cli;

import dendrite.nn.train.History;
import java.util.Locale;
import java.util.Optional;

/**
 * A classifier that did not learn, said in one line at the end of {@code train}: a run whose loss
 * stayed finite never trips the non-finite check, yet a learning rate far too high can throw the
 * loss up by orders of magnitude and leave the model at chance.
 *
 * <p>Softmax cross-entropy starts near {@code ln(classes)} for small weights; a training loss a
 * hundred times that is an explosion. Chance accuracy is {@code 1 / classes}; ending within a fifth
 * of it means nothing was learned.
 */
final class Divergence {
    private Divergence() {
    }

    static Optional<String> check(History history, int classes, double accuracy, double learningRate) {
        if (classes < 2 || history.size() == 0) {
            return Optional.empty();
        }
        double start = Math.log(classes);
        double worst = 0;
        int worstEpoch = 0;
        double[] losses = history.get("loss");
        for (int i = 0; i < losses.length; i++) {
            if (losses[i] > worst) {
                worst = losses[i];
                worstEpoch = i + 1;
            }
        }
        boolean exploded = worst > 100 * start;
        boolean atChance = accuracy <= 1.2 / classes;
        if (!exploded && !atChance) {
            return Optional.empty();
        }
        String what = exploded && atChance ? "the model did not learn" : exploded ? "training was unstable"
                : "the model did not learn";
        String why = exploded
                ? String.format(Locale.ROOT, "the training loss reached %.4g in epoch %d, where a %d-class model starts"
                        + " near %.2f", worst, worstEpoch, classes, start)
                : String.format(Locale.ROOT, "accuracy %.4f is chance for %d classes", accuracy, classes);
        String fix = exploded
                ? String.format(Locale.ROOT, "the learning rate %s is far too high; try --lr %s",
                        TrainCommand.plain(learningRate), TrainCommand.plain(Math.min(learningRate / 100, 1e-3)))
                : "check the labels, the learning rate (--lr), the number of epochs and the weight initialization"
                        + " (--init: all-equal weights, such as zeros, make every unit of a layer learn the same thing)";
        return Optional.of(what + (atChance && exploded ? String.format(Locale.ROOT, " (accuracy %.4f is chance)",
                accuracy) : "") + ": " + why + "; " + fix);
    }
}
