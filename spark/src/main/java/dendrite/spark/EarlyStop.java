package dendrite.spark;

import dendrite.nn.io.CheckpointFile;
import java.util.Map;

/**
 * Early stopping on the validation loss, decided identically on every rank (they all see rank 0's
 * numbers), so that all of them leave the training loop after the same epoch. Its state travels in
 * the checkpoints, so a resumed run goes on counting where it stopped.
 */
final class EarlyStop {
    private static final String BEST = "spark.best_validation_loss";
    private static final String BAD = "spark.epochs_without_improvement";

    private final int patience;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;

    /** Stops after {@code patience} epochs without a lower validation loss; 0 never stops. */
    EarlyStop(int patience) {
        this.patience = patience;
    }

    /** Records an epoch's validation loss; true if it is the lowest so far. */
    boolean record(double loss) {
        if (loss < best) {
            best = loss;
            bad = 0;
            return true;
        }
        bad++;
        return false;
    }

    boolean shouldStop() {
        return patience > 0 && bad >= patience;
    }

    /** What a checkpoint keeps of this state. */
    Map<String, String> progress() {
        return Map.of(BEST, Double.toString(best), BAD, Integer.toString(bad));
    }

    /** Takes the state back from a checkpoint's extra strings (absent in one written without validation). */
    void resume(CheckpointFile.Progress progress) {
        Map<String, String> extra = progress.extra();
        if (extra.containsKey(BEST)) {
            best = Double.parseDouble(extra.get(BEST));
            bad = Integer.parseInt(extra.get(BAD));
        }
    }
}
