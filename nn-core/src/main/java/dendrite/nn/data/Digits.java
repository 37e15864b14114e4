package dendrite.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The UCI optical-recognition handwritten digits, bundled in this jar so that a first run needs
 * nothing installed: 1,797 images of 8 × 8 pixels, 10 classes (digits 0 to 9, about 180 each).
 *
 * <p>Source: the UCI Machine Learning Repository ("Optical Recognition of Handwritten Digits",
 * E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), as shipped by scikit-learn in
 * {@code sklearn/datasets/data/digits.csv.gz}. Each CSV row holds 64 pixel counts in 0..16
 * followed by the label; this loader divides the pixels by 16 so features are in [0, 1].
 * See {@code nn-core/DATASETS.md}.
 */
public final class Digits {
    /** Samples in the set. */
    public static final int SIZE = 1797;
    /** Pixels per image (8 × 8). */
    public static final int PIXELS = 64;

    static final String RESOURCE = "digits.csv.gz";
    private static final List<String> NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Digits() {
    }

    /**
     * Loads the bundled digits: 1,797 images of {@code [1, 8, 8]} pixels in [0, 1], 10 classes.
     *
     * @return a new dataset named {@code digits}, in the file's order, classes named {@code 0} to {@code 9}
     * @throws IllegalStateException if the resource is missing from the jar
     * @throws java.io.UncheckedIOException if the resource cannot be read
     */
    public static Dataset load() {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the embedded digits dataset (dendrite/nn/data/" + RESOURCE
                        + ") is missing from the nn-core jar");
            }
            Dataset raw = new CsvReader().header(false).label(PIXELS).classNames(NAMES)
                    .read(in, "nn-core.jar!/dendrite/nn/data/" + RESOURCE, "digits");
            float[] x = raw.features().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] /= 16f;
            }
            return raw.withFeatures(x).withSampleShape(1, 8, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded digits dataset", e);
        }
    }
}
