package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SyntheticTest {

    static Stream<Arguments> generators() {
        return Stream.of(
                Arguments.of("xor", (LongFunction<Dataset>) s -> Synthetic.xor(101, 0.1, s), 101, 2),
                Arguments.of("moons", (LongFunction<Dataset>) s -> Synthetic.twoMoons(101, 0.1, s), 101, 2),
                Arguments.of("circles", (LongFunction<Dataset>) s -> Synthetic.circles(101, 0.05, 0.5, s), 101, 2),
                Arguments.of("spirals", (LongFunction<Dataset>) s -> Synthetic.spirals(40, 4, 0.2, s), 160, 4),
                Arguments.of("sine", (LongFunction<Dataset>) s -> Synthetic.regressionCurve(101, 0.1, s), 101, 0),
                Arguments.of("server-load", (LongFunction<Dataset>) s -> Synthetic.serverLoad(101, 2.5, s), 101, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generators")
    void sameSeedSameData_otherSeedOtherData(String name, LongFunction<Dataset> make, int size, int classes) {
        Dataset a = make.apply(7);
        Dataset b = make.apply(7);
        Dataset c = make.apply(8);
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.targets(), b.targets());
        assertFalse(java.util.Arrays.equals(a.features(), c.features()), name + " ignores its seed");
        assertEquals(size, a.size());
        assertEquals(classes, a.numClasses());
        for (float v : a.features()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void classicXorIsTheFourCorners() {
        Dataset d = Synthetic.xor();
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, d.features());
        assertArrayEquals(new int[] {0, 1, 1, 0}, d.labels());
    }

    @Test
    void noiselessXorLabelsFollowTheQuadrants() {
        Dataset d = Synthetic.xor(200, 0, 3);
        float[] x = d.features();
        for (int i = 0; i < d.size(); i++) {
            assertEquals((x[2 * i] > 0) != (x[2 * i + 1] > 0) ? 1 : 0, d.label(i));
        }
    }

    @Test
    void noiselessCirclesHaveTheirRadii() {
        Dataset d = Synthetic.circles(50, 0, 0.3, 1);
        float[] x = d.features();
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(x[2 * i], x[2 * i + 1]);
            assertEquals(d.label(i) == 0 ? 1.0 : 0.3, r, 1e-6);
        }
        assertArrayEquals(new int[] {25, 25}, d.classCounts());
    }

    @Test
    void noiselessMoonsLieOnTheirArcs() {
        Dataset d = Synthetic.twoMoons(41, 0, 1);
        float[] x = d.features();
        for (int i = 0; i < d.size(); i++) {
            double cx = d.label(i) == 0 ? 0 : 1;
            double cy = d.label(i) == 0 ? 0 : 0.5;
            assertEquals(1.0, Math.hypot(x[2 * i] - cx, x[2 * i + 1] - cy), 1e-6);
        }
        assertArrayEquals(new int[] {20, 21}, d.classCounts());
    }

    @Test
    void spiralsAreBalancedAndWithinTheUnitDisc() {
        Dataset d = Synthetic.spirals(100, 3, 0.2, 5);
        assertArrayEquals(new int[] {100, 100, 100}, d.classCounts());
        float[] x = d.features();
        for (int i = 0; i < d.size(); i++) {
            assertTrue(Math.hypot(x[2 * i], x[2 * i + 1]) <= 1 + 1e-6);
        }
    }

    @Test
    void noiselessCurveIsTheSine() {
        Dataset d = Synthetic.regressionCurve(30, 0, 2);
        for (int i = 0; i < d.size(); i++) {
            assertEquals(Math.sin(d.features()[i]), d.targets()[i], 1e-6);
        }
    }

    @Test
    void noiselessServerLoadFollowsItsFormulaWithinTheMetricsRanges() {
        Dataset d = Synthetic.serverLoad(500, 0, 3);
        float[] x = d.features();
        double max = 0;
        for (int i = 0; i < d.size(); i++) {
            float cpu = x[4 * i];
            float memory = x[4 * i + 1];
            float network = x[4 * i + 2];
            float connections = x[4 * i + 3];
            assertTrue(cpu >= 5 && cpu <= 100 && memory >= 10 && memory <= 95 && network >= 10 && network <= 1000
                    && connections >= 1 && connections < 500 && connections == Math.rint(connections), "row " + i);
            assertEquals(Synthetic.serverLoad(cpu, memory, network, connections), d.targets()[i], 0.005 + 1e-4);
            max = Math.max(max, d.targets()[i]);
        }
        assertTrue(max > 100, "the knees above 70 % CPU and 85 % memory push the load past capacity: " + max);
        assertEquals(Synthetic.SERVER_LOAD_COLUMNS.size(), d.sampleSize() + d.targetSize());
    }

    @Test
    void shuffledSoThatClassesAreMixed() {
        Dataset d = Synthetic.twoMoons(200, 0.1, 9);
        assertTrue(d.head(100).classCounts()[1] > 20, "the first half should not be all one class");
    }

    @Test
    void byNameKnowsTheListedNamesAndRefusesOthers() {
        for (String name : Synthetic.NAMES) {
            assertTrue(Synthetic.byName(name, 1).size() > 0);
        }
        assertEquals(5, Synthetic.byName("spirals:5", 1).numClasses());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Synthetic.byName("swirls", 1));
        assertTrue(e.getMessage().contains("moons"), e.getMessage());
    }
}
