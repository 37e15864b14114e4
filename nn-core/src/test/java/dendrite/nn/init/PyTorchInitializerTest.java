package dendrite.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: {@link Initializers#pytorch()} starts a layer as PyTorch's nn.Linear and nn.Conv2d do:
 * weights and bias uniform in +-1/sqrt(fan in) (so a standard deviation of that bound over sqrt 3),
 * and the model file names it, so a rebuilt model starts the same way.
 */
class PyTorchInitializerTest {
    private final Backend be = TestBackend.get();

    @Test
    void denseAndConvWeightsAndBiasesAreUniformInPlusMinusOneOverRootFanIn() {
        Sequential m = Sequential.builder(1, 12, 12)
                .add(new dendrite.nn.layers.Conv2d(-1, 8, 3, 3, 1, 1, 0, 0, false, 1, 1, 1, true, Initializers.pytorch()))
                .flatten().dense(40, Initializers.pytorch()).build(be, 7);
        Map<String, dendrite.tensor.Tensor> s = m.stateDict();
        check(s.get("0.weight").toArray(), 1 / Math.sqrt(9));            // fan in 1 x 3 x 3
        check(s.get("0.bias").toArray(), 1 / Math.sqrt(9));
        check(s.get("2.weight").toArray(), 1 / Math.sqrt(8 * 10 * 10));  // fan in 800
        check(s.get("2.bias").toArray(), 1 / Math.sqrt(8 * 10 * 10));
        assertEquals("pytorch", m.layers().get(2).config().get("weight_init"), m.layers().get(2).config().toString());
    }

    private static void check(float[] v, double bound) {
        double sum = 0;
        double sumSq = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound, x + " outside +-" + bound);
            sum += x;
            sumSq += (double) x * x;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sumSq / v.length - mean * mean);
        double expected = bound / Math.sqrt(3);
        double tolerance = v.length >= 1000 ? 0.05 : 0.35;      // few values (a bias of 8) spread more
        assertEquals(expected, std, tolerance * expected, "std of " + v.length + " values");
    }
}
