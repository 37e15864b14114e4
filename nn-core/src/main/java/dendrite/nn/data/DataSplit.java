package dendrite.nn.data;

/**
 * A dataset cut into training, validation and test parts (validation may have no samples).
 * Made by {@link Splits} or {@link TrainTest#withValidation}.
 *
 * @param train      the samples to fit the model (and any {@link Scaler}) on
 * @param validation the samples to watch during training, for early stopping and tuning; may be empty
 * @param test       the samples held out for the final score; may be empty
 */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {
    @Override
    public String toString() {
        return "train " + train.size() + ", validation " + validation.size() + ", test " + test.size();
    }
}
