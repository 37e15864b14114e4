package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.L;
import static dendrite.backend.vector.MathKernelChecks.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorSoftplus}: softplus and its derivative (from the output) within 2 ulp of backend-scalar's
 * double-precision formulas on every 61st float up to 100, the edges exact, the scalar twins equal to
 * the vector passes bit for bit, in place and at offsets, and once compiled the kernels allocate
 * nothing.
 */
class VectorSoftplusTest {
    @Test
    void softplusIsWithinTwoUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(Float.floatToRawIntBits(100f), 61,
                (x, y) -> VectorSoftplus.forward(x.length, x, 0, y, 0),
                x -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))));
        assertTrue(worst[0] <= 2f, "softplus: worst error " + worst[0] + " ulp at " + worst[1]);
    }

    /** The derivative from y = softplus(x) >= 0: sigmoid(x) = 1 - e^-y, the reference -expm1(-y). */
    @Test
    void derivativeIsWithinTwoUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(Float.floatToRawIntBits(100f), 61, (y, d) -> {
            float[] ones = new float[y.length];
            java.util.Arrays.fill(ones, 1f);
            float[] abs = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                abs[i] = Math.abs(y[i]);
            }
            VectorSoftplus.backward(y.length, abs, 0, ones, 0, d, 0);
        }, y -> -Math.expm1(-Math.abs(y)));
        assertTrue(worst[0] <= 2f, "softplus': worst error " + worst[0] + " ulp at y = " + worst[1]);
    }

    @Test
    void edgesAreExact() {
        float[] x = {0f, -0f, -200f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MAX_VALUE, Float.NaN};
        float[] expected = {(float) Math.log(2), (float) Math.log(2), 0f, 0f, Float.POSITIVE_INFINITY, Float.MAX_VALUE,
            Float.NaN};
        float[] y = new float[x.length];
        VectorSoftplus.forward(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], y[i], "softplus(" + x[i] + ")");
        }
        float[] ys = {0f, 1e-30f, Float.MIN_VALUE, 200f, Float.POSITIVE_INFINITY, Float.NaN};
        float[] dExpected = {0f, 1e-30f, Float.MIN_VALUE, 1f, 1f, Float.NaN};
        float[] ones = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] d = new float[ys.length];
        VectorSoftplus.backward(ys.length, ys, 0, ones, 0, d, 0);
        for (int i = 0; i < ys.length; i++) {
            assertEquals(dExpected[i], d[i], "softplus' at y = " + ys[i]);
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
        VectorSoftplus.forward(n, x, 0, y, 0);
        VectorSoftplus.backward(n, y, 0, dy, 0, d, 0);
        for (int i = 0; i < n; i++) {
            assertSameBits(VectorSoftplus.softplus(x[i]), y[i], "softplus(" + x[i] + ")");
            assertSameBits(VectorSoftplus.derivative(y[i]), d[i], "softplus' at y = " + y[i]);
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
            expected[i] = VectorSoftplus.softplus(x[i + 4]);
            expectedD[i] = 2f * VectorSoftplus.derivative(x[i + 4] + 5f);
        }
        float[] yForD = new float[n];
        for (int i = 0; i < n; i++) {
            yForD[i] = x[i + 4] + 5f;
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorSoftplus.backward(n, yForD, 0, g, 1, g, 1);
        VectorSoftplus.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorSoftplus.forward(n, x, 0, y, 0);
            VectorSoftplus.backward(n, y, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
