package dendrite.spark;

import java.io.Serializable;

/**
 * One training sample as Spark moves it: the features, flattened as the model's input reads them
 * (an image row by row), and the target (a class index as one value, or a regression's values).
 *
 * @param features the model's input for this sample
 * @param target   the class index, or the regression targets
 */
public record Example(float[] features, float[] target) implements Serializable {
    /**
     * A classification sample.
     *
     * @param features the model's input
     * @param label    the class index
     * @return the sample
     */
    public static Example classified(float[] features, int label) {
        return new Example(features, new float[] {label});
    }
}
