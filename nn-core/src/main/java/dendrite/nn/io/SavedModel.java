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
     */
    public float[] predict(float[] rawFeatures, int n) {
        return preprocessing.restore(model.predict(preprocessing.prepare(rawFeatures), n));
    }

    /** Class probabilities for {@code n} samples of raw features. */
    public float[] predictProba(float[] rawFeatures, int n) {
        return model.predictProba(preprocessing.prepare(rawFeatures), n);
    }

    /** The class index of each of {@code n} samples of raw features. */
    public int[] predictClasses(float[] rawFeatures, int n) {
        return model.predictClasses(preprocessing.prepare(rawFeatures), n);
    }

    /** The class name of each sample (its index as text where the file names no classes). */
    public List<String> predictClassNames(float[] rawFeatures, int n) {
        List<String> names = preprocessing.classNames();
        List<String> out = new ArrayList<>(n);
        for (int c : predictClasses(rawFeatures, n)) {
            out.add(c < names.size() ? names.get(c) : Integer.toString(c));
        }
        return out;
    }
}
