package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Loss;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.List;

/**
 * The validation loss and accuracy of a replica, computed by rank 0 alone and then handed to every
 * rank through the ring: each rank must take the same early-stopping decision, and replicas on
 * executors with other CPUs could compute other bits from the same weights.
 */
final class Validation {
    private static final int BATCH = 256;

    private Validation() {
    }

    /**
     * {mean loss, accuracy} of {@code model} on {@code samples}; accuracy is NaN for a regression
     * (targets of more than one value, or a single output).
     */
    static double[] measure(Sequential model, Loss loss, List<Example> samples) {
        Backend be = model.backend();
        int features = samples.get(0).features().length;
        int targets = samples.get(0).target().length;
        int[] dims = new int[model.inputShape().rank() + 1];
        System.arraycopy(model.inputShape().dims(), 0, dims, 1, model.inputShape().rank());
        double lossSum = 0;
        long right = 0;
        boolean classes = targets == 1;
        for (int from = 0; from < samples.size(); from += BATCH) {
            int n = Math.min(BATCH, samples.size() - from);
            float[] xs = new float[n * features];
            float[] ys = new float[n * targets];
            for (int i = 0; i < n; i++) {
                Example e = samples.get(from + i);
                System.arraycopy(e.features(), 0, xs, i * features, features);
                System.arraycopy(e.target(), 0, ys, i * targets, targets);
            }
            dims[0] = n;
            try (Tensor x = be.tensor(xs, dims); Tensor y = targets == 1 ? be.tensor(ys, n) : be.tensor(ys, n, targets)) {
                Tensor out = model.forward(x, false);
                lossSum += (double) loss.forward(out, y).item() * n;
                float[] o = out.toArray();
                int width = o.length / n;
                classes &= width > 1;
                for (int i = 0; classes && i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < width; c++) {
                        if (o[i * width + c] > o[i * width + best]) {
                            best = c;
                        }
                    }
                    right += best == (int) ys[i] ? 1 : 0;
                }
            }
        }
        return new double[] {lossSum / samples.size(), classes ? (double) right / samples.size() : Double.NaN};
    }
}
