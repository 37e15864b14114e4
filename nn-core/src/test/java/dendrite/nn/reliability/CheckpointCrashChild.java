package dendrite.nn.reliability;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.train.Checkpointer;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;

import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CheckpointCrashTest}: trains on backend-scalar (bit-reproducible), one
 * step per epoch, with a checkpoint after every epoch, until it is killed. Before each save it
 * prints {@code saving <epochs> <fingerprint>}, after it {@code saved <epochs>}.
 */
public final class CheckpointCrashChild {
    private CheckpointCrashChild() {
    }

    static Sequential model(Backend be) {
        return Sequential.builder(64).dense(256).relu().dense(128).relu().dense(10).build(be, 1);
    }

    static Optimizer optimizer() {
        return new Adam(1e-3);
    }

    /** A hash of every weight, every optimizer state value and the step count. */
    static long fingerprint(Sequential model, Optimizer optimizer) {
        long h = optimizer.stepCount();
        for (Tensor t : model.stateDict().values()) {
            h = mix(h, t);
        }
        for (Tensor t : optimizer.state().values()) {
            h = mix(h, t);
        }
        return h;
    }

    private static long mix(long h, Tensor t) {
        for (float v : t.toArray()) {
            h = 31 * h + Float.floatToIntBits(v);
        }
        return h;
    }

    private static Dataset data() {
        float[] x = new float[32 * 64];
        int[] y = new int[32];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(3, i);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        return Dataset.classification("random", x, new int[] {64}, y, 10, List.of());
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Sequential model = model(Backends.get("scalar"));
        Checkpointer saver = CheckpointFile.saver(file);
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(optimizer())
                .epochs(Integer.MAX_VALUE).batchSize(32).seed(1)
                .checkpointEvery(1, c -> {
                    System.out.println("saving " + c.epochsCompleted() + " " + fingerprint(c.model(), c.optimizer()));
                    System.out.flush();
                    saver.save(c);
                    System.out.println("saved " + c.epochsCompleted());
                    System.out.flush();
                })
                .build().fit(data());
    }
}
