package dendrite.nn.io;

import dendrite.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * A model loaded with what its file keeps around it ({@link Preprocessing}): predictions here take
 * the features as they come from the data (raw units), give a regression's values in the target's
 * units, and give class names where the file has them.
 *
 * @param model         the network
 * @param preprocessing its input scaling and class names ({@link Preprocessing#none()} for a file without)
 */
public record SavedModel(Sequential model, Preprocessing preprocessing) {

    /**
     * Outputs for {@code n} samples of raw features, scaled as in training first; a regression's
     * values come back in the target's units when the file has a target scaler.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} times the model's output size values, row-major
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     */
    public float[] predict(float[] rawFeatures, int n) {
        return preprocessing.restore(model.predict(preprocessing.prepare(rawFeatures), n));
    }

    /**
     * Class probabilities for {@code n} samples of raw features.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} times the model's output size probabilities, row-major, each in [0, 1]
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     * @see Sequential#predictProba(float[], int)
     */
    public float[] predictProba(float[] rawFeatures, int n) {
        return model.predictProba(preprocessing.prepare(rawFeatures), n);
    }

    /**
     * The class index of each of {@code n} samples of raw features.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} class indices, in sample order
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     * @see Sequential#predictClasses(float[], int)
     */
    public int[] predictClasses(float[] rawFeatures, int n) {
        return model.predictClasses(preprocessing.prepare(rawFeatures), n);
    }

    /**
     * The class name of each sample (its index as text where the file names no classes).
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new list of {@code n} names, in sample order; an index beyond the file's names is given as text too
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     * @throws IllegalStateException if another thread is training the model
     */
    public List<String> predictClassNames(float[] rawFeatures, int n) {
        return names(preprocessing, predictClasses(rawFeatures, n));
    }

    /**
     * This model prepared for predicting only ({@link Sequential#predictor()}): its network copied as it
     * is, each dense layer's weights packed once, behind the same preprocessing. Predictions are the same,
     * bit for bit, and faster on a batch; make it once where a loaded model serves predictions.
     *
     * @return a new thread-safe predictor that takes raw features, as this model does
     * @throws IllegalStateException if another thread is training the model, or a layer cannot be rebuilt
     *         from the model's architecture
     */
    public SavedPredictor predictor() {
        return new SavedPredictor(model.predictor(), preprocessing);
    }

    /** Each class index's name from {@code preprocessing}, or the index as text beyond its names. */
    static List<String> names(Preprocessing preprocessing, int[] classes) {
        List<String> names = preprocessing.classNames();
        List<String> out = new ArrayList<>(classes.length);
        for (int c : classes) {
            out.add(c < names.size() ? names.get(c) : Integer.toString(c));
        }
        return out;
    }
}
