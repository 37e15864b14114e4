package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.layers.BatchBuffer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * Turns a batch of model outputs into class indices, the way {@link Sequential#predictClasses} does:
 * the argmax (computed on the backend, so only one value per row comes back to the host), or for a
 * single output the side of the decision boundary (0.5 after a sigmoid, 0 for a logit). Shared by
 * the trainer's running accuracy and the {@link Evaluator}, so both count a prediction the same way.
 */
final class PredictedClasses {
    private final Sequential model;
    private final Backend be;
    private final BatchBuffer argmax;

    PredictedClasses(Sequential model) {
        this.model = model;
        this.be = model.backend();
        this.argmax = new BatchBuffer(be, Shape.scalar());
    }

    /** The predicted class of each of the {@code m} rows of {@code out}. */
    int[] of(Tensor out, int m) {
        int[] classes = new int[m];
        if (out.shape().last() == 1) {
            float threshold = model.endsInProbabilities() ? 0.5f : 0f;
            float[] v = out.toArray();
            for (int r = 0; r < m; r++) {
                classes[r] = v[r] > threshold ? 1 : 0;
            }
        } else {
            Tensor p = argmax.get(m);
            be.argmax(out, p);
            float[] v = p.toArray();
            for (int r = 0; r < m; r++) {
                classes[r] = (int) v[r];
            }
        }
        return classes;
    }
}
