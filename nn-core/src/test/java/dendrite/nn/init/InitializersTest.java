package dendrite.nn.init;

import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializersTest {
    private final Backend be = TestBackend.get();

    private float[] draw(Initializer init, int fanIn, int fanOut) {
        Tensor w = be.zeros(fanOut, fanIn);
        init.initialize(be, w, fanIn, fanOut, 17);
        return w.toArray();
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void normalInitializersHaveTheirStandardDeviation() {
        assertEquals(Math.sqrt(2.0 / 200), std(draw(Initializers.heNormal(), 200, 100)), 0.03 * Math.sqrt(2.0 / 200));
        assertEquals(Math.sqrt(2.0 / 300), std(draw(Initializers.xavierNormal(), 200, 100)), 0.03 * Math.sqrt(2.0 / 300));
        assertEquals(Math.sqrt(1.0 / 200), std(draw(Initializers.lecunNormal(), 200, 100)), 0.03 * Math.sqrt(1.0 / 200));
    }

    @Test
    void uniformInitializersStayWithinTheirBoundAndFillIt() {
        double bound = Math.sqrt(6.0 / 300);
        float[] v = draw(Initializers.xavierUniform(), 200, 100);
        float max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound);
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max > 0.99 * bound, "max " + max);
        assertEquals(bound / Math.sqrt(3), std(v), 0.03 * bound);   // U(-b, b) has std b / sqrt 3
    }

    @Test
    void constantsAndNames() {
        assertArrayEquals(new float[6], draw(Initializers.zeros(), 3, 2));
        assertArrayEquals(new float[] {0.5f, 0.5f}, draw(Initializers.constant(0.5f), 1, 2));
        for (String n : new String[] {"xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_uniform",
                "lecun_normal", "zeros", "constant:0.25"}) {
            assertEquals(n, Initializers.byName(n).name());
        }
        assertThrows(IllegalArgumentException.class, () -> Initializers.byName("glorious"));
        assertEquals("he_uniform", Initializers.defaultFor("relu").name());
        assertEquals("xavier_uniform", Initializers.defaultFor("tanh").name());
        assertEquals("he_uniform", Initializers.defaultFor("mish").name());
        assertEquals("he_uniform", Initializers.defaultFor("hardswish").name());
    }

    /** A layer before a SELU starts LeCun normal, which SELU's self-normalization assumes; before a ReLU, He. */
    @Test
    void aLayerBeforeASeluStartsLeCunNormal() {
        assertEquals("lecun_normal", Initializers.defaultFor("selu").name());
        dendrite.nn.Sequential m = dendrite.nn.Sequential.builder(3).dense(4).selu().dense(4).relu().dense(2)
                .build(be, 1);
        assertEquals("lecun_normal", m.layer(0).config().get("weight_init"));
        assertEquals("he_uniform", m.layer(2).config().get("weight_init"));
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        assertArrayEquals(draw(Initializers.heUniform(), 30, 20), draw(Initializers.heUniform(), 30, 20));
    }
}
