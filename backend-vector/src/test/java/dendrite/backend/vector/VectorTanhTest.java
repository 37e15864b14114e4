package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorTanh}: within 2 ulp of {@code Math.tanh} on every 61st float where tanh is not flat,
 * odd exactly, the edges exact, the scalar twin equal to the vector passes bit for bit (the kernel's
 * last elements use it), in place and at offsets, and once compiled the kernel allocates nothing.
 */
class VectorTanhTest {
    @Test
    void withinTwoUlpOfTheDoubleReferenceAndOdd() {
        float[] worst = MathKernelChecks.worst(Float.floatToRawIntBits(9.1f), 61,
                (x, y) -> VectorTanh.forward(x.length, x, 0, y, 0), x -> Math.tanh(x));
        assertTrue(worst[0] <= 2f, "tanh: worst error " + worst[0] + " ulp at " + worst[1]);
        float[] x = new float[4096 + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.intBitsToFloat(i * 262_147);                   // positive floats up to about 4e9
        }
        float[] y = new float[x.length];
        float[] minus = new float[x.length];
        VectorTanh.forward(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i++) {
            x[i] = -x[i];
        }
        VectorTanh.forward(x.length, x, 0, minus, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(-y[i]), Float.floatToRawIntBits(minus[i]), "tanh(" + x[i] + ")");
        }
    }

    @Test
    void edgesAreExact() {
        float[] x = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 9.1f, 20f, -20f, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] expected = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 1f, 1f, -1f, 1f, -1f, 1f, -1f, Float.NaN};
        float[] y = new float[x.length];
        VectorTanh.forward(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], y[i], "tanh(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(expected[i]) >>> 31, Float.floatToRawIntBits(y[i]) >>> 31,
                    "the sign of tanh(" + x[i] + ")");
        }
    }

    /** Over several scratch blocks and a tail, each element equals the scalar twin's, bit for bit. */
    @Test
    void theScalarTwinGivesTheVectorPassesBits() {
        int n = 3 * 1024 + 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? Float.intBitsToFloat(i * 1_398_269) : -10f + 20f * i / n;   // all bit patterns, and [-10, 10]
        }
        float[] y = new float[n];
        VectorTanh.forward(n, x, 0, y, 0);
        for (int i = 0; i < n; i++) {
            float expected = VectorTanh.tanh(x[i]);
            if (Float.isNaN(expected)) {                                // a NaN's sign bit means nothing
                assertTrue(Float.isNaN(y[i]), "tanh(NaN)");
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[i]), "tanh(" + x[i] + ")");
            }
        }
    }

    @Test
    void inPlaceAndAtOffsets() {
        int n = 2 * L + 3;
        float[] x = new float[n + 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = -3f + 0.23f * i;
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = VectorTanh.tanh(x[i + 4]);
        }
        VectorTanh.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
        }
    }

    /** Once C2 has compiled it the kernel allocates nothing; rounds run until one allocates nothing. */
    @Test
    void compiledKernelAllocatesNothing() {
        int n = 64 * 256 + 5;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i) * 3;
        }
        float[] y = new float[n];
        assertEquals(0, MathKernelChecks.leastBytes(() -> VectorTanh.forward(n, x, 0, y, 0)),
                "the least allocated by 20 compiled calls, in bytes");
    }
}
