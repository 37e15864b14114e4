package dendrite.nn.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.Synthetic;
import dendrite.nn.diag.TrainingWarning.Kind;
import dendrite.nn.init.Initializers;
import dendrite.nn.layers.Dense;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.op.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the monitor warns on each textbook failure, built as a learner would build it, naming
 * the layer and the fix, and stays quiet on a healthy run.
 */
class TextbookFailuresTest {
    private static final Backend BE = Backends.get("scalar");

    private static List<TrainingWarning> train(Sequential model, dendrite.nn.optim.Optimizer opt, int epochs,
            Dataset data, Dataset validation) {
        return train(model, Losses.softmaxCrossEntropy(), opt, epochs, data, validation);
    }

    private static List<TrainingWarning> train(Sequential model, dendrite.nn.losses.Loss loss,
            dendrite.nn.optim.Optimizer opt, int epochs, Dataset data, Dataset validation) {
        List<TrainingWarning> seen = new ArrayList<>();
        TrainingMonitor monitor = new TrainingMonitor().onWarning(seen::add);
        Trainer.Builder b = Trainer.builder(model).loss(loss).optimizer(opt).epochs(epochs)
                .batchSize(32).seed(1).listener(monitor);
        if (validation != null) {
            b.validationData(validation);
        }
        b.build().fit(data);
        return seen;
    }

    private static Set<Kind> kinds(List<TrainingWarning> w) {
        return w.stream().map(TrainingWarning::kind).collect(Collectors.toSet());
    }

    /** Ten sigmoid layers: the first layer's gradient is a tiny fraction of the last one's. */
    @Test
    void aDeepSigmoidStackHasVanishingGradientsRelativeToTheOutputLayer() {
        Sequential.Builder b = Sequential.builder(2);
        for (int i = 0; i < 10; i++) {
            b.dense(32).sigmoid();
        }
        List<TrainingWarning> w = train(b.dense(2).build(BE, 3), new Sgd(0.1), 1, Synthetic.twoMoons(256, 0.1, 1), null);
        TrainingWarning first = w.stream().filter(x -> x.kind() == Kind.VANISHING_GRADIENT).findFirst().orElseThrow(
                () -> new AssertionError("no vanishing-gradient warning: " + w));
        assertEquals(0, first.layer(), first.message());
        assertTrue(first.message().contains("of the output layer's"), first.message());
    }

    /** A learning rate of 50: the loss blows up within the first steps, which are all checked. */
    @Test
    void aFarTooHighLearningRateIsCaughtInTheFirstSteps() {
        Sequential m = Sequential.builder(2).dense(16).relu().dense(2).build(BE, 3);
        List<TrainingWarning> w = train(m, new Sgd(50), 1, Synthetic.twoMoons(256, 0.1, 1), null);
        TrainingWarning d = w.stream().filter(x -> x.kind() == Kind.LOSS_DIVERGING || x.kind() == Kind.EXPLODING_GRADIENT)
                .findFirst().orElseThrow(() -> new AssertionError("no divergence warning: " + w));
        assertTrue(d.step() <= TrainingMonitor.EARLY_STEPS, d.toString());
        // The blow-up leaves tiny gradients behind; advising a higher learning rate then would contradict it.
        assertTrue(w.stream().noneMatch(x -> x.kind() == Kind.VANISHING_GRADIENT), w.toString());
    }

    /** 128 samples of 4 positive inputs, two alternating classes. */
    private static Dataset positiveInputs() {
        float[] x = new float[4 * 128];
        float[] y = new float[128];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + (i % 7) * 0.1f;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
        }
        return Dataset.classification("positive", x, new int[] {4}, toInts(y), 2, List.of());
    }

    /** Weights that make every pre-activation negative on positive inputs: the ReLU layer is dead. */
    @Test
    void deadReluUnitsAreReportedWithTheirLayer() {
        Sequential m = Sequential.builder(4).dense(16, Initializers.constant(-0.5f)).relu().dense(2).build(BE, 3);
        Dataset data = positiveInputs();
        List<TrainingWarning> w = train(m, new Adam(1e-3), 2, data, null);
        TrainingWarning dead = w.stream().filter(x2 -> x2.kind() == Kind.DEAD_RELU).findFirst()
                .orElseThrow(() -> new AssertionError("no dead-ReLU warning: " + w));
        assertEquals(1, dead.layer(), dead.message());
    }

    /** The same dead units in a Dense with a fused ReLU: reported as dead ReLUs of that layer, not as saturation. */
    @Test
    void deadUnitsOfADenseWithAFusedReluAreReportedAsDeadRelus() {
        Sequential m = Sequential.builder(4)
                .add(new Dense(-1, 16, true, Initializers.constant(-0.5f), Activation.RELU)).dense(2).build(BE, 3);
        Dataset data = positiveInputs();
        List<TrainingWarning> w = train(m, new Adam(1e-3), 2, data, null);
        TrainingWarning dead = w.stream().filter(x2 -> x2.kind() == Kind.DEAD_RELU).findFirst()
                .orElseThrow(() -> new AssertionError("no dead-ReLU warning: " + w));
        assertEquals(0, dead.layer(), dead.message());
        assertTrue(w.stream().noneMatch(x2 -> x2.kind() == Kind.SATURATED), w.toString());
    }

    /** Large initial weights drive a sigmoid layer to 0 and 1. */
    @Test
    void saturatedSigmoidUnitsAreReported() {
        Sequential m = Sequential.builder(2).dense(32, Initializers.normal(20)).sigmoid().dense(2).build(BE, 3);
        List<TrainingWarning> w = train(m, new Adam(1e-3), 1, Synthetic.twoMoons(256, 0.1, 1), null);
        assertTrue(kinds(w).contains(Kind.SATURATED), w.toString());
    }

    /** Zero initialization: every unit learns the same thing and the loss stays at ln(classes). */
    @Test
    void zeroInitializationLeavesTheLossAtChanceAndTheWarningNamesInitialization() {
        Sequential m = Sequential.builder(2).dense(16, Initializers.zeros()).relu().dense(3, Initializers.zeros())
                .build(BE, 3);
        List<TrainingWarning> w = train(m, new Adam(1e-2), 3, Synthetic.spirals(300, 3, 0.1, 1), null);
        TrainingWarning c = w.stream().filter(x -> x.kind() == Kind.STUCK_AT_CHANCE).findFirst()
                .orElseThrow(() -> new AssertionError("no chance-level warning: " + w));
        assertTrue(c.message().contains("initialization"), c.message());
    }

    /** The same with LogSoftmax and NLLLoss, which are cross-entropy too: ln(classes) is chance. */
    @Test
    void zeroInitializationBeforeLogSoftmaxAndNllIsAtChanceToo() {
        Sequential m = Sequential.builder(2).dense(16, Initializers.zeros()).relu().dense(3, Initializers.zeros())
                .logSoftmax().build(BE, 3);
        List<TrainingWarning> w = train(m, Losses.nll(), new Adam(1e-2), 3, Synthetic.spirals(300, 3, 0.1, 1), null);
        assertTrue(kinds(w).contains(Kind.STUCK_AT_CHANCE), w.toString());
    }

    /** A softmax layer before softmax cross-entropy is reported before the first step. */
    @Test
    void aDoubleSoftmaxIsReportedAtTheStart() {
        Sequential m = Sequential.builder(2).dense(8).relu().dense(2).softmax().build(BE, 3);
        List<TrainingWarning> w = train(m, new Adam(1e-2), 1, Synthetic.twoMoons(64, 0.1, 1), null);
        assertEquals(Kind.DOUBLE_SOFTMAX, w.get(0).kind(), w.toString());
        assertEquals(0, w.get(0).step());
        assertEquals(3, w.get(0).layer());
    }

    /** NLL on raw logits, or on softmax probabilities, is reported before the first step; after a log-softmax it is not. */
    @Test
    void nllWithoutALogSoftmaxIsReportedAtTheStart() {
        Sequential logits = Sequential.builder(2).dense(8).relu().dense(2).build(BE, 3);
        List<TrainingWarning> w = train(logits, Losses.nll(), new Adam(1e-2), 1, Synthetic.twoMoons(64, 0.1, 1), null);
        assertEquals(Kind.NLL_WITHOUT_LOG_SOFTMAX, w.get(0).kind(), w.toString());
        assertEquals(0, w.get(0).step());
        assertEquals(2, w.get(0).layer());
        assertTrue(w.get(0).message().contains("layer 2 is a dense") && w.get(0).message().contains("log_softmax"),
                w.get(0).message());
        Sequential probabilities = Sequential.builder(2).dense(8).relu().dense(2).softmax().build(BE, 3);
        w = train(probabilities, Losses.nll(), new Adam(1e-2), 1, Synthetic.twoMoons(64, 0.1, 1), null);
        assertEquals(Kind.NLL_WITHOUT_LOG_SOFTMAX, w.get(0).kind(), w.toString());
        assertTrue(w.get(0).message().contains("make that layer a log_softmax"), w.get(0).message());
        Sequential right = Sequential.builder(2).dense(8).relu().dense(2).logSoftmax().build(BE, 3);
        w = train(right, Losses.nll(), new Adam(1e-2), 1, Synthetic.twoMoons(64, 0.1, 1), null);
        assertFalse(kinds(w).contains(Kind.NLL_WITHOUT_LOG_SOFTMAX), w.toString());
    }

    /** A healthy Fashion-MNIST run (an MLP on a 6,000-image subset, 3 epochs): no warning at all. */
    @Test
    void aHealthyFashionMnistRunIsQuiet() throws java.io.IOException {
        Assumptions.assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (dataset-fashion-mnist)");
        dendrite.nn.data.TrainTest fashion = FashionMnist.load();
        Dataset train = fashion.train().head(6_000);
        Dataset validation = fashion.test().head(1_000);
        Sequential m = Sequential.builder(784).dense(128).relu().dense(10).build(BE, 3);
        List<TrainingWarning> w = train(m, new Adam(1e-3), 3, train, validation);
        assertEquals(List.of(), w);
    }

    private static int[] toInts(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
