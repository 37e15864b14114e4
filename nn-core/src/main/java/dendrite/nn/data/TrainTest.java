package dendrite.nn.data;

/**
 * A dataset published with a fixed training and test part, as MNIST and Fashion-MNIST are.
 * The test part is kept for the final score; {@link #withValidation} takes a validation part out
 * of the training part.
 */
public record TrainTest(Dataset train, Dataset test) {
    /**
     * Moves a seeded random {@code fraction} of the training samples into a validation part,
     * stratified by class for classification sets so that each class keeps its share.
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
