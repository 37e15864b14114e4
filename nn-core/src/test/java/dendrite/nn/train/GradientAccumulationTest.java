package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.layers.Parameter;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer.Builder#accumulateGradients}: k batches of b samples train as one batch of k b does
 * (the weights and the epoch's loss, up to rounding), also where an epoch ends with fewer than k
 * batches, a full one and a short one; the optimizer steps once per group; {@link Trainer#step} steps
 * on every k-th call.
 */
class GradientAccumulationTest {
    /** 230 samples: 20 batches of 12 (the last of 2), in groups of 3 six groups of 36 and one of 12 + 2. */
    private static final int SAMPLES = 230;

    private static Dataset data() {
        Random r = new Random(9);
        float[] x = new float[SAMPLES * 6];
        int[] labels = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) (r.nextGaussian() + (j % 3 == labels[i] ? 1 : 0));
            }
        }
        return Dataset.classification("blobs", x, new int[] {6}, labels, 3, List.of());
    }

    private static Sequential model(Backend be) {
        return Sequential.builder(6).dense(16).tanh().dense(3).build(be, 4);
    }

    @OnEveryBackend
    void threeBatchesOfTwelveTrainAsOneBatchOfThirtySix(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential big = model(be);
        Sequential small = model(be);
        History bigHistory = trainer(big, 36, 1, new ArrayList<>()).fit(data());
        List<StepEvent> steps = new ArrayList<>();
        History smallHistory = trainer(small, 12, 3, steps).fit(data());

        Map<String, float[]> expected = weights(big);
        Map<String, float[]> actual = weights(small);
        for (String name : expected.keySet()) {
            float[] e = expected.get(name);
            float[] a = actual.get(name);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 2e-5 * Math.max(1, Math.abs(e[i])), name + "[" + i + "]");
            }
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(bigHistory.get("loss")[epoch], smallHistory.get("loss")[epoch], 1e-5, "epoch " + epoch);
        }
        assertEquals(3 * 7, steps.size(), "7 optimizer steps an epoch (6 of 36 samples, one of 14)");
        assertEquals(21, steps.get(steps.size() - 1).globalStep());
        assertEquals(36, steps.get(0).batchSize());
        assertEquals(2, steps.get(0).batch());
        assertEquals(14, steps.get(6).batchSize());
        assertEquals(19, steps.get(6).batch());
    }

    private static Trainer trainer(Sequential model, int batch, int accumulate, List<StepEvent> steps) {
        return Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(0.1, 0.9, false))
                .epochs(3).batchSize(batch).seed(5).accumulateGradients(accumulate)
                .listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent step) {
                        steps.add(step);
                    }
                }).build();
    }

    private static Map<String, float[]> weights(Sequential model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            out.put(p.getKey(), p.getValue().value().toArray());
        }
        return out;
    }

    @Test
    void stepUpdatesOnEveryThirdCallWithTheMeanOfTheThreeBatches() {
        Backend be = Backends.get("scalar");
        Dataset d = data();
        Sequential accumulated = model(be);
        Sequential whole = model(be);
        Trainer three = Trainer.builder(accumulated).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(0.5))
                .accumulateGradients(3).build();
        Trainer once = Trainer.builder(whole).loss(Losses.softmaxCrossEntropy()).optimizer(new Sgd(0.5)).build();
        float[] before = accumulated.namedParameters().get("0.weight").value().toArray();
        int[] sizes = {10, 10, 5};
        int from = 0;
        for (int c = 0; c < 3; c++) {
            three.step(features(be, d, from, sizes[c]), labels(be, d, from, sizes[c]));
            from += sizes[c];
            float[] now = accumulated.namedParameters().get("0.weight").value().toArray();
            if (c < 2) {
                assertArrayEquals(before, now, "no update before the third call");
            } else {
                assertFalse(java.util.Arrays.equals(before, now), "the third call updates");
            }
        }
        once.step(features(be, d, 0, 25), labels(be, d, 0, 25));
        assertEquals(1, three.optimizer().stepCount());
        Map<String, float[]> expected = weights(whole);
        Map<String, float[]> actual = weights(accumulated);
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), 1e-6f, name);
        }
    }

    private static Tensor features(Backend be, Dataset d, int from, int n) {
        return be.tensor(java.util.Arrays.copyOfRange(d.features(), from * 6, (from + n) * 6), n, 6);
    }

    private static Tensor labels(Backend be, Dataset d, int from, int n) {
        return be.tensor(java.util.Arrays.copyOfRange(d.targets(), from, from + n), n);
    }

    @Test
    void aGroupOfOneIsRefusedBelowOne() {
        Sequential m = model(Backends.get("scalar"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(m).accumulateGradients(0));
        assertTrue(e.getMessage().contains("gradient accumulation"), e.getMessage());
    }
}
