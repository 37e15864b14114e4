package dendrite.nn.optim;

import dendrite.nn.TestBackend;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private final Backend be = TestBackend.get();

    private Map<String, Parameter> params(float[] value, float[] grad) {
        Parameter p = new Parameter("weight", be, Shape.of(value.length));
        p.value().copyFrom(value);
        p.grad().copyFrom(grad);
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("0.weight", p);
        return m;
    }

    /** Settings changed after construction are checked as the constructor checks the rate, and left unchanged. */
    @Test
    void badSettingsAreRefusedNamingThemAndChangeNothing() {
        Optimizer o = new Adam(1e-3);
        IllegalArgumentException lr = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> o.learningRate(-0.1));
        assertEquals("Adam: learning rate must be positive, got -0.1", lr.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> o.learningRate(Double.NaN));
        assertEquals(1e-3, o.learningRate());
        IllegalArgumentException wd = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> o.weightDecay(-1e-4));
        assertEquals("Adam: weight decay must be 0 (off) or a positive number, got -1.0E-4", wd.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> o.clipGradNorm(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> o.clipGradValue(Double.POSITIVE_INFINITY));
        assertEquals(0.0, o.weightDecay());
        o.weightDecay(0).clipGradNorm(0).clipGradValue(0).learningRate(0.5);   // 0 switches off, as documented
        assertEquals(0.5, o.learningRate());
    }

    /** Hyperparameters out of their documented ranges are refused by the constructors, naming them. */
    @Test
    void constructorsRefuseHyperparametersOutOfRange() {
        assertRefused("Adam: learning rate must be positive, got Infinity", () -> new Adam(Double.POSITIVE_INFINITY));
        assertRefused("Adam: beta1 must be in [0, 1), got 1.0", () -> new Adam(0.1, 1.0, 0.999, 1e-8));
        assertRefused("Adam: beta2 must be in [0, 1), got -0.5", () -> new Adam(0.1, 0.9, -0.5, 1e-8));
        assertRefused("Adam: beta1 must be in [0, 1), got NaN", () -> new Adam(0.1, Double.NaN, 0.999, 1e-8));
        assertRefused("Adam: eps must be positive and finite (as a float), got 0.0", () -> new Adam(0.1, 0.9, 0.999, 0));
        assertRefused("Adam: eps must be positive and finite (as a float), got 1.0E-50",
                () -> new Adam(0.1, 0.9, 0.999, 1e-50));
        assertRefused("AdamW: beta2 must be in [0, 1), got 1.5", () -> new AdamW(0.1, 0.9, 1.5, 1e-8, 0.01, false));
        assertRefused("RmsProp: alpha must be in [0, 1), got 1.0", () -> new RmsProp(0.1, 1.0, 1e-8));
        assertRefused("RmsProp: eps must be positive and finite (as a float), got -1.0E-8",
                () -> new RmsProp(0.1, 0.99, -1e-8));
        assertRefused("Adagrad: eps must be positive and finite (as a float), got NaN", () -> new Adagrad(0.1, Double.NaN));
        assertRefused("Sgd: momentum must be 0 (off) or a positive number, got -0.9", () -> new Sgd(0.1, -0.9, false));
        assertRefused("Sgd: momentum must be 0 (off) or a positive number, got NaN", () -> new Sgd(0.1, Double.NaN, false));
        assertRefused("Sgd: dampening must be in [0, 1], got 1.5", () -> new Sgd(0.1, 0.9, 1.5, false));
        new Adam(0.1, 0, 0, 1e-8);   // the ends that are in range
        new Sgd(0.1, 0.9, 1.0, false);
    }

    /** A null schedule or a negative step count is refused when set, not found later in a step. */
    @Test
    void settersRefuseNullAndNegativeValuesAndChangeNothing() {
        Optimizer o = new Adam(0.1).schedule(Schedules.exponential(0.5));
        assertRefused("Adam: schedule is null; Schedules.constant() is the schedule of no change", () -> o.schedule(null));
        assertEquals(Schedules.exponential(0.5).toString(), o.schedule().toString());
        o.setStepCount(7);
        assertRefused("Adam: step count must be at least 0, got -1", () -> o.setStepCount(-1));
        assertRefused("Adam: epoch must be at least 0, got -2", () -> o.setEpoch(-2));
        assertEquals(7, o.stepCount());
        assertEquals(0, o.epoch());
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call)
                .getMessage());
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        Map<String, Parameter> p = params(new float[] {1, 2}, new float[] {0.5f, -1});
        new Sgd(0.1).step(p);
        assertArrayEquals(new float[] {0.95f, 2.1f}, p.get("0.weight").value().toArray(), 1e-6f);
    }

    @Test
    void clippingByGlobalNormKeepsTheDirection() {
        Map<String, Parameter> p = params(new float[] {0, 0}, new float[] {3, 4});   // norm 5
        new Sgd(1).clipGradNorm(1).step(p);
        assertArrayEquals(new float[] {-0.6f, -0.8f}, p.get("0.weight").value().toArray(), 1e-5f);
    }

    @Test
    void clippingByValueClampsEachGradient() {
        Map<String, Parameter> p = params(new float[] {0, 0}, new float[] {3, -0.5f});
        new Sgd(1).clipGradValue(1).step(p);
        assertArrayEquals(new float[] {-1f, 0.5f}, p.get("0.weight").value().toArray(), 1e-6f);
    }

    @Test
    void adamsFirstStepIsLrTimesTheGradientSign() {
        Map<String, Parameter> p = params(new float[] {1, 1}, new float[] {0.3f, -20f});
        Adam adam = new Adam(0.01);
        adam.step(p);
        assertArrayEquals(new float[] {0.99f, 1.01f}, p.get("0.weight").value().toArray(), 1e-6f);
        assertEquals(List.of("0.weight.exp_avg", "0.weight.exp_avg_sq"), List.copyOf(adam.state().keySet()));
        assertEquals(1, adam.stepCount());
    }

    @Test
    void stateNamesFollowPyTorch() {
        Map<String, Parameter> p = params(new float[] {1}, new float[] {1});
        Optimizer[] opts = {new Sgd(0.1, 0.9, true), new RmsProp(0.1), new Adagrad(0.1), new AdamW(0.1)};
        String[] slots = {"momentum_buffer", "square_avg", "sum", "exp_avg"};
        for (int i = 0; i < opts.length; i++) {
            opts[i].step(p);
            assertEquals("0.weight." + slots[i], opts[i].state().keySet().iterator().next());
        }
    }

    /**
     * State is kept by name: a parameter set of as many parameters under other names (other layers
     * unfrozen, say) gets state of its own, and a name seen before with another shape (another model)
     * is refused naming it, before anything changes.
     */
    @Test
    void stateFollowsTheNamesNotTheCountOfTheParameters() {
        Sgd sgd = new Sgd(0.1, 0.9, false);
        sgd.step(params(new float[] {1, 1}, new float[] {1, 1}));
        Parameter other = new Parameter("weight", be, Shape.of(3));
        other.grad().copyFrom(new float[] {1, 1, 1});
        Map<String, Parameter> renamed = Map.of("1.weight", other);
        sgd.step(renamed);   // as many parameters, another name: no state was made for it before
        assertArrayEquals(new float[] {-0.1f, -0.1f, -0.1f}, other.value().toArray(), 1e-6f);
        assertEquals(List.of("0.weight.momentum_buffer", "1.weight.momentum_buffer"), List.copyOf(sgd.state().keySet()));

        Parameter wider = new Parameter("weight", be, Shape.of(5));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sgd.step(Map.of("0.weight", wider)));
        assertEquals("Sgd: parameter '0.weight' has shape [5], but this optimizer's state for it has shape [2]"
                + " (state of another model?); use a new optimizer", e.getMessage());
        assertEquals(2, sgd.stepCount(), "the refused step is not counted");
        assertArrayEquals(new float[5], wider.value().toArray());
    }

    /** A model with no trainable parameters (all frozen) steps without error, clipped or not. */
    @Test
    void clippingNoParametersDoesNothing() {
        Optimizer sgd = new Sgd(0.1).clipGradNorm(1.0).clipGradValue(0.5);
        sgd.step(Map.of());
        assertEquals(1, sgd.stepCount());
        assertEquals(Map.of(), sgd.state());
    }

    /**
     * Clipping a set of another size makes a new tensor of squared norms; the old one is freed then,
     * not left for the garbage collector (device memory on a device backend).
     */
    @Test
    void clippingAnotherNumberOfParametersFreesTheOldNormsTensor() throws ReflectiveOperationException {
        Optimizer sgd = new Sgd(0.1).clipGradNorm(1.0);
        Map<String, Parameter> one = params(new float[] {1, 1}, new float[] {1, 1});
        sgd.step(one);
        java.lang.reflect.Field norms = Optimizer.class.getDeclaredField("squaredNorms");
        norms.setAccessible(true);
        Tensor first = (Tensor) norms.get(sgd);
        Map<String, Parameter> two = new LinkedHashMap<>(one);
        Parameter bias = new Parameter("bias", be, Shape.of(1));
        bias.grad().copyFrom(new float[] {1});
        two.put("0.bias", bias);
        sgd.step(two);
        assertFalse(first.isAlive(), "the norms tensor of one parameter is freed");
        assertTrue(((Tensor) norms.get(sgd)).isAlive());
    }

    /** An update that asks for more working tensors than before gets them, the ones it had kept. */
    @Test
    void scratchGrowsWhenMoreWorkingTensorsAreAsked() {
        Parameter p = new Parameter("weight", be, Shape.of(2));
        Optimizer o = new Sgd(0.1);
        Tensor[] one = o.scratch(be, p, 1);
        Tensor[] three = o.scratch(be, p, 3);
        assertEquals(3, three.length);
        assertSame(one[0], three[0]);
        assertEquals(Shape.of(2), three[2].shape());
        assertSame(three, o.scratch(be, p, 2), "fewer than it has: the same tensors");
        assertRefused("Sgd: scratch tensors: count must be at least 0, got -1", () -> o.scratch(be, p, -1));
    }

    @Test
    void schedules() {
        assertEquals(0.1 * 0.5 * 0.5, Schedules.stepDecay(3, 0.5).rate(0.1, 0, 7), 1e-12);
        assertEquals(0.1 * 0.9 * 0.9, Schedules.exponential(0.9).rate(0.1, 0, 2), 1e-12);
        LearningRateSchedule cos = Schedules.cosine(10, 110, 0.0);
        assertEquals(0.01, cos.rate(0.1, 0, 0), 1e-12);       // warm-up: 1/10 of the way
        assertEquals(0.1, cos.rate(0.1, 10, 0), 1e-12);       // peak
        assertEquals(0.05, cos.rate(0.1, 60, 0), 1e-12);      // halfway down
        assertEquals(0.0, cos.rate(0.1, 110, 0), 1e-12);
        LearningRateSchedule plateau = Schedules.reduceOnPlateau(0.5, 1, 0, 1e-6);
        plateau.onEpochEnd(0, 1.0);
        plateau.onEpochEnd(1, 1.0);
        assertEquals(0.1, plateau.rate(0.1, 0, 2), 1e-12);   // one bad epoch: within patience
        plateau.onEpochEnd(2, 1.0);
        assertEquals(0.05, plateau.rate(0.1, 0, 3), 1e-12);
    }
}
