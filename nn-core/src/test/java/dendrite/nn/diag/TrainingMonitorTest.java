package dendrite.nn.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.diag.TrainingWarning.Kind;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.History;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingMonitorTest {
    private static final Backend BE = Backends.get("scalar");

    static Sequential model() {
        return Sequential.builder(2).dense(3).relu().dense(1).build(BE, 1);
    }

    static void setGradients(Sequential m, float value) {
        m.namedParameters().values().forEach(p -> {
            float[] g = new float[p.shape().size()];
            Arrays.fill(g, value);
            p.grad().copyFrom(g);
        });
    }

    @Test
    void vanishingGradientsAreReportedOncePerEpochAndLayer() {
        Sequential m = model();
        List<TrainingWarning> seen = new ArrayList<>();
        TrainingMonitor monitor = new TrainingMonitor(m).onWarning(seen::add);
        setGradients(m, 1e-9f);   // layer norms about 2.6e-9 and 2e-9: below 1e-7
        monitor.checkGradients(0, 1);
        monitor.checkGradients(0, 2);
        assertEquals(2, seen.size(), seen.toString());
        assertEquals(Kind.VANISHING_GRADIENT, seen.get(0).kind());
        assertEquals(0, seen.get(0).layer());
        assertEquals(2, seen.get(1).layer());
        assertTrue(seen.get(0).message().startsWith("vanishing gradients at step 1 (epoch 0): layer 0 (dense)"),
                seen.get(0).message());

        monitor.checkGradients(1, 3);
        assertEquals(4, seen.size(), "reported again in a new epoch");
        assertEquals(seen, monitor.warnings());
    }

    @Test
    void healthyGradientsGiveNoWarning() {
        Sequential m = model();
        TrainingMonitor monitor = new TrainingMonitor(m).onWarning(w -> { });
        setGradients(m, 0.01f);
        monitor.checkGradients(0, 1);
        assertEquals(List.of(), monitor.warnings());
    }

    @Test
    void explodingAndNonFiniteGradientsAreReported() {
        Sequential m = model();
        TrainingMonitor monitor = new TrainingMonitor(m).onWarning(w -> { });
        setGradients(m, 300f);   // global norm sqrt(13) * 300 = 1082 > 1e3
        monitor.checkGradients(0, 1);
        assertEquals(1, monitor.warnings().size());
        TrainingWarning w = monitor.warnings().get(0);
        assertEquals(Kind.EXPLODING_GRADIENT, w.kind());
        assertTrue(w.message().contains("global gradient norm 1.08e+03"), w.message());

        setGradients(m, 200f);   // 721: below the threshold
        monitor.checkGradients(1, 2);
        assertEquals(1, monitor.warnings().size());

        setGradients(m, Float.NaN);
        monitor.checkGradients(2, 3);
        assertEquals(Kind.EXPLODING_GRADIENT, monitor.warnings().get(1).kind());
        assertTrue(monitor.warnings().get(1).message().contains("norm NaN"), monitor.warnings().get(1).message());
    }

    @Test
    void warnsOnceWhenValidationLossStaysAboveItsBestWhileTrainingLossFalls() {
        TrainingMonitor monitor = new TrainingMonitor(model()).onWarning(w -> { });
        double[][] lossAndVal = {{1.0, 1.0}, {0.8, 0.9}, {0.6, 0.95}, {0.65, 1.0}, {0.5, 1.1}};
        for (int e = 0; e < lossAndVal.length; e++) {
            monitor.onEpochEnd(new EpochEvent(e, 5, Map.of("loss", lossAndVal[e][0], "val_loss", lossAndVal[e][1]),
                    new History()));
        }
        // Best validation loss 0.9 at epoch 1; epochs 2 and 3 are more than 2 % above it while the
        // training loss stays below 0.8: reported at epoch 3, once.
        assertEquals(List.of(3), monitor.warnings().stream().map(TrainingWarning::epoch).toList());
        assertTrue(monitor.warnings().get(0).message().startsWith("overfitting since epoch 2: validation loss 1.0000 is above"
                + " its best (0.9000) for two epochs"), monitor.warnings().get(0).message());
    }

    /** One noisy epoch, or a rise within 2 %, is not overfitting (the old rule reported every rise). */
    @Test
    void noiseInTheValidationLossIsNotOverfitting() {
        TrainingMonitor monitor = new TrainingMonitor(model()).onWarning(w -> { });
        double[][] lossAndVal = {{1.0, 1.0}, {0.8, 0.9}, {0.7, 0.95}, {0.6, 0.88}, {0.55, 0.89}, {0.5, 0.895}, {0.45, 0.87}};
        for (int e = 0; e < lossAndVal.length; e++) {
            monitor.onEpochEnd(new EpochEvent(e, 7, Map.of("loss", lossAndVal[e][0], "val_loss", lossAndVal[e][1]),
                    new History()));
        }
        assertEquals(List.of(), monitor.warnings());
    }

    @Test
    void asATrainerListenerItChecksEveryEarlyStepThenEveryNth() {
        int n = 32;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) Math.sin(i);
            x[2 * i + 1] = (float) Math.cos(i);
            y[i] = x[2 * i] - x[2 * i + 1];
        }
        Sequential m = model();
        // A threshold no gradient is below turns every check into a warning, which shows when checks happen.
        List<TrainingWarning> seen = new ArrayList<>();
        TrainingMonitor monitor = new TrainingMonitor().vanishingBelow(1e30).checkEvery(3).onWarning(seen::add);
        Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(8).batchSize(8).seed(1)
                .listener(monitor).build().fit(Dataset.regression("lines", x, new int[] {2}, y, 1));
        // 4 steps per epoch. Steps 1-20 are all checked, then 21, 24, 27, 30; a warning is kept once per
        // epoch and layer, so the first check of each epoch shows: 1, 5, 9, 13, 17, 21, 27, 30.
        List<Long> steps = seen.stream().filter(w -> w.kind() == Kind.VANISHING_GRADIENT).map(TrainingWarning::step)
                .distinct().toList();
        assertEquals(List.of(1L, 5L, 9L, 13L, 17L, 21L, 27L, 30L), steps);
    }

    /**
     * A monitor given to two fits reports the second run as it reported the first: the first run's
     * once-per-epoch record kept the second from warning in its epoch 0, and its warnings stayed in
     * {@link TrainingMonitor#warnings()}.
     */
    @Test
    void aSecondFitWithTheSameMonitorStartsAfresh() {
        int n = 8;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) Math.sin(i);
            x[2 * i + 1] = (float) Math.cos(i);
            y[i] = x[2 * i] - x[2 * i + 1];
        }
        Dataset data = Dataset.regression("lines", x, new int[] {2}, y, 1);
        Sequential m = model();
        List<TrainingWarning> seen = new ArrayList<>();
        TrainingMonitor monitor = new TrainingMonitor().vanishingBelow(1e30).onWarning(seen::add);
        Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(1).batchSize(8).seed(1)
                .listener(monitor).build().fit(data);
        List<TrainingWarning> first = List.copyOf(seen);
        assertEquals(2, first.size(), first.toString());   // layers 0 and 2 at step 1
        seen.clear();
        Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(0.01)).epochs(1).batchSize(8).seed(1)
                .listener(monitor).build().fit(data);
        assertEquals(first.stream().map(TrainingWarning::layer).toList(),
                seen.stream().map(TrainingWarning::layer).toList(), "the second run warns as the first did");
        assertEquals(seen, monitor.warnings(), "only the second run's warnings");
    }
}
