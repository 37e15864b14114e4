package dendrite.nn.train;

import dendrite.nn.losses.BinaryCrossEntropy;
import dendrite.nn.losses.BinaryCrossEntropyWithLogits;
import dendrite.nn.losses.MultiTaskLoss;
import dendrite.nn.losses.NegativeLogLikelihood;
import dendrite.nn.losses.SigmoidFocal;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.nn.metrics.Metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of each head of a multi-task model, named {@code <head>_<metric>}: accuracy for a head
 * whose loss is a classification loss with one target column (the class), RMSE and MAE for a head
 * with as many target columns as outputs (of the rates e^x, for a Poisson loss on log-rates x).
 */
final class HeadMetrics {
    private HeadMetrics() {
    }

    static Map<String, Double> of(MultiTaskLoss loss, float[] outputs, float[] targets, int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        int outWidth = loss.outputWidth();
        int targetWidth = loss.targetWidth();
        int po = 0;
        int to = 0;
        for (MultiTaskLoss.Head h : loss.heads()) {
            float[] out = columns(outputs, n, outWidth, po, h.outputs());
            float[] target = columns(targets, n, targetWidth, to, h.targets());
            if (h.targets() == 1 && isClassification(h)) {
                int[] actual = new int[n];
                int[] predicted = h.outputs() == 1 ? new int[n] : Metrics.argmax(out, h.outputs());
                for (int i = 0; i < n; i++) {
                    actual[i] = Math.round(target[i]);
                    if (h.outputs() == 1) {
                        float boundary = h.loss() instanceof BinaryCrossEntropy ? 0.5f : 0f;
                        predicted[i] = out[i] > boundary ? 1 : 0;
                    }
                }
                m.put(h.name() + "_accuracy", Metrics.accuracy(actual, predicted));
            } else if (h.targets() == h.outputs()) {
                Evaluator.ratesOfLogRates(h.loss(), out);
                double mse = Metrics.meanSquaredError(target, out);
                m.put(h.name() + "_rmse", Math.sqrt(mse));
                m.put(h.name() + "_mae", Metrics.meanAbsoluteError(target, out));
            }
            po += h.outputs();
            to += h.targets();
        }
        return m;
    }

    private static boolean isClassification(MultiTaskLoss.Head h) {
        return h.loss() instanceof SoftmaxCrossEntropy || h.loss() instanceof BinaryCrossEntropyWithLogits
                || h.loss() instanceof BinaryCrossEntropy || h.loss() instanceof NegativeLogLikelihood
                || h.loss() instanceof SigmoidFocal;
    }

    private static float[] columns(float[] rows, int n, int width, int from, int count) {
        float[] c = new float[n * count];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, i * width + from, c, i * count, count);
        }
        return c;
    }
}
