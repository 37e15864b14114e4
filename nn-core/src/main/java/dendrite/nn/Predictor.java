package dendrite.nn;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * A model prepared for predicting only ({@link Sequential#predictor()}): its own copy of the weights as
 * they were when it was made, with each dense layer's weights packed once for the backend's matrix
 * products. {@link Sequential#predict} packs them on every call, which on a batch of 64 can be a
 * quarter of the time; a predictor does not, and gives the same values, bit for bit.
 *
 * <p>Use one where a trained model serves predictions (a service loading a model file, say): make it
 * once, after training or loading, and call it from any number of threads at once. It never trains
 * and never sees the model's later changes.
 *
 * <pre>{@code
 * Predictor predictor = model.predictor();
 * int[] classes = predictor.predictClasses(features, n);
 * }</pre>
 */
public final class Predictor {
    private final Sequential model;

    Predictor(Sequential prepared) {
        this.model = prepared;
    }

    /**
     * The backend the predictions run on, the model's.
     *
     * @return the backend
     */
    public Backend backend() {
        return model.backend();
    }

    /**
     * The shape of one sample.
     *
     * @return the model's input shape, e.g. {@code [784]} or {@code [1, 28, 28]}
     */
    public Shape inputShape() {
        return model.inputShape();
    }

    /**
     * The shape of one sample's output.
     *
     * @return the model's output shape, e.g. {@code [10]}
     */
    public Shape outputShape() {
        return model.outputShape();
    }

    /**
     * The outputs for {@code n} samples, as {@link Sequential#predict(float[], int)} gives them.
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of {@code n * outputShape().size()} outputs, row-major
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     */
    public float[] predict(float[] features, int n) {
        return model.predict(features, n);
    }

    /**
     * Class probabilities, as {@link Sequential#predictProba(float[], int)} gives them.
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of {@code n * outputShape().size()} probabilities, row-major
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     */
    public float[] predictProba(float[] features, int n) {
        return model.predictProba(features, n);
    }

    /**
     * The predicted class of each sample, as {@link Sequential#predictClasses(float[], int)} gives it.
     *
     * @param features the samples' values, row-major: {@code n * inputShape().size()} of them
     * @param n        the number of samples, at least 0
     * @return a new array of {@code n} class indices
     * @throws IllegalArgumentException if {@code features} does not hold exactly {@code n} samples
     */
    public int[] predictClasses(float[] features, int n) {
        return model.predictClasses(features, n);
    }

    /**
     * The outputs for a batch tensor, as {@link Sequential#predict(Tensor)} gives them.
     *
     * @param x a batch {@code [n, input...]} on the predictor's backend; left unchanged
     * @return a new tensor {@code [n, output...]} that the caller owns
     * @throws IllegalArgumentException if {@code x} is not a batch of samples of the input shape
     */
    public Tensor predict(Tensor x) {
        return model.predict(x);
    }

    /**
     * Whether the outputs already are probabilities (the model ends in a softmax or sigmoid).
     *
     * @return as {@link Sequential#endsInProbabilities()}
     */
    public boolean endsInProbabilities() {
        return model.endsInProbabilities();
    }

    @Override
    public String toString() {
        return "Predictor " + model.inputShape() + " -> " + model.outputShape() + " on " + model.backend().name();
    }
}
