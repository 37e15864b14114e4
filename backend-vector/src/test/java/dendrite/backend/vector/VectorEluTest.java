package dendrite.backend.vector;

import static dendrite.backend.vector.MathKernelChecks.assertSameBits;
import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorElu}: ELU within 2.5 ulp of the double-precision {@code alpha expm1(x)} on every 61st
 * float in [-100, 100] (beyond, e^x rounds to 0 or y is x), near 0 too, where {@code e^x - 1} in
 * float would cancel; its derivative {@code alpha e^x} within 2.5 ulp; for alpha 1 and for an alpha
 * whose products round; SELU likewise within 2.5 ulp of the double formula with PyTorch's constants
 * (its factors are rounded to float once); the ends exact, the scalar twins equal to the vector passes
 * bit for bit, in place and at offsets, and once compiled the kernels allocate nothing.
 */
class VectorEluTest {
    private static final int LAST_BITS = Float.floatToRawIntBits(100f);
    private static final float ALPHA = 1.7f;
    /** PyTorch's SELU constants, written out again. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    @Test
    void eluIsWithinTwoAndAHalfUlpOfTheDoubleReference() {
        for (float alpha : new float[] {1f, ALPHA}) {
            float[] worst = MathKernelChecks.worst(LAST_BITS, 61,
                    (x, y) -> VectorElu.forward(x.length, 1f, alpha, x, 0, y, 0),
                    x -> x > 0 ? x : alpha * Math.expm1(x));
            assertTrue(worst[0] <= 2.5f, "elu alpha " + alpha + ": worst error " + worst[0] + " ulp at " + worst[1]);
        }
    }

    @Test
    void derivativeIsWithinTwoAndAHalfUlpOfTheDoubleReference() {
        for (float alpha : new float[] {1f, ALPHA}) {
            float[] worst = MathKernelChecks.worst(LAST_BITS, 61, (x, d) -> {
                float[] ones = new float[x.length];
                java.util.Arrays.fill(ones, 1f);
                VectorElu.backward(x.length, 1f, alpha, x, 0, ones, 0, d, 0);
            }, x -> x > 0 ? 1 : alpha * Math.exp(x));
            assertTrue(worst[0] <= 2.5f, "elu' alpha " + alpha + ": worst error " + worst[0] + " ulp at " + worst[1]);
        }
    }

    @Test
    void seluAndItsDerivativeAreWithinTwoAndAHalfUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(LAST_BITS, 61,
                (x, y) -> VectorElu.forward(x.length, VectorElu.SELU_POS, VectorElu.SELU_NEG, x, 0, y, 0),
                x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)));
        assertTrue(worst[0] <= 2.5f, "selu: worst error " + worst[0] + " ulp at " + worst[1]);
        float[] worstD = MathKernelChecks.worst(LAST_BITS, 61, (x, d) -> {
            float[] ones = new float[x.length];
            java.util.Arrays.fill(ones, 1f);
            VectorElu.backward(x.length, VectorElu.SELU_POS, VectorElu.SELU_NEG, x, 0, ones, 0, d, 0);
        }, x -> x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x));
        assertTrue(worstD[0] <= 2.5f, "selu': worst error " + worstD[0] + " ulp at " + worstD[1]);
    }

    /** SELU's saturation -scale alpha, its slopes scale and scale alpha, as PyTorch's float32 gives them. */
    @Test
    void seluEndsAreExact() {
        float[] x = {Float.NEGATIVE_INFINITY, -200f, 1f, 0f, -0f, Float.NaN};
        float[] y = new float[x.length];
        float[] d = new float[x.length];
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        VectorElu.forward(x.length, VectorElu.SELU_POS, VectorElu.SELU_NEG, x, 0, y, 0);
        VectorElu.backward(x.length, VectorElu.SELU_POS, VectorElu.SELU_NEG, x, 0, ones, 0, d, 0);
        float[] expected = {-1.7580993f, -1.7580993f, 1.050701f, 0f, -0f, Float.NaN};
        float[] dExpected = {0f, 0f, 1.050701f, 1.7580993f, 1.7580993f, Float.NaN};
        for (int i = 0; i < x.length; i++) {
            assertSameBits(expected[i], y[i], "selu(" + x[i] + ")");
            assertSameBits(dExpected[i], d[i], "selu' at " + x[i]);
        }
    }

    @Test
    void endsAreExact() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {0f, -0f, -1e-30f, 1e-30f, -Float.MIN_VALUE, -200f, 200f, Float.MAX_VALUE, inf, -inf, Float.NaN};
        float[] y = new float[x.length];
        VectorElu.forward(x.length, 1f, 0.5f, x, 0, y, 0);
        float[] expected = {0f, -0f, -1e-30f * 0.5f, 1e-30f, -0f, -0.5f, 200f, Float.MAX_VALUE, inf, -0.5f, Float.NaN};
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 1f);
        float[] d = new float[x.length];
        VectorElu.backward(x.length, 1f, 0.5f, x, 0, ones, 0, d, 0);
        float[] dExpected = {0.5f, 0.5f, 0.5f, 1f, 0.5f, 0f, 1f, 1f, 1f, 0f, Float.NaN};
        for (int i = 0; i < x.length; i++) {
            assertSameBits(expected[i], y[i], "elu(" + x[i] + ")");
            assertSameBits(dExpected[i], d[i], "elu' at " + x[i]);
        }
    }

    /** Over several scratch blocks and a tail, each element equals the scalar twins', bit for bit. */
    @Test
    void theScalarTwinsGiveTheVectorPassesBits() {
        int n = 3 * 1024 + 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? Float.intBitsToFloat(i * 1_398_269) : -3f + 4f * i / n;  // any bits, and [-3, 1]
        }
        float[] y = new float[n];
        float[] dy = new float[n];
        java.util.Arrays.fill(dy, 1f);
        float[] d = new float[n];
        VectorElu.forward(n, 1.25f, ALPHA, x, 0, y, 0);
        VectorElu.backward(n, 1.25f, ALPHA, x, 0, dy, 0, d, 0);
        for (int i = 0; i < n; i++) {
            assertSameBits(VectorElu.elu(1.25f, ALPHA, x[i]), y[i], "elu(" + x[i] + ")");
            assertSameBits(VectorElu.derivative(1.25f, ALPHA, x[i]), d[i], "elu' at " + x[i]);
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
            expected[i] = VectorElu.elu(1f, ALPHA, x[i + 4]);
            expectedD[i] = 2f * VectorElu.derivative(1f, ALPHA, x[i + 4]);
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorElu.backward(n, 1f, ALPHA, x, 4, g, 1, g, 1);
        VectorElu.forward(n, 1f, ALPHA, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorElu.forward(n, 1f, ALPHA, x, 0, y, 0);
            VectorElu.backward(n, 1f, ALPHA, x, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
