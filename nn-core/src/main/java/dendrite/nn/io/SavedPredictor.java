package dendrite.nn.io;

import dendrite.nn.Predictor;
import java.util.List;

/**
 * A {@link SavedModel} prepared for predicting only ({@link SavedModel#predictor()}): a
 * {@link Predictor} of its network, with its weights packed once, behind the same preprocessing. It
 * takes features as they come from the data, scales them as in training, gives a regression's values in
 * the target's units and class names where the file has them, as the saved model does, with the same
 * values bit for bit, from any number of threads at once.
 *
 * <pre>{@code
 * SavedPredictor predictor = ModelFile.loadSaved(file, backend).predictor();   // once, at start-up
 * List<String> labels = predictor.predictClassNames(rawFeatures, n);          // per request, any thread
 * }</pre>
 */
public final class SavedPredictor {
    private final Predictor predictor;
    private final Preprocessing preprocessing;

    SavedPredictor(Predictor predictor, Preprocessing preprocessing) {
        this.predictor = predictor;
        this.preprocessing = preprocessing;
    }

    /**
     * The network's predictor, which takes features already scaled.
     *
     * @return the predictor
     */
    public Predictor predictor() {
        return predictor;
    }

    /**
     * The input scaling and class names the predictions go through.
     *
     * @return the saved model's preprocessing
     */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * Outputs for {@code n} samples of raw features, as {@link SavedModel#predict} gives them.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} times the model's output size values, row-major
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     */
    public float[] predict(float[] rawFeatures, int n) {
        return preprocessing.restore(predictor.predict(preprocessing.prepare(rawFeatures), n));
    }

    /**
     * Class probabilities for {@code n} samples of raw features, as {@link SavedModel#predictProba} gives them.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} times the model's output size probabilities, row-major, each in [0, 1]
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     */
    public float[] predictProba(float[] rawFeatures, int n) {
        return predictor.predictProba(preprocessing.prepare(rawFeatures), n);
    }

    /**
     * The class index of each of {@code n} samples of raw features.
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new array of {@code n} class indices, in sample order
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     */
    public int[] predictClasses(float[] rawFeatures, int n) {
        return predictor.predictClasses(preprocessing.prepare(rawFeatures), n);
    }

    /**
     * The class name of each sample (its index as text where the file names no classes).
     *
     * @param rawFeatures the samples' features in the data's own units, row-major, {@code n} times the model's
     *        input size; not changed
     * @param n the number of samples, at least 0
     * @return a new list of {@code n} names, in sample order; an index beyond the file's names is given as text too
     * @throws IllegalArgumentException if {@code rawFeatures} does not hold exactly {@code n} samples
     */
    public List<String> predictClassNames(float[] rawFeatures, int n) {
        return SavedModel.names(preprocessing, predictClasses(rawFeatures, n));
    }

    @Override
    public String toString() {
        return "SavedPredictor " + predictor.inputShape() + " -> " + predictor.outputShape() + " on "
                + predictor.backend().name();
    }
}
