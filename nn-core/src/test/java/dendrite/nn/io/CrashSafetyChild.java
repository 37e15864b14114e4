package dendrite.nn.io;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashSafetyTest}: saves two models in turn to one file, forever, until
 * it is killed. It prints {@code saving I} right before each save and {@code saved I NANOS} right
 * after it, so the parent knows when a save is under way and how long one takes.
 */
public final class CrashSafetyChild {
    /** Marker printed just before save number I starts. */
    static final String SAVING = "saving ";
    /** Marker printed just after save number I ended, followed by its duration in nanoseconds. */
    static final String SAVED = "saved ";

    private CrashSafetyChild() {
    }

    /**
     * About 1.2 million weights (4.8 MB on disk), so that one save takes tens of milliseconds
     * (writing and syncing the file) and a kill can be aimed inside it.
     */
    static Sequential model(Backend be, long seed) {
        // A graph with a skip connection (issue 16: a graph's file survives a crash too); its save is
        // the same code as a plain stack's, with a nested architecture.
        dendrite.nn.graph.Graph g = dendrite.nn.graph.Graph.builder()
                .layer("fc1", new dendrite.nn.layers.Dense(1024), "input")
                .layer("act1", new dendrite.nn.layers.ReLU(), "fc1")
                .layer("fc2", new dendrite.nn.layers.Dense(1024), "act1")
                .layer("act2", new dendrite.nn.layers.ReLU(), "fc2")
                .add("skip", "act2", "act1")
                .layer("out", new dendrite.nn.layers.Dense(10), "skip")
                .build();
        return Sequential.builder(64).add(g).build(be, seed);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Backend be = Backends.get("scalar");
        Sequential[] models = {model(be, 1), model(be, 2)};
        for (long i = 0; ; i++) {
            System.out.println(SAVING + i);
            System.out.flush();
            long t0 = System.nanoTime();
            ModelFile.save(models[(int) (i % 2)], file);
            System.out.println(SAVED + i + " " + (System.nanoTime() - t0));
            System.out.flush();
        }
    }
}
