package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Splits;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weight average's arithmetic, its swapping, and what {@code fit} does with it. */
class ExponentialMovingAverageTest {
    private final Backend be = TestBackend.get();
    private final Dataset data = Synthetic.twoMoons(42, 0.2, 3);

    /** Batch norm too, so a buffer (running statistics) is averaged along with the parameters. */
    private Sequential model() {
        return Sequential.builder(2).dense(8).batchNorm().relu().dense(2).build(be, 5);
    }

    private static Map<String, float[]> values(Sequential model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> out.put(name, t.toArray()));
        return out;
    }

    private static Map<String, float[]> values(Map<String, Tensor> tensors) {
        Map<String, float[]> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, t.toArray()));
        return out;
    }

    private static void assertSameBits(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), name));
    }

    /** Every state-dict entry of the model set to {@code value}. */
    private static void setAll(Sequential model, float value) {
        Map<String, float[]> v = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> {
            float[] a = new float[(int) t.size()];
            java.util.Arrays.fill(a, value);
            v.put(name, a);
        });
        model.loadStateDict(v);
    }

    @Test
    void eachUpdateMovesTheAverageTowardsTheWeightsByOneMinusTheWarmedUpDecay() {
        Sequential model = model();
        setAll(model, 1f);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(model, 0.5)) {
            // d = min(0.5, (1 + t) / (10 + t)): 0.1 at t = 0, 2/11 at t = 1, ..., 0.5 from t = 8 on.
            assertEquals(0.1, ema.currentDecay(), 1e-12);
            setAll(model, 11f);
            ema.update();
            float first = 1f + (float) (1 - 0.1) * (11f - 1f);
            ema.averages().forEach((name, t) -> assertEquals(first, t.toArray()[0], 1e-5, name));
            assertEquals(2.0 / 11, ema.currentDecay(), 1e-12);
            setAll(model, first);
            for (int t = 1; t < 8; t++) {
                ema.update();   // the weights equal the average: it stays put
            }
            assertEquals(0.5, ema.currentDecay(), 1e-12);
            setAll(model, first + 4f);
            ema.update();
            ema.averages().forEach((name, t) -> assertEquals(first + 2f, t.toArray()[0], 1e-4, name));
            assertEquals(9, ema.updates());
        }
    }

    @Test
    void useAverageAndRestoreSwapTheWeightsBackBitForBit() {
        Sequential model = model();
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(model, 0.9)) {
            Map<String, float[]> start = values(model);
            setAll(model, 3f);
            ema.update();
            Map<String, float[]> trained = values(model);
            Map<String, float[]> average = values(ema.averages());
            assertNotEquals(trained.get("0.weight")[0], average.get("0.weight")[0]);

            ema.useAverage();
            assertTrue(ema.inUse());
            assertSameBits(average, values(model));
            ema.restore();
            assertFalse(ema.inUse());
            assertSameBits(trained, values(model));

            ema.apply();
            assertSameBits(average, values(model));
            assertNotEquals(start.get("0.weight")[0], values(model).get("0.weight")[0]);
        }
    }

    @Test
    void misuseIsRefusedWithTheReason() {
        Sequential model = model();
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(model, Double.NaN));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(model, 0.99);
        assertThrows(IllegalStateException.class, ema::restore);
        ema.useAverage();
        IllegalStateException e = assertThrows(IllegalStateException.class, ema::update);
        assertTrue(e.getMessage().contains("restore()"), e.getMessage());
        assertThrows(IllegalStateException.class, ema::useAverage);
        ema.restore();
        ema.close();
        ema.close();
        assertThrows(IllegalStateException.class, ema::update);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model).ema(1.5));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model).ema(-0.1));
    }

    @Test
    void closingFreesTheAverageButLeavesTheModel() {
        Sequential model = model();
        ExponentialMovingAverage ema = new ExponentialMovingAverage(model, 0.99);
        java.util.Collection<Tensor> averages = ema.averages().values();
        ema.close();
        averages.forEach(t -> assertFalse(t.isAlive(), t.toString()));
        model.stateDict().values().forEach(t -> assertTrue(t.isAlive(), t.toString()));
    }

    /**
     * fit with an average trains the weights exactly as without one (validating the average in
     * between puts the weights back bit for bit) and ends with the average: the same bits as
     * averaging by hand from a listener during a fit without it.
     */
    @Test
    void fitValidatesTheAverageAndEndsWithItWhileTheWeightsTrainAsWithoutIt() {
        var split = Splits.stratified(data, 0.25, 0, 3);
        Sequential withEma = model();
        History h = trainer(withEma).ema(0.8).validationData(split.validation()).build().fit(split.train());

        Sequential byHand = model();
        History plain;
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(byHand, 0.8)) {
            plain = trainer(byHand).validationData(split.validation()).listener(new TrainingListener() {
                @Override
                public void onStepEnd(StepEvent s) {
                    ema.update();
                }
            }).build().fit(split.train());
            assertArrayEquals(plain.get("loss"), h.get("loss"), "training losses: the weights trained alike");
            ema.apply();
        }
        assertSameBits(values(byHand), values(withEma));

        // The last epoch's val_loss is the final (averaged) model's.
        double finalLoss = new Evaluator(withEma, Losses.softmaxCrossEntropy(), 8).evaluate(split.validation()).loss();
        assertEquals(finalLoss, h.last().get("val_loss"), 1e-12);
        assertNotEquals(plain.last().get("val_loss"), h.last().get("val_loss"));
    }

    private Trainer.Builder trainer(Sequential model) {
        return Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.05))
                .epochs(3).batchSize(8).seed(9);
    }
}
