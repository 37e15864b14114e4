package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import org.junit.jupiter.api.Test;

/** oneHot, gatherRows and the counter-based random kernels. */
class ScalarRowsAndRandomTest {
    private final Backend be = Backend.of(new ScalarKernels());

    @Test
    void oneHotWithLabelSmoothing() {
        Tensor out = be.zeros(3, 3);
        be.oneHot(be.tensor(new float[] {2, 0, 1}, 3), 0.9f, 0.05f, out);
        assertArrayEquals(new float[] {0.05f, 0.05f, 0.9f, 0.9f, 0.05f, 0.05f, 0.05f, 0.9f, 0.05f}, out.toArray());
    }

    @Test
    void oneHotRejectsALabelOutOfRangeAndNamesIt() {
        Tensor out = be.full(-1f, 2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.oneHot(be.tensor(new float[] {1, 3}, 2), 1f, 0f, out));
        assertTrue(e.getMessage().contains("oneHot") && e.getMessage().contains("label 3"), e.getMessage());
        // Checked before anything is written.
        assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1}, out.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.oneHot(be.tensor(new float[] {-1, 0}, 2), 1f, 0f, out));
        assertThrows(IllegalArgumentException.class,
                () -> be.oneHot(be.tensor(new float[] {Float.NaN, 0}, 2), 1f, 0f, out));
        assertThrows(IllegalArgumentException.class, () -> be.oneHot(be.tensor(new float[] {0.5f, 0}, 2), 1f, 0f, out));
    }

    @Test
    void gatherRowsFollowsTheIndicesFromAnOffset() {
        Tensor src = be.tensor(new float[] {0, 0, 1, 1, 2, 2, 3, 3}, 4, 2);
        Tensor out = be.zeros(2, 2);
        be.gatherRows(src, new int[] {3, 1, 0, 2}, 1, out);
        assertArrayEquals(new float[] {1, 1, 0, 0}, out.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.gatherRows(src, new int[] {0, 4}, 0, out));
    }

    @Test
    void randomUniformIsTheCounterGeneratorScaled() {
        Tensor out = be.zeros(2, 3);
        be.randomUniform(42L, -1f, 1f, out);
        float[] v = out.toArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(-1f + 2f * CounterRandom.uniform(42L, i), v[i]);
            assertTrue(v[i] >= -1f && v[i] < 1f);
        }
    }

    @Test
    void randomIndicesCountFromZeroOverTheOutputEvenForAView() {
        Tensor whole = be.zeros(4);
        Tensor view = be.zeros(6).rows(2, 6);
        be.randomNormal(7L, 1f, 2f, whole);
        be.randomNormal(7L, 1f, 2f, view);
        assertArrayEquals(whole.toArray(), view.toArray());
        assertEquals(1f + 2f * CounterRandom.normal(7L, 3), whole.toArray()[3]);
    }

    @Test
    void bernoulliMaskKeepsWithProbabilityKeep() {
        Tensor out = be.zeros(1000);
        be.bernoulliMask(3L, 0.8f, 1.25f, out);
        float[] v = out.toArray();
        int kept = 0;
        for (int i = 0; i < v.length; i++) {
            assertEquals(CounterRandom.uniform(3L, i) < 0.8f ? 1.25f : 0f, v[i]);
            kept += v[i] != 0f ? 1 : 0;
        }
        // 1000 draws of p = 0.8: mean 800, standard deviation 12.6
        assertTrue(kept > 740 && kept < 860, "kept " + kept);
        assertThrows(IllegalArgumentException.class, () -> be.bernoulliMask(3L, 1.5f, 1f, out));
    }
}
