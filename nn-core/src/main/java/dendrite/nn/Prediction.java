package dendrite.nn;

import dendrite.nn.layers.BatchBuffer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;

/**
 * A model's predictions: host values in, host values out, in batches through the model's forward
 * pass in evaluation mode, with buffers kept between calls. Every method synchronizes on the model,
 * so concurrent predictions are serialized, and refuses while another thread trains it.
 */
final class Prediction {
    private final Sequential model;
    private final Backend backend;
    private final TrainingGuard guard;
    private final BatchBuffer input;
    private BatchBuffer probabilities;

    Prediction(Sequential model, TrainingGuard guard) {
        this.model = model;
        this.backend = model.backend();
        this.guard = guard;
        this.input = new BatchBuffer(backend, model.inputShape());
    }

    /** Outputs (or class probabilities) for {@code n} samples of row-major host values. */
    float[] predict(float[] features, int n, int batch, boolean proba) {
        synchronized (model) {
            guard.checkNotTrainingElsewhere(proba ? "predictProba" : "predict");
            Shape inputShape = model.inputShape();
            int in = inputShape.size();
            if ((long) n * in != features.length) {
                throw new IllegalArgumentException("predict: " + features.length + " values are not " + n
                        + " samples of " + inputShape + " (" + (long) n * in + " values)");
            }
            int outSize = model.outputShape().size();
            float[] result = new float[n * outSize];
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                Tensor x = input.get(m);
                backend.write(x, features, from * in);
                Tensor y = model.forward(x, false);
                if (proba && !model.endsInProbabilities()) {
                    y = toProbabilities(y, m, outSize);
                }
                backend.read(y, result, from * outSize);
            }
            return result;
        }
    }

    /** Softmax over the outputs, or a sigmoid for a single output. */
    private Tensor toProbabilities(Tensor y, int m, int outSize) {
        if (probabilities == null) {
            probabilities = new BatchBuffer(backend, model.outputShape());
        }
        Tensor p = probabilities.get(m);
        if (outSize == 1) {
            backend.activation(Activation.SIGMOID, 0f, y, p);
        } else {
            backend.softmax(y, p);
        }
        return p;
    }

    /**
     * The class of each sample: the largest output, or for a single output whether it is above the
     * decision boundary (0.5 after a sigmoid, 0 for a logit).
     */
    int[] classes(float[] features, int n) {
        int c = model.outputShape().size();
        float[] out = predict(features, n, Sequential.DEFAULT_PREDICT_BATCH, false);
        int[] classes = new int[n];
        boolean probabilities = model.endsInProbabilities();
        for (int i = 0; i < n; i++) {
            if (c == 1) {
                classes[i] = out[i] > (probabilities ? 0.5f : 0f) ? 1 : 0;
            } else {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (out[i * c + j] > out[i * c + best]) {
                        best = j;
                    }
                }
                classes[i] = best;
            }
        }
        return classes;
    }

    /** The outputs for a batch tensor, as a new tensor the caller owns. */
    Tensor predict(Tensor x) {
        synchronized (model) {
            guard.checkNotTrainingElsewhere("predict");
            model.checkBatch("predict", x);
            Shape out = model.outputShape();
            int n = x.dim(0);
            int[] dims = new int[out.rank() + 1];
            dims[0] = n;
            System.arraycopy(out.dims(), 0, dims, 1, out.rank());
            Tensor result = backend.allocate(Shape.of(dims));
            for (int from = 0; from < n; from += Sequential.DEFAULT_PREDICT_BATCH) {
                int to = Math.min(n, from + Sequential.DEFAULT_PREDICT_BATCH);
                Tensor y = model.forward(from == 0 && to == n ? x : x.rows(from, to), false);
                backend.copy(y, from == 0 && to == n ? result : result.rows(from, to));
            }
            return result;
        }
    }
}
