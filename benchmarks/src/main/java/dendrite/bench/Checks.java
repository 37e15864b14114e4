package dendrite.bench;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

/**
 * The checks each training and inference benchmark runs once in setup, before anything is timed: the backend under
 * test must compute what backend-scalar, the reference, computes from the same seeded model.
 */
final class Checks {
    /** Relative tolerance for values that went through a few float GEMMs summed in another order. */
    static final double TOLERANCE = 1e-3;

    private Checks() {
    }

    /**
     * Three training steps (fewer on a smaller set) on the first batches of {@code data}, on
     * {@code backend} and on scalar, must give the same losses: the first checks forward and the
     * loss, the later ones backward and Adam's update too.
     */
    static void trainingMatchesScalar(Backend backend, Dataset data, Workload workload) {
        int steps = Math.max(1, Math.min(3, data.size() / Mlp.BATCH));
        Dataset small = data.head(Math.min(data.size(), steps * Mlp.BATCH));
        int batch = Math.min(Mlp.BATCH, small.size());
        int[] order = new int[small.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        try (TrainingLoop ref = new TrainingLoop(Backends.get("scalar"), small, workload);
             TrainingLoop got = new TrainingLoop(backend, small, workload)) {
            for (int s = 0; s < steps; s++) {
                int from = s * batch;
                float want = ref.step(order, from, from + batch);
                float have = got.step(order, from, from + batch);
                if (!close(want, have)) {
                    throw new IllegalStateException(backend.name() + ": training step " + (s + 1)
                            + " of the " + workload.label() + " gives loss " + have + ", backend-scalar " + want);
                }
            }
        }
        System.out.println("check: " + backend.name() + " trains the " + workload.label() + " as backend-scalar does ("
                + steps + " steps)");
    }

    /** The same seeded model's outputs for {@code n} samples must match backend-scalar's. */
    static void predictionsMatchScalar(Backend backend, Workload workload, Sequential model, float[] samples, int n) {
        float[] want = workload.build(Backends.get("scalar")).predict(samples, n);
        float[] have = model.predict(samples, n);
        for (int i = 0; i < want.length; i++) {
            if (!close(want[i], have[i])) {
                throw new IllegalStateException(backend.name() + ": " + workload.label() + " output " + i % Mlp.CLASSES + " of sample "
                        + i / Mlp.CLASSES + " is " + have[i] + ", backend-scalar " + want[i]);
            }
        }
        System.out.println("check: " + backend.name() + " predicts the " + workload.label() + " as backend-scalar does (" + n + " samples)");
    }

    static boolean close(double want, double have) {
        return Math.abs(want - have) <= TOLERANCE * Math.max(1, Math.abs(want));
    }
}
