package dendrite.nn.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    private static final Backend BE = Backends.get("scalar");

    /**
     * Dense(2 -> 4) with rows (1,0), (-1,0), (0,1), (0,-1) and no bias, then ReLU: for positive
     * inputs units 1 and 3 are always 0 (dead). Then Dense(4 -> 2) with a weight of 10 on unit 0
     * only, then a sigmoid: output 0 is pushed into saturation, output 1 stays at sigmoid(0) = 0.5.
     */
    static Sequential handBuilt() {
        Sequential m = Sequential.builder(2).dense(4).relu().dense(2).sigmoid().build(BE, 1);
        m.loadStateDict(Map.of(
                "0.weight", new float[] {1, 0, -1, 0, 0, 1, 0, -1},
                "0.bias", new float[4],
                "2.weight", new float[] {10, 0, 0, 0, 0, 0, 0, 0},
                "2.bias", new float[2]));
        return m;
    }

    @Test
    void activationStatisticsMatchTheHandComputedValues() {
        Sequential m = handBuilt();
        List<ActivationStats> stats;
        try (Tensor x = BE.tensor(new float[] {1, 2, 3, 1}, 2, 2)) {
            stats = Diagnostics.activations(m, x);
        }
        assertEquals(4, stats.size());

        ActivationStats dense = stats.get(0);   // [1, -1, 2, -2], [3, -3, 1, -1]
        assertEquals("dense", dense.type());
        assertEquals(Shape.of(2, 4), dense.shape());
        assertEquals(0, dense.mean(), 1e-12);
        assertEquals(Math.sqrt(30 / 8.0), dense.std(), 1e-9);
        assertEquals(-3, dense.min());
        assertEquals(3, dense.max());
        assertTrue(Double.isNaN(dense.deadFraction()));
        assertTrue(Double.isNaN(dense.saturatedFraction()));

        ActivationStats relu = stats.get(1);    // [1, 0, 2, 0], [3, 0, 1, 0]
        assertEquals(0.875, relu.mean(), 1e-12);
        assertEquals(Math.sqrt(15 / 8.0 - 0.875 * 0.875), relu.std(), 1e-9);
        assertEquals(0.5, relu.deadFraction(), "units 1 and 3 are zero for every sample");
        assertTrue(Double.isNaN(relu.saturatedFraction()));

        ActivationStats sigmoid = stats.get(3); // sigmoid([10, 0]) and sigmoid([30, 0])
        assertEquals(0.5, sigmoid.saturatedFraction(), "output 0 saturated in both samples, output 1 never");
        assertTrue(Double.isNaN(sigmoid.deadFraction()));
        assertEquals(0, sigmoid.nonFinite());
        assertTrue(Diagnostics.report(stats, List.of()).contains("dead 50.0%"));
    }

    /** A Dense with a fused ReLU has dead units as a Dense followed by a ReLU layer has (units 1 and 3 here). */
    @Test
    void aDenseWithAFusedReluCountsItsDeadUnits() {
        Sequential m = Sequential.builder(2).dense(4, Activation.RELU).build(BE, 1);
        m.loadStateDict(Map.of("0.weight", new float[] {1, 0, -1, 0, 0, 1, 0, -1}, "0.bias", new float[4]));
        try (Tensor x = BE.tensor(new float[] {1, 2, 3, 1}, 2, 2)) {
            ActivationStats fused = Diagnostics.activations(m, x).get(0);
            assertEquals(0.5, fused.deadFraction(), "units 1 and 3 are zero for every sample");
            assertTrue(Double.isNaN(fused.saturatedFraction()));
        }
    }

    @Test
    void aReluUnitAliveForOneSampleIsNotDead() {
        Sequential m = handBuilt();
        try (Tensor x = BE.tensor(new float[] {1, 2, -3, 1}, 2, 2)) {   // the second sample turns unit 1 on
            assertEquals(0.25, Diagnostics.activations(m, x).get(1).deadFraction());
        }
    }

    @Test
    void tanhSaturationCountsValuesNearPlusOrMinusOne() {
        Sequential m = Sequential.builder(2).dense(2).tanh().build(BE, 1);
        m.loadStateDict(Map.of("0.weight", new float[] {5, 0, 0, 0.1f}, "0.bias", new float[2]));
        try (Tensor x = BE.tensor(new float[] {1, 1, -1, 1}, 2, 2)) {   // tanh(±5) = ±0.99991, tanh(0.1) = 0.0997
            assertEquals(0.5, Diagnostics.activations(m, x).get(1).saturatedFraction());
        }
    }

    @Test
    void gradientNormsAreThoseOfEachLayersGradients() {
        Sequential m = handBuilt();
        m.namedParameters().get("0.weight").grad().copyFrom(new float[] {3, 0, 0, 0, 0, 0, 0, -4});
        m.namedParameters().get("0.bias").grad().copyFrom(new float[4]);
        m.namedParameters().get("2.weight").grad().copyFrom(new float[8]);
        m.namedParameters().get("2.bias").grad().copyFrom(new float[] {0, 12});

        List<GradientStats> g = Diagnostics.gradients(m);
        assertEquals(2, g.size(), "only layers with parameters");
        assertEquals(0, g.get(0).layer());
        assertEquals(5, g.get(0).norm(), 1e-12);
        assertEquals(4, g.get(0).maxAbs());
        assertEquals(12, g.get(0).weights());
        assertEquals(2, g.get(1).layer());
        assertEquals(12, g.get(1).norm(), 1e-12);
        assertEquals(13, Diagnostics.globalGradientNorm(m), 1e-12);
    }

    @Test
    void aNanGradientGivesANanNorm() {
        Sequential m = handBuilt();
        m.namedParameters().get("2.bias").grad().copyFrom(new float[] {Float.NaN, 1});
        assertTrue(Double.isNaN(Diagnostics.gradients(m).get(1).norm()));
        assertTrue(Double.isNaN(Diagnostics.gradients(m).get(1).maxAbs()));
    }
}
