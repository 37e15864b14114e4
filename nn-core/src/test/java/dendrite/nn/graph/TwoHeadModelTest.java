package dendrite.nn.graph;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.ReLU;
import dendrite.nn.losses.MeanSquaredError;
import dendrite.nn.losses.MultiTaskLoss;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.History;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One input, two heads (a class and a value), each with its own loss, trained by the ordinary Trainer. */
class TwoHeadModelTest {

    /** x in [-1, 1]^4; class = which of x0, x1, x2 is largest; value = x0 * x3 + x1. */
    static Dataset data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) r.nextDouble(-1, 1);
            }
            int c = 0;
            for (int j = 1; j < 3; j++) {
                c = x[i * 4 + j] > x[i * 4 + c] ? j : c;
            }
            y[i * 2] = c;
            y[i * 2 + 1] = x[i * 4] * x[i * 4 + 3] + x[i * 4 + 1];
        }
        return Dataset.regression("two-heads", x, new int[] {4}, y, 2);
    }

    static Graph twoHeads() {
        return twoHeads(new ReLU());
    }

    static Graph twoHeads(dendrite.nn.layers.Layer activation) {
        return Graph.builder()
                .layer("trunk", new Dense(32), "input").layer("act", activation, "trunk")
                .layer("class", new Dense(3), "act")
                .layer("value", new Dense(1), "act")
                .outputs("class", "value")
                .build();
    }

    static MultiTaskLoss loss() {
        return MultiTaskLoss.builder()
                .head("class", 3, new SoftmaxCrossEntropy(), 1, 1.0)
                .head("value", 1, new MeanSquaredError(), 1, 2.0)
                .build();
    }

    @Test
    void bothHeadsLearnFromOneTrunk() {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(4).add(twoHeads()).build(be, 7);
        assertEquals("[4]", model.outputShape().toString());
        History h = Trainer.builder(model).loss(loss()).optimizer(new Adam(0.01)).epochs(30).batchSize(32).seed(1)
                .validationData(data(500, 2)).build().fit(data(2000, 1));
        Map<String, Double> last = h.last();
        assertTrue(last.get("val_class_accuracy") > 0.9, last.toString());
        // predicting 0 would give the value's spread, about 0.68 (RMSE)
        assertTrue(last.get("val_value_rmse") < 0.2, last.toString());
    }

    /** With tanh in the trunk: finite differences across a ReLU's kink would measure the kink, not the code. */
    @Test
    void gradientsOfTheWeightedSumMatchFiniteDifferences() {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(4).add(twoHeads(new dendrite.nn.layers.Tanh())).build(be, 3);
        Dataset d = data(5, 9);
        Tensor x = be.tensor(d.features(), 5, 4);
        Tensor y = be.tensor(d.targets(), 5, 2);
        GradientChecker.Report r = new GradientChecker().checkModel(model, loss(), x, y, true);
        assertTrue(r.passed(5e-3), r.toString());
    }

    @Test
    void targetsThatDoNotMatchTheHeadsAreRefusedBeforeTraining() {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(4).add(twoHeads()).build(be, 3);
        Dataset one = Dataset.regression("one", new float[8], new int[] {4}, new float[2], 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(model).loss(loss()).optimizer(new Adam(0.01)).epochs(1).build().fit(one));
        assertEquals("fit: dataset one has 1 target values per sample but the multi-task loss's heads read 2 target"
                + " columns; give each head its columns (Dataset.regression with 2 targets per sample)", e.getMessage());
    }
}
