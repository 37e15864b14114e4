package dendrite.backend.vector;

import static dendrite.backend.vector.MathKernelChecks.assertSameBits;
import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorHardswish}: hard swish within 2.5 ulp of the double-precision formula on every 61st
 * float in [-8, 8] (beyond, y is 0 or x), and equal bit for bit there to PyTorch's float formula
 * {@code x * min(max(x + 3, 0), 6) / 6}; the derivative that formula's, with PyTorch's -1/2 and 3/2 at
 * the kinks; the ends exact (above about 5.7e37, {@code x * 6} overflows to infinity, as in PyTorch's
 * float kernel), in place and at offsets, and once compiled the kernels allocate nothing.
 */
class VectorHardswishTest {
    private static final int LAST_BITS = Float.floatToRawIntBits(8f);

    /** PyTorch's float kernel, operation for operation. */
    private static float torchFloat(float x) {
        return x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }

    private static float torchFloatDerivative(float x) {
        return x > 3f ? 1f : x < -3f ? 0f : x / 3f + 0.5f;
    }

    @Test
    void hardswishIsWithinTwoAndAHalfUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(LAST_BITS, 61,
                (x, y) -> VectorHardswish.forward(x.length, x, 0, y, 0),
                x -> x * Math.min(Math.max(x + 3, 0), 6) / 6);
        assertTrue(worst[0] <= 2.5f, "hardswish: worst error " + worst[0] + " ulp at " + worst[1]);
    }

    /** Every 61st float in [-8, 8], and the kinks and their neighbours: PyTorch's float bits both ways. */
    @Test
    void forwardAndBackwardArePyTorchsFloatFormulas() {
        int half = LAST_BITS / 61 + 1;
        float[] kinks = {-3f, 3f, Math.nextDown(-3f), Math.nextUp(-3f), Math.nextDown(3f), Math.nextUp(3f)};
        float[] x = new float[2 * half + kinks.length];
        for (int i = 0; i < half; i++) {
            x[2 * i] = Float.intBitsToFloat(i * 61);
            x[2 * i + 1] = -x[2 * i];
        }
        System.arraycopy(kinks, 0, x, 2 * half, kinks.length);
        float[] y = new float[x.length];
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[x.length];
        VectorHardswish.forward(x.length, x, 0, y, 0);
        VectorHardswish.backward(x.length, x, 0, ones, 0, d, 0);
        for (int i = 0; i < x.length; i++) {
            assertSameBits(torchFloat(x[i]), y[i], "hardswish(" + x[i] + ")");
            assertSameBits(torchFloatDerivative(x[i]), d[i], "hardswish' at " + x[i]);
        }
    }

    @Test
    void endsAndKinksAreExact() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {-3f, 3f, 0f, -0f, -4f, 4f, Float.MAX_VALUE, -Float.MAX_VALUE, inf, -inf, Float.NaN};
        float[] y = new float[x.length];
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[x.length];
        VectorHardswish.forward(x.length, x, 0, y, 0);
        VectorHardswish.backward(x.length, x, 0, ones, 0, d, 0);
        float[] expected = {-0f, 3f, 0f, -0f, -0f, 4f, inf, -0f, inf, Float.NaN, Float.NaN};
        float[] dExpected = {-0.5f, 1.5f, 0.5f, 0.5f, 0f, 1f, 1f, 0f, 1f, 0f, Float.NaN};
        for (int i = 0; i < x.length; i++) {
            assertSameBits(expected[i], y[i], "hardswish(" + x[i] + ")");
            assertSameBits(dExpected[i], d[i], "hardswish' at " + x[i]);
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
            expected[i] = torchFloat(x[i + 4]);
            expectedD[i] = 2f * torchFloatDerivative(x[i + 4]);
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorHardswish.backward(n, x, 4, g, 1, g, 1);
        VectorHardswish.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorHardswish.forward(n, x, 0, y, 0);
            VectorHardswish.backward(n, x, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
