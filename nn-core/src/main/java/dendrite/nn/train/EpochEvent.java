package dendrite.nn.train;

import java.util.Map;

/**
 * One finished epoch.
 *
 * @param epoch   the epoch, from 0
 * @param epochs  the epoch count {@code fit} runs to
 * @param metrics this epoch's metrics ({@code loss}, {@code accuracy}, {@code val_loss}, ..., {@code lr})
 * @param history everything so far, this epoch included
 */
public record EpochEvent(int epoch, int epochs, Map<String, Double> metrics, History history) {
}
