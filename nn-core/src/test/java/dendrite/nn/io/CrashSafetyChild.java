package dendrite.nn.io;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashSafetyTest}: saves two models in turn to one file, forever,
 * printing a line after each save, until it is killed.
 */
public final class CrashSafetyChild {
    private CrashSafetyChild() {
    }

    static Sequential model(Backend be, long seed) {
        return Sequential.builder(64).dense(512).relu().dense(256).relu().dense(10).build(be, seed);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Backend be = Backends.get("scalar");
        Sequential[] models = {model(be, 1), model(be, 2)};
        for (long i = 0; ; i++) {
            ModelFile.save(models[(int) (i % 2)], file);
            System.out.println("saved " + i);
            System.out.flush();
        }
    }
}
