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
        /** Validation loss rose clearly above its best while training loss kept falling: the model overfits. */
        OVERFITTING,
        /** The training loss became non-finite or grew far above where it started. */
        LOSS_DIVERGING,
        /** Most of a ReLU layer's units output 0 for whole batches: they pass no gradient. */
        DEAD_RELU,
        /** Most of a sigmoid or tanh layer's outputs sit where its derivative is near 0. */
        SATURATED,
        /** The loss stays at the value of guessing: nothing has been learned (often all-equal initial weights). */
        STUCK_AT_CHANCE,
        /** A softmax layer feeds a loss that applies softmax itself, so it is applied twice. */
        DOUBLE_SOFTMAX,
        /**
         * The negative log-likelihood loss on outputs that are not log-probabilities (the model does not end
         * in a log-softmax): PyTorch's classic {@code NLLLoss} on raw logits or on softmax probabilities.
         */
        NLL_WITHOUT_LOG_SOFTMAX
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
