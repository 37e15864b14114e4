package dendrite.nn.data;

/**
 * A dataset cut into training, validation and test parts (validation may have no samples).
 * Made by {@link Splits} or {@link TrainTest#withValidation}.
 */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {
    @Override
    public String toString() {
        return "train " + train.size() + ", validation " + validation.size() + ", test " + test.size();
    }
}
