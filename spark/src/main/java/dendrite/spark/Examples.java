package dendrite.spark;

import dendrite.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/** Turns Dendrite's in-memory datasets into {@link Example}s, to hand to {@code JavaSparkContext.parallelize}. */
public final class Examples {
    private Examples() {
    }

    /**
     * Every sample of {@code data}, in order: its flattened features and its target (the class index
     * for a classification set).
     *
     * @param data a dataset
     * @return one example per sample
     */
    public static List<Example> of(Dataset data) {
        int features = data.sampleSize();
        int targets = data.isClassification() ? 1 : data.targetSize();
        float[] xs = data.features();
        float[] ys = data.targets();
        List<Example> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            float[] x = new float[features];
            System.arraycopy(xs, i * features, x, 0, features);
            float[] y = new float[targets];
            System.arraycopy(ys, i * targets, y, 0, targets);
            out.add(new Example(x, y));
        }
        return out;
    }
}
