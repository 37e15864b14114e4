package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Losses;
import dendrite.nn.metrics.Metrics;
import dendrite.tensor.Backend;
import java.util.List;
import java.util.Random;

/**
 * The evaluator's metrics that need the scores, not only the predicted class: top-5 accuracy with
 * more than five classes and ROC AUC with two, equal to {@link Metrics}' on the model's own outputs,
 * over batches that do not divide the data.
 */
class RankingMetricsTest {

    private static Dataset blobs(int classes, int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) (r.nextGaussian() + Math.cos(labels[i] * (j + 1.0)));
            }
        }
        return Dataset.classification("blobs", x, new int[] {3}, labels, classes, List.of());
    }

    @OnEveryBackend
    void topFiveAccuracyOfTenClassesIsMetricsOnTheOutputs(String backend) {
        Backend be = EveryBackend.get(backend);
        Dataset data = blobs(10, 203, 1);
        Sequential model = Sequential.builder(3).dense(16).relu().dense(10).build(be, 3);
        Evaluation e = new Evaluator(model, Losses.softmaxCrossEntropy(), 32, null).evaluate(data);
        float[] scores = model.predict(data.features(), data.size());
        double expected = Metrics.topKAccuracy(data.labels(), scores, 10, 5);
        assertEquals(expected, e.metrics().get("top5_accuracy"), 1e-12);
        assertTrue(expected > e.accuracy() && expected < 1, expected + " vs accuracy " + e.accuracy());
        assertFalse(e.metrics().containsKey("roc_auc"));
    }

    @OnEveryBackend
    void rocAucOfTwoClassesIsMetricsOnTheOutputs(String backend) {
        Backend be = EveryBackend.get(backend);
        Dataset data = blobs(2, 151, 2);
        Sequential model = Sequential.builder(3).dense(8).tanh().dense(2).build(be, 5);
        Evaluation e = new Evaluator(model, Losses.softmaxCrossEntropy(), 32, null).evaluate(data);
        float[] z = model.predict(data.features(), data.size());
        float[] p1 = new float[data.size()];
        for (int i = 0; i < p1.length; i++) {
            p1[i] = (float) (1 / (1 + Math.exp(z[2 * i] - z[2 * i + 1])));
        }
        assertEquals(Metrics.rocAuc(data.labels(), p1), e.metrics().get("roc_auc"), 1e-3);
        assertFalse(e.metrics().containsKey("top5_accuracy"));
    }
}
