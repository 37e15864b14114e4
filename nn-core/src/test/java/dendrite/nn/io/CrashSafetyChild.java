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
        return Sequential.builder(64).dense(1024).relu().dense(1024).relu().dense(10).build(be, seed);
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
