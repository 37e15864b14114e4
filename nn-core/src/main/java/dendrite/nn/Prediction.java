package dendrite.nn;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.Layer;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * A model's predictions: host values in, host values out, in batches through the forward pass in
 * evaluation mode, with buffers kept between calls.
 *
 * <p>Concurrent calls run in parallel, each on a {@link Lane} of its own: a copy of the layers that
 * shares the model's weights and owns its buffers ({@link Sequential#inferenceReplicas()}). Lanes are
 * made when more calls overlap than there are idle lanes, and kept for the next calls, so a steady
 * service has as many as it has concurrent callers. A model with a layer that cannot be copied
 * predicts one call at a time through its own layers, under the model's monitor, as before.
 *
 * <p>Every call holds the training guard's read lock and refuses while another thread trains the
 * model: training waits for the calls in progress, and its weight updates never meet a prediction.
 */
final class Prediction {
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    private final Sequential model;
    private final Backend backend;
    private final TrainingGuard guard;
    private final ConcurrentLinkedQueue<Lane> idle = new ConcurrentLinkedQueue<>();
    /** The model's own layers, for models that cannot be copied. */
    private final Lane own;
    /** Whether the layers can be copied: unknown (null) until the first prediction tries. */
    private volatile Boolean copyable;

    Prediction(Sequential model, TrainingGuard guard) {
        this.model = model;
        this.backend = model.backend();
        this.guard = guard;
        this.own = new Lane(null);
    }

    /** Outputs (or class probabilities) for {@code n} samples of row-major host values. */
    float[] predict(float[] features, int n, int batch, boolean proba) {
        Shape inputShape = model.inputShape();
        int in = inputShape.size();
        if ((long) n * in != features.length) {
            throw new IllegalArgumentException("predict: " + features.length + " values are not " + n
                    + " samples of " + inputShape + " (" + (long) n * in + " values)");
        }
        int outSize = model.outputShape().size();
        if ((long) n * outSize > MAX_VALUES) {   // an int product wrapped, to a negative size or a short array
            throw new IllegalArgumentException("predict: " + n + " samples of output " + model.outputShape() + " are "
                    + (long) n * outSize + " values, more than an array can hold (at most " + MAX_VALUES + "); predict"
                    + " fewer samples at a time");
        }
        float[] result = new float[n * outSize];
        return onALane(proba ? "predictProba" : "predict", lane -> {
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                Tensor x = lane.input.get(m);
                backend.write(x, features, from * in);
                Tensor y = lane.forward(x);
                if (proba && !model.endsInProbabilities()) {
                    y = lane.toProbabilities(y, m, outSize);
                }
                backend.read(y, result, from * outSize);
            }
            return result;
        });
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
        model.checkBatch("predict", x);
        return onALane("predict", lane -> {
            Shape out = model.outputShape();
            int n = x.dim(0);
            int[] dims = new int[out.rank() + 1];
            dims[0] = n;
            System.arraycopy(out.dims(), 0, dims, 1, out.rank());
            Tensor result = backend.allocate(Shape.of(dims));
            for (int from = 0; from < n; from += Sequential.DEFAULT_PREDICT_BATCH) {
                int to = Math.min(n, from + Sequential.DEFAULT_PREDICT_BATCH);
                Tensor y = lane.forward(from == 0 && to == n ? x : x.rows(from, to));
                backend.copy(y, from == 0 && to == n ? result : result.rows(from, to));
            }
            return result;
        });
    }

    /** Runs {@code body} on an idle lane (made if none is), or on the model's own layers one call at a time. */
    private <T> T onALane(String op, Function<Lane, T> body) {
        Lock lock = guard.predictions();
        lock.lock();
        try {
            guard.checkNotTrainingElsewhere(op);
            Lane lane = idle.poll();
            if (lane == null && copyable != Boolean.FALSE) {
                lane = newLane();
            }
            if (lane == null) {
                synchronized (model) {
                    return body.apply(own);
                }
            }
            try {
                return body.apply(lane);
            } finally {
                idle.offer(lane);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A new lane of copied layers, or null when the model's layers cannot be copied. */
    private Lane newLane() {
        Optional<List<Layer>> layers = model.inferenceReplicas();
        copyable = layers.isPresent();
        return layers.map(Lane::new).orElse(null);
    }

    /** Layers to run a prediction through, with the input and probability buffers that go with them. */
    private final class Lane {
        /** The copied layers, or null for the model's own. */
        private final List<Layer> layers;
        final BatchBuffer input;
        private BatchBuffer probabilities;

        Lane(List<Layer> layers) {
            this.layers = layers;
            this.input = Scope.unscoped(() -> new BatchBuffer(backend, model.inputShape()));
        }

        Tensor forward(Tensor x) {
            if (layers == null) {
                return model.forward(x, false);
            }
            Tensor h = x;
            for (Layer layer : layers) {
                h = layer.forward(h, false);
            }
            return h;
        }

        /** Softmax over the outputs, or a sigmoid for a single output. */
        Tensor toProbabilities(Tensor y, int m, int outSize) {
            if (probabilities == null) {
                probabilities = Scope.unscoped(() -> new BatchBuffer(backend, model.outputShape()));
            }
            Tensor p = probabilities.get(m);
            if (outSize == 1) {
                backend.activation(Activation.SIGMOID, 0f, y, p);
            } else {
                backend.softmax(y, p);
            }
            return p;
        }
    }
}
