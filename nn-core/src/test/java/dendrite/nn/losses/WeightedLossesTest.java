package dendrite.nn.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Class and positive weights outside the arithmetic {@link WeightedLossesPyTorchTest} checks: what they
 * do to a model trained on imbalanced data, the balanced weights a dataset gives, the equal-weights case
 * (the unweighted loss), and the errors.
 */
class WeightedLossesTest {
    private static final Backend BE = Backends.get("scalar");

    /**
     * Two overlapping blobs, 19 samples of class 0 to each of class 1: unweighted, the model mostly
     * answers 0 and finds few of class 1; with balanced weights it finds most of them, as the weights
     * promise, at some cost to class 0.
     */
    @Test
    void balancedWeightsRaiseTheRareClassesRecall() {
        Dataset data = blobs(2000, 20, 11);
        float[] weights = data.balancedClassWeights();
        assertEquals(2000 / (2.0 * data.classCounts()[1]), weights[1], 1e-4);
        double plain = rareRecall(data, Losses.softmaxCrossEntropy());
        double balanced = rareRecall(data, Losses.softmaxCrossEntropy(weights, 0));
        assertTrue(plain < 0.5, "unweighted recall of the rare class " + plain);
        assertTrue(balanced > 0.7 && balanced > plain + 0.3, "balanced recall " + balanced + " vs unweighted " + plain);
    }

    private static Dataset blobs(int n, int every, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % every == 0 ? 1 : 0;
            x[2 * i] = (float) (r.nextGaussian() + (labels[i] == 1 ? 1.5 : 0));
            x[2 * i + 1] = (float) (r.nextGaussian() + (labels[i] == 1 ? 1.5 : 0));
        }
        return Dataset.classification("blobs", x, new int[] {2}, labels, 2, List.of("common", "rare"));
    }

    private static double rareRecall(Dataset data, Loss loss) {
        Sequential model = Sequential.builder(2).dense(8).relu().dense(2).build(BE, 5);
        Trainer.builder(model).loss(loss).optimizer(new Adam(1e-2)).epochs(8).batchSize(64).seed(3).build().fit(data);
        int[] predicted = model.predictClasses(data.features(), data.size());
        int found = 0;
        int rare = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) == 1) {
                rare++;
                found += predicted[i] == 1 ? 1 : 0;
            }
        }
        return (double) found / rare;
    }

    @Test
    void equalWeightsGiveTheUnweightedLossAndGradient() {
        float[] z = {0.3f, -1.2f, 2.0f, 0.7f, 0.1f, -0.4f};
        float[] y = {2, 0};
        Loss plain = Losses.softmaxCrossEntropy(0.1);
        Loss ones = Losses.softmaxCrossEntropy(new float[] {1, 1, 1}, 0.1);
        assertEquals(plain.forward(BE.tensor(z, 2, 3), BE.tensor(y, 2)).item(),
                ones.forward(BE.tensor(z, 2, 3), BE.tensor(y, 2)).item(), 1e-6);
        assertArrayEquals(plain.backward().toArray(), ones.backward().toArray(), 1e-6f);
        Loss bce = Losses.binaryCrossEntropyWithLogits();
        Loss bceOnes = Losses.binaryCrossEntropyWithLogits(1f);
        assertEquals(bce.forward(BE.tensor(z, 3, 2), BE.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2)).item(),
                bceOnes.forward(BE.tensor(z, 3, 2), BE.tensor(new float[] {1, 0, 0, 1, 1, 1}, 3, 2)).item(), 1e-6);
        assertArrayEquals(bce.backward().toArray(), bceOnes.backward().toArray(), 1e-6f);
    }

    @Test
    void balancedWeightsOfEquallyCommonClassesAreOne() {
        Dataset even = Dataset.classification("even", new float[4], new int[] {1}, new int[] {0, 1, 0, 1}, 2, List.of());
        assertArrayEquals(new float[] {1f, 1f}, even.balancedClassWeights());
    }

    @Test
    void errorsNameTheLossAndWhatIsWrong() {
        Loss three = Losses.softmaxCrossEntropy(new float[] {1, 2, 3}, 0);
        Tensor logits = BE.tensor(new float[8], 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> three.forward(logits, BE.tensor(new float[] {0, 1}, 2)));
        assertTrue(e.getMessage().contains("softmax_cross_entropy") && e.getMessage().contains("3 class weights")
                && e.getMessage().contains("[2, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(new float[] {1, -1}, 0));
        assertTrue(e.getMessage().contains("class 1's weight is -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(new float[] {Float.NaN}, 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(new float[0], 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(null, 0));

        Loss pos = Losses.binaryCrossEntropyWithLogits(1f, 2f);
        e = assertThrows(IllegalArgumentException.class,
                () -> pos.forward(BE.tensor(new float[6], 2, 3), BE.tensor(new float[6], 2, 3)));
        assertTrue(e.getMessage().contains("bce_with_logits") && e.getMessage().contains("2 positive weights")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropyWithLogits(Float.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("pos_weight[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropyWithLogits(new float[0]));

        Dataset missing = Dataset.classification("few", new float[2], new int[] {1}, new int[] {0, 0}, 3,
                List.of("a", "b", "c"));
        IllegalStateException s = assertThrows(IllegalStateException.class, missing::balancedClassWeights);
        assertTrue(s.getMessage().contains("few") && s.getMessage().contains("class 1 (b)"), s.getMessage());
    }

    @Test
    void byNameReadsPyTorchsArgumentNames() {
        SoftmaxCrossEntropy ce = (SoftmaxCrossEntropy) Losses.byName("cross_entropy",
                Map.of("weight", List.of(1, 2.5), "label_smoothing", 0.1));
        assertArrayEquals(new float[] {1f, 2.5f}, ce.classWeights());
        assertEquals(0.1f, ce.labelSmoothing());
        assertNull(((SoftmaxCrossEntropy) Losses.byName("cross_entropy", Map.of())).classWeights());
        BinaryCrossEntropyWithLogits bce = (BinaryCrossEntropyWithLogits) Losses.byName("bce_with_logits",
                Map.of("pos_weight", List.of(3)));
        assertArrayEquals(new float[] {3f}, bce.posWeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.byName("cross_entropy", Map.of("weight", "heavy")));
        assertTrue(e.getMessage().contains("'weight' must be a list of numbers"), e.getMessage());
    }
}
