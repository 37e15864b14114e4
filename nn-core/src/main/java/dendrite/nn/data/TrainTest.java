package dendrite.nn.data;

/**
 * A dataset published with a fixed training and test part, as MNIST and Fashion-MNIST are.
 * The test part is kept for the final score; {@link #withValidation} takes a validation part out
 * of the training part.
 *
 * @param train the published training part
 * @param test  the published test part, kept for the final score
 */
public record TrainTest(Dataset train, Dataset test) {
    /**
     * Moves a seeded random {@code fraction} of the training samples into a validation part,
     * stratified by class for classification sets so that each class keeps its share.
     *
     * @param fraction the share of the training samples moved to validation, in [0, 1)
     * @param seed the seed of the split; the same seed gives the same parts
     * @return a new split: the rest of the training part (shuffled), the validation part, and this test part
     *         unchanged
     * @throws IllegalArgumentException if {@code fraction} is not in [0, 1)
     */
    public DataSplit withValidation(double fraction, long seed) {
        DataSplit s = train.isClassification()
                ? Splits.stratified(train, fraction, 0, seed)
                : Splits.random(train, fraction, 0, seed);
        return new DataSplit(s.train(), s.validation(), test);
    }

    @Override
    public String toString() {
        return "train " + train.size() + ", test " + test.size();
    }
}
