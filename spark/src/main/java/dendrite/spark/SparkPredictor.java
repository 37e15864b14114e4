package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs a trained model over a Spark RDD of samples: the model file is broadcast, so each executor
 * receives it once however many partitions it processes, and each partition builds its own copy and
 * predicts in batches (a model's buffers are not shared between the threads of one executor).
 *
 * <pre>{@code
 * JavaRDD<float[]> outputs = SparkPredictor.predict(model, features, 256, null);
 * }</pre>
 */
public final class SparkPredictor {
    private SparkPredictor() {
    }

    /**
     * The model's outputs for every sample, in the samples' order: logits for a classifier trained with
     * {@code softmaxCrossEntropy} (the largest is the predicted class), the targets for a regression.
     *
     * @param model    the trained model
     * @param features each sample's features, flattened as the model's input reads them
     * @param batch    how many samples each forward pass takes, at least 1
     * @param backend  the backend each partition predicts on by name, or null for each executor's best
     * @return one output array per sample
     */
    public static JavaRDD<float[]> predict(Sequential model, JavaRDD<float[]> features, int batch, String backend) {
        if (batch < 1) {
            throw new IllegalArgumentException("spark predictor: the batch must be at least 1, got " + batch);
        }
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(features.context());
        Broadcast<byte[]> file = spark.broadcast(ModelBytes.of(model));
        int inputSize = model.inputShape().size();
        FlatMapFunction<Iterator<float[]>, float[]> partition = samples -> {
            Sequential copy = ModelBytes.load(file.value(), backend);
            List<float[]> out = new ArrayList<>();
            float[] xs = new float[batch * inputSize];
            int n = 0;
            while (samples.hasNext()) {
                float[] f = samples.next();
                if (f.length != inputSize) {
                    throw new IllegalArgumentException("spark predictor: a sample of " + f.length
                            + " features for a model whose input takes " + inputSize + " (" + copy.inputShape() + ")");
                }
                System.arraycopy(f, 0, xs, n * inputSize, inputSize);
                if (++n == batch) {
                    forward(copy, xs, n, out);
                    n = 0;
                }
            }
            if (n > 0) {
                forward(copy, xs, n, out);
            }
            return out.iterator();
        };
        return features.mapPartitions(partition);
    }

    private static void forward(Sequential model, float[] xs, int n, List<float[]> out) {
        Backend be = model.backend();
        int[] dims = new int[model.inputShape().rank() + 1];
        dims[0] = n;
        System.arraycopy(model.inputShape().dims(), 0, dims, 1, model.inputShape().rank());
        try (Tensor x = be.tensor(java.util.Arrays.copyOf(xs, n * model.inputShape().size()), dims)) {
            float[] y = model.forward(x, false).toArray();
            int width = y.length / n;
            for (int i = 0; i < n; i++) {
                out.add(java.util.Arrays.copyOfRange(y, i * width, (i + 1) * width));
            }
        }
    }

}
