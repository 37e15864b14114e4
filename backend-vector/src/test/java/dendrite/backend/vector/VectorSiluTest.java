package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.L;
import static dendrite.backend.vector.MathKernelChecks.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorSilu}: SiLU within 3 ulp of the double-precision formula on every 61st float in
 * [-80, 80] (below about -88 e^-x overflows in float, as in PyTorch's float kernel, and y is -0 where
 * the exact value is still a tiny normal float), its derivative within three float roundings of
 * {@code s (1 + |x|)} (it crosses zero near x = -1.28, where no formula keeps a relative precision),
 * the ends exact, the scalar twins equal to the vector passes bit for bit, in place and at offsets,
 * and once compiled the kernels allocate nothing.
 */
class VectorSiluTest {
    private static final int LAST_BITS = Float.floatToRawIntBits(80f);

    @Test
    void siluIsWithinThreeUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(LAST_BITS, 61, (x, y) -> VectorSilu.forward(x.length, x, 0, y, 0),
                x -> x / (1 + Math.exp(-x)));
        assertTrue(worst[0] <= 3f, "silu: worst error " + worst[0] + " ulp at " + worst[1]);
    }

    /**
     * {@code s (1 + x (1 - s))} against the double formula, the error measured in float epsilons of
     * {@code s (1 + |x|)}: s is rounded to float, and x multiplies that rounding (for x above 16, s
     * rounds to 1 and the float derivative is 1 where the exact one is 1 + x e^-x, as in PyTorch's
     * float kernel).
     */
    @Test
    void derivativeIsWithinAFewRoundingsOfSigmoidTimesX() {
        int n = 2 * (LAST_BITS / 61 + 1);
        float[] x = new float[n];
        for (int i = 0; i < n / 2; i++) {
            x[2 * i] = Float.intBitsToFloat(i * 61);
            x[2 * i + 1] = -x[2 * i];
        }
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[n];
        VectorSilu.backward(n, x, 0, ones, 0, d, 0);
        double worst = 0;
        float at = Float.NaN;
        for (int i = 0; i < n; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            double exact = s * (1 + x[i] * (1 - s));
            double terms = s * (1 + Math.abs(x[i]));
            double err = Math.abs(d[i] - exact) / (Math.ulp(1f) * terms + Float.MIN_NORMAL);
            if (err > worst) {
                worst = err;
                at = x[i];
            }
        }
        assertTrue(worst <= 3, "silu': worst error " + worst + " epsilons of s (1 + |x|) at x = " + at);
    }

    @Test
    void endsAreExact() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {0f, -0f, -200f, 200f, Float.MAX_VALUE, inf, -inf, Float.NaN};
        float[] y = new float[x.length];
        VectorSilu.forward(x.length, x, 0, y, 0);
        float[] expected = {0f, -0f, -0f, 200f, Float.MAX_VALUE, inf, Float.NaN, Float.NaN};
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[x.length];
        VectorSilu.backward(x.length, x, 0, ones, 0, d, 0);
        float[] dExpected = {0.5f, 0.5f, -0f, 1f, 1f, Float.NaN, Float.NaN, Float.NaN};
        for (int i = 0; i < x.length; i++) {
            assertSameBits(expected[i], y[i], "silu(" + x[i] + ")");
            assertSameBits(dExpected[i], d[i], "silu' at " + x[i]);
        }
    }

    /** Over several scratch blocks and a tail, each element equals the scalar twins', bit for bit. */
    @Test
    void theScalarTwinsGiveTheVectorPassesBits() {
        int n = 3 * 1024 + 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? Float.intBitsToFloat(i * 1_398_269) : -30f + 60f * i / n;   // all bit patterns, and [-30, 30]
        }
        float[] y = new float[n];
        float[] dy = new float[n];
        java.util.Arrays.fill(dy, 1f);
        float[] d = new float[n];
        VectorSilu.forward(n, x, 0, y, 0);
        VectorSilu.backward(n, x, 0, dy, 0, d, 0);
        for (int i = 0; i < n; i++) {
            assertSameBits(VectorSilu.silu(x[i]), y[i], "silu(" + x[i] + ")");
            assertSameBits(VectorSilu.derivative(x[i]), d[i], "silu' at " + x[i]);
        }
    }

    /** Forward in place (out is x) and backward into dy (dx is dy), from offsets, as the kernels allow. */
    @Test
    void inPlaceAndAtOffsets() {
        int n = 2 * L + 3;
        float[] x = new float[n + 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = -5f + 0.37f * i;
        }
        float[] expected = new float[n];
        float[] expectedD = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = VectorSilu.silu(x[i + 4]);
            expectedD[i] = 2f * VectorSilu.derivative(x[i + 4]);
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorSilu.backward(n, x, 4, g, 1, g, 1);
        VectorSilu.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorSilu.forward(n, x, 0, y, 0);
            VectorSilu.backward(n, x, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
