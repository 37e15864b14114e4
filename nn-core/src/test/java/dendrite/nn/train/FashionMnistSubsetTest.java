package dendrite.nn.train;

import dendrite.nn.EveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.TrainTest;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Acceptance (backend-opencl, and vector alike): a Fashion-MNIST subset trains on each backend to
 * the same test accuracy as on backend-scalar, within one point. The architecture
 * (784-256-128-10 ReLU, Adam, batch 128) on 3,000 training and 1,000 test images for 3 epochs, so
 * that CI stays fast; the full 10-epoch run's accuracy is recorded in the README. Skipped, with the
 * reason, where Debian's dataset-fashion-mnist is not installed.
 */
class FashionMnistSubsetTest {
    private static final int TRAIN = 3_000;
    private static final int TEST = 1_000;
    private static TrainTest subset;
    private static Double scalarAccuracy;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dendrite.nn.EveryBackend#namesOtherThanScalar")
    void trainsToTheSameAccuracyAsScalar(String backend) {
        Backend be = EveryBackend.get(backend);
        double reference = scalarAccuracy();
        double accuracy = testAccuracy(be);
        String both = String.format(Locale.ROOT, "%s %.1f %%, scalar %.1f %%", backend, 100 * accuracy, 100 * reference);
        System.out.println("Fashion-MNIST subset test accuracy: " + both);
        assertEquals(reference, accuracy, 0.01, both);
        // Both runs must have learned something: ten classes, so chance is 10 %.
        assertTrue(reference > 0.7, both);
    }

    private static synchronized double scalarAccuracy() {
        if (scalarAccuracy == null) {
            scalarAccuracy = testAccuracy(EveryBackend.get("scalar"));
        }
        return scalarAccuracy;
    }

    private static double testAccuracy(Backend be) {
        TrainTest data = subset();
        Sequential model = Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10).build(be, 17);
        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(1e-3))
                .epochs(3).batchSize(128).seed(5)
                .build();
        trainer.fit(data.train());
        return trainer.evaluate(data.test()).accuracy();
    }

    private static synchronized TrainTest subset() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST not installed in " + FashionMnist.DEBIAN_FOLDER
                + " (apt-get install dataset-fashion-mnist)");
        if (subset == null) {
            try {
                TrainTest all = FashionMnist.load();
                subset = new TrainTest(all.train().head(TRAIN), all.test().head(TEST));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return subset;
    }
}
