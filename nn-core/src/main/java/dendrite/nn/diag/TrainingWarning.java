package dendrite.nn.diag;

/**
 * Something a {@link TrainingMonitor} noticed.
 *
 * @param kind    what kind of trouble
 * @param epoch   the epoch, from 0
 * @param step    the optimizer step (from 1) for gradient warnings; 0 for epoch-level warnings
 * @param layer   the layer concerned, or -1 when the warning is about the whole model
 * @param message one readable line, with the numbers and the usual remedies
 */
public record TrainingWarning(Kind kind, int epoch, long step, int layer, String message) {

    /** The kinds of trouble watched for. */
    public enum Kind {
        /** A layer's gradient norm fell below the vanishing threshold: it has almost stopped learning. */
        VANISHING_GRADIENT,
        /** The gradient norm rose above the exploding threshold, or is not finite. */
        EXPLODING_GRADIENT,
        /** Validation loss rose while training loss fell: the model is starting to overfit. */
        OVERFITTING
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
