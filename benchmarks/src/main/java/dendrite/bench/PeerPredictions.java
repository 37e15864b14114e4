package dendrite.bench;

import java.util.Arrays;

/**
 * What the peers' prediction benchmarks ({@link OnnxInferenceBenchmark}, {@link Dl4jInferenceBenchmark})
 * share with {@link InferenceBenchmark}: the same 64 samples in, and their row-per-sample outputs
 * flattened to the row-major {@code float[]} that Dendrite's {@code predict} returns.
 */
final class PeerPredictions {
    private PeerPredictions() {
    }

    /** The first {@link InferenceBenchmark#BATCH} training samples, row-major. */
    static float[] batch() {
        return Arrays.copyOf(TrainingData.get().features(), InferenceBenchmark.BATCH * Mlp.INPUTS);
    }

    /** One row per sample, as the peers hand outputs back, copied into one row-major array. */
    static float[] flatten(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return out;
    }

    /** Fails the setup unless a batch's prediction has one output per class and sample. */
    static void checkBatch(String peer, float[] out) {
        if (out.length != InferenceBenchmark.BATCH * Mlp.CLASSES) {
            throw new IllegalStateException(peer + ": " + out.length + " outputs for a batch of " + InferenceBenchmark.BATCH);
        }
    }
}
