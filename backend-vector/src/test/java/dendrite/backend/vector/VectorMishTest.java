package dendrite.backend.vector;

import static dendrite.backend.vector.MathKernelChecks.assertSameBits;
import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorMish}: Mish within 4.5 ulp of the double-precision {@code x tanh(softplus(x))} on every
 * 61st float in [-87, 87] (exp's error and four roundings; below -87, e^x is a subnormal float, as in
 * PyTorch's float kernel, and y keeps only its few bits), its derivative within 3 float roundings of
 * {@code q + |x s (1 - q^2)|} (it crosses zero near x = -1.19, where no formula keeps a relative
 * precision), the ends exact, the scalar twins equal to the vector passes bit for bit, in place and at
 * offsets, and once compiled the kernels allocate nothing.
 */
class VectorMishTest {
    private static final int LAST_BITS = Float.floatToRawIntBits(87f);

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Test
    void mishIsWithinFourAndAHalfUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(LAST_BITS, 61, (x, y) -> VectorMish.forward(x.length, x, 0, y, 0),
                x -> x * Math.tanh(softplus(x)));
        assertTrue(worst[0] <= 4.5f, "mish: worst error " + worst[0] + " ulp at " + worst[1]);
    }

    /**
     * {@code q + x s (1 - q^2)} against the double formula, the error measured in float epsilons of
     * {@code q + |x s (1 - q^2)|}, the terms' magnitudes: each is rounded to float before the sum.
     */
    @Test
    void derivativeIsWithinAFewRoundingsOfItsTerms() {
        int n = 2 * (LAST_BITS / 61 + 1);
        float[] x = new float[n];
        for (int i = 0; i < n / 2; i++) {
            x[2 * i] = Float.intBitsToFloat(i * 61);
            x[2 * i + 1] = -x[2 * i];
        }
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[n];
        VectorMish.backward(n, x, 0, ones, 0, d, 0);
        double worst = 0;
        float at = Float.NaN;
        for (int i = 0; i < n; i++) {
            double q = Math.tanh(softplus(x[i]));
            double slope = x[i] / (1 + Math.exp(-x[i])) * (1 - q * q);
            double err = Math.abs(d[i] - (q + slope)) / (Math.ulp(1f) * (q + Math.abs(slope)) + Float.MIN_NORMAL);
            if (err > worst) {
                worst = err;
                at = x[i];
            }
        }
        assertTrue(worst <= 3, "mish': worst error " + worst + " epsilons of its terms at x = " + at);
    }

    @Test
    void endsAreExact() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {0f, -0f, -200f, 200f, Float.MAX_VALUE, inf, -inf, Float.NaN};
        float[] y = new float[x.length];
        VectorMish.forward(x.length, x, 0, y, 0);
        float[] expected = {0f, -0f, -0f, 200f, Float.MAX_VALUE, inf, Float.NaN, Float.NaN};
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[x.length];
        VectorMish.backward(x.length, x, 0, ones, 0, d, 0);
        float[] dExpected = {0.6f, 0.6f, 0f, 1f, 1f, Float.NaN, Float.NaN, Float.NaN};
        for (int i = 0; i < x.length; i++) {
            assertSameBits(expected[i], y[i], "mish(" + x[i] + ")");
            assertSameBits(dExpected[i], d[i], "mish' at " + x[i]);
        }
    }

    /** Over several scratch blocks and a tail, each element equals the scalar twins', bit for bit. */
    @Test
    void theScalarTwinsGiveTheVectorPassesBits() {
        int n = 3 * 1024 + 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? Float.intBitsToFloat(i * 1_398_269) : -30f + 60f * i / n;  // any bits, and [-30, 30]
        }
        float[] y = new float[n];
        float[] dy = new float[n];
        java.util.Arrays.fill(dy, 1f);
        float[] d = new float[n];
        VectorMish.forward(n, x, 0, y, 0);
        VectorMish.backward(n, x, 0, dy, 0, d, 0);
        for (int i = 0; i < n; i++) {
            assertSameBits(VectorMish.mish(x[i]), y[i], "mish(" + x[i] + ")");
            assertSameBits(VectorMish.derivative(x[i]), d[i], "mish' at " + x[i]);
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
            expected[i] = VectorMish.mish(x[i + 4]);
            expectedD[i] = 2f * VectorMish.derivative(x[i + 4]);
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorMish.backward(n, x, 4, g, 1, g, 1);
        VectorMish.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorMish.forward(n, x, 0, y, 0);
            VectorMish.backward(n, x, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
