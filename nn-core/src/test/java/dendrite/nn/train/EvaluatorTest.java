package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scoring a model with a loss alone: no optimizer, evaluation mode, metrics that match predict. */
class EvaluatorTest {
    private final Backend be = TestBackend.get();

    @Test
    void classificationMetricsAreThoseOfPredictClassesWithoutAnOptimizer() {
        Dataset data = Synthetic.twoMoons(70, 0.2, 3);   // 70 = 2 batches of 32 and one of 6
        Sequential model = Sequential.builder(2).dense(8).relu().dropout(0.5).dense(2).build(be, 5);
        Evaluation e = new Evaluator(model, Losses.softmaxCrossEntropy(), 32).evaluate(data);

        int[] predicted = model.predictClasses(data.features(), data.size());
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            correct += predicted[i] == data.label(i) ? 1 : 0;
        }
        assertEquals(correct / (double) data.size(), e.accuracy());
        assertEquals(e.loss(), e.metrics().get("loss"));
        assertEquals(data.size(), e.report().confusionMatrix().total());
        // Evaluation mode: dropout is off, so a second run gives the same numbers.
        assertEquals(e.metrics(), new Evaluator(model, Losses.softmaxCrossEntropy(), 32).evaluate(data).metrics());
    }

    @Test
    void regressionLossIsTheMeanSquaredErrorOfPredict() {
        Dataset data = Synthetic.regressionCurve(50, 0.1, 2);
        Sequential model = Sequential.builder(1).dense(6).tanh().dense(1).build(be, 3);
        Evaluation e = new Evaluator(model, Losses.mse(), 16).evaluate(data);

        float[] out = model.predict(data.features(), data.size());
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            double d = out[i] - data.targets()[i];
            sum += d * d;
        }
        assertEquals(sum / out.length, e.loss(), 1e-6);
        assertEquals(sum / out.length, e.metrics().get("mse"), 1e-6);
        assertTrue(e.metrics().containsKey("r2"), e.metrics().toString());
    }

    /** A Poisson loss on log-rates is scored by its rates e^x against the counts; its loss is its own. */
    @Test
    void aPoissonModelOnLogRatesIsScoredByItsRates() {
        float[] x = new float[40];
        float[] counts = new float[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i / 40f;
            counts[i] = i % 5;
        }
        Dataset data = Dataset.regression("counts", x, new int[] {1}, counts, 1);
        Sequential model = Sequential.builder(1).dense(4).tanh().dense(1).build(be, 3);
        Evaluation e = new Evaluator(model, Losses.poissonNll(), 16).evaluate(data);

        float[] logRates = model.predict(x, 40);
        double loss = 0;
        double sq = 0;
        for (int i = 0; i < 40; i++) {
            loss += Math.exp(logRates[i]) - counts[i] * logRates[i];
            double d = Math.exp(logRates[i]) - counts[i];
            sq += d * d;
        }
        assertEquals(loss / 40, e.loss(), 1e-5);
        assertEquals(sq / 40, e.metrics().get("mse"), 1e-4);
    }

    /**
     * A model trained on standardized targets is scored in the target's units: its outputs and the
     * targets are unscaled before MSE, RMSE and MAE, while the loss stays the one on scaled targets.
     */
    @Test
    void withATargetScalerTheErrorsAreInTheTargetsUnits() {
        Dataset raw = Synthetic.serverLoad(70, 2.5, 4);
        dendrite.nn.data.Scaler targets = dendrite.nn.data.Scaler.standardizeTargets(raw);
        Dataset scaled = targets.transformTargets(dendrite.nn.data.Scaler.standardize(raw).transform(raw));
        Sequential model = Sequential.builder(4).dense(6).tanh().dense(1).build(be, 3);
        Evaluation inUnits = new Evaluator(model, Losses.mse(), 32, targets).evaluate(scaled);
        Evaluation standardized = new Evaluator(model, Losses.mse(), 32).evaluate(scaled);

        float[] predicted = targets.inverseTransform(model.predict(scaled.features(), scaled.size()));
        double sq = 0;
        double abs = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - raw.targets()[i];
            sq += d * d;
            abs += Math.abs(d);
        }
        assertEquals(sq / predicted.length, inUnits.metrics().get("mse"), 1e-3 * sq / predicted.length);
        assertEquals(Math.sqrt(sq / predicted.length), inUnits.metrics().get("rmse"), 1e-3 * Math.sqrt(sq / predicted.length));
        assertEquals(abs / predicted.length, inUnits.metrics().get("mae"), 1e-3 * abs / predicted.length);
        assertEquals(standardized.loss(), inUnits.loss(), "the loss is the optimizer's, on scaled targets");
        assertEquals(standardized.metrics().get("r2"), inUnits.metrics().get("r2"), 1e-4, "R² does not depend on units");
        double std = 1 / targets.scales()[0];
        assertEquals(standardized.metrics().get("rmse") * std, inUnits.metrics().get("rmse"), 1e-3 * std);
    }

    @Test
    void evaluatingChangesNoWeightsAndMatchesTheTrainersEvaluate() {
        Dataset data = Synthetic.twoMoons(40, 0.2, 3);
        Sequential model = Sequential.builder(2).dense(8).batchNorm().relu().dense(2).build(be, 5);
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01)).epochs(2).batchSize(8)
                .build().fit(data);
        float[] before = model.stateDict().get("1.running_mean").toArray();

        Evaluation alone = new Evaluator(model, Losses.softmaxCrossEntropy(), 8).evaluate(data);
        Evaluation viaTrainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .batchSize(8).build().evaluate(data);
        assertEquals(viaTrainer.metrics(), alone.metrics());
        assertArrayEquals(before, model.stateDict().get("1.running_mean").toArray());
    }

    @Test
    void classesNumberedWithoutNamesAreScoredAndValidatedDuringFit() {
        // Integer labels (a CSV's 0/1 column) give a dataset without class names: evaluation and
        // validation during fit must work on it as on a named one.
        Dataset named = Synthetic.xor();
        Dataset numbered = Dataset.classification("numbered xor", named.features(), named.sampleShape(),
                named.labels(), named.numClasses(), java.util.List.of());
        Sequential model = Sequential.builder(2).dense(8).tanh().dense(2).build(be, 5);
        Evaluation e = new Evaluator(model, Losses.softmaxCrossEntropy(), 4).evaluate(numbered);
        assertEquals(java.util.List.of(), e.report().confusionMatrix().classNames());
        assertEquals(numbered.size(), e.report().confusionMatrix().total());

        History h = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01)).epochs(2)
                .batchSize(4).validationData(numbered).build().fit(numbered);
        assertEquals(2, h.size());
        assertTrue(h.last().containsKey("val_accuracy"), h.last().toString());
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefusedNamingEvaluate() {
        Sequential model = Sequential.builder(3).dense(2).build(be, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Evaluator(model, Losses.softmaxCrossEntropy()).evaluate(Synthetic.xor()));
        assertTrue(e.getMessage().startsWith("evaluate: dataset"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(model, Losses.mse(), 0));
    }

    @Test
    void aTrainerWithoutAnOptimizerPointsToTheEvaluator() {
        Sequential model = Sequential.builder(2).dense(2).build(be, 1);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).build());
        assertTrue(e.getMessage().contains("Evaluator"), e.getMessage());
    }
}
