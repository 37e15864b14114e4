package dendrite.bench;

import dendrite.nn.data.Dataset;
import dendrite.nn.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training data of the MLP benchmarks: Fashion-MNIST's 60,000 training images from Debian's
 * {@code dataset-fashion-mnist}, or, where it is not installed (or {@code -Ddendrite.bench.data=synthetic}
 * asks for it), a synthetic set of the same shape. Which one is said on standard output, since the
 * two are not the same workload for anything that depends on the values (they cost the same for
 * dense layers). Loaded once per JVM.
 */
final class TrainingData {
    static final int SAMPLES = 60_000;
    private static Dataset cached;

    private TrainingData() {
    }

    static synchronized Dataset get() {
        if (cached == null) {
            cached = load();
            System.out.println("data: " + cached.name() + ", " + cached.size() + " x " + cached.sampleSize());
        }
        return cached;
    }

    private static Dataset load() {
        boolean forced = "synthetic".equals(System.getProperty("dendrite.bench.data"));
        if (!forced && FashionMnist.isInstalled()) {
            try {
                return FashionMnist.load().train();
            } catch (IOException e) {
                throw new UncheckedIOException("benchmark data: cannot read Fashion-MNIST from "
                        + FashionMnist.DEBIAN_FOLDER + ": " + e.getMessage(), e);
            }
        }
        System.out.println("data: SYNTHETIC, not Fashion-MNIST: " + (forced ? "-Ddendrite.bench.data=synthetic"
                : FashionMnist.DEBIAN_FOLDER + " is not installed (apt-get install dataset-fashion-mnist)"));
        return synthetic(SAMPLES, 42);
    }

    /** Pixels uniform in [0, 1), labels uniform over the 10 classes: the shape of Fashion-MNIST. */
    static Dataset synthetic(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * Mlp.INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(Mlp.CLASSES);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < Mlp.CLASSES; c++) {
            names.add("class " + c);
        }
        return Dataset.classification("synthetic (Fashion-MNIST's shape)", x, new int[] {Mlp.INPUTS}, y,
                Mlp.CLASSES, names);
    }
}
