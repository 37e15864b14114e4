package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorGelu}: the scalar twin gives the vector passes' bits (the kernels' last elements use
 * it), in place and at offsets too; the exact GELU and its derivative stay close to backend-scalar's,
 * computed in double with a different erfc, over [-10, 10] densely; and once compiled, the kernels
 * allocate nothing (no vector is boxed).
 */
class VectorGeluTest {
    private static final int SAMPLES = 1 << 18;

    /**
     * Over a length that spans several scratch blocks and ends in a tail, each element of the vector
     * passes equals the scalar twin's result, bit for bit (dy = 1, so dx is the derivative).
     */
    @Test
    void theScalarTwinGivesTheVectorPassesBits() {
        float[] special = {0f, -0f, 1e-30f, -1e-30f, -0.7518f, 1.4142f, -10f, 10f, -14f, -40f, 40f, 1e20f, -1e20f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        int n = 3 * 1024 + 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i] : -12f + 24f * i / n;
        }
        float[] y = new float[n];
        float[] dx = new float[n];
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        VectorGelu.forward(n, x, 0, y, 0);
        VectorGelu.backward(n, x, 0, ones, 0, dx, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(VectorGelu.gelu(x[i])), Float.floatToRawIntBits(y[i]),
                    "gelu(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(VectorGelu.geluGrad(x[i])), Float.floatToRawIntBits(dx[i]),
                    "gelu'(" + x[i] + ")");
        }
    }

    /** Forward in place (out is x) and backward into dy (dx is dy), from offsets, as the kernels allow. */
    @Test
    void inPlaceAndAtOffsetsAsTheKernelsAllow() {
        int n = 2 * L + 3;
        float[] x = new float[n + 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = -5f + 0.37f * i;
        }
        float[] expected = new float[n];
        float[] expectedD = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = VectorGelu.gelu(x[i + 4]);
            expectedD[i] = 2f * VectorGelu.geluGrad(x[i + 4]);
        }
        float[] g = new float[n + 1];
        java.util.Arrays.fill(g, 2f);
        VectorGelu.backward(n, x, 4, g, 1, g, 1);
        VectorGelu.forward(n, x, 4, x, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i + 4], "y[" + i + "]");
            assertEquals(expectedD[i], g[i + 1], "dx[" + i + "]");
        }
    }

    /**
     * Relative error against the reference: erfcc's own, and the rounding of the exponent -x^2/2,
     * which exp turns into a relative error of a few ulps of 50 at x = -10. The derivative is a sum of
     * terms up to about 1, so it also gets a couple of ulps of 1 absolute, which matters only where
     * Phi(x) and x phi(x) cancel towards the derivative's zero near x = -0.75; left of -2 it is
     * held to the relative bound alone, as y everywhere.
     */
    @Test
    void exactGeluIsCloseToTheScalarReferenceFromMinusTenToTen() {
        float[] x = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            x[i] = -10f + 20f * i / (SAMPLES - 1);
        }
        float[][] vector = run(Backend.of(new VectorKernels(1)), x);
        float[][] scalar = run(Backends.newInstance("scalar"), x);
        double worstY = 0;
        double worstD = 0;
        for (int i = 0; i < SAMPLES; i++) {
            worstY = Math.max(worstY, excess(vector[0][i], scalar[0][i], 0));
            worstD = Math.max(worstD, excess(vector[1][i], scalar[1][i], x[i] < -2 ? 0 : 2e-7));
        }
        assertTrue(worstY <= 1, "gelu: the worst error is " + worstY + " times the bound");
        assertTrue(worstD <= 1, "gelu': the worst error is " + worstD + " times the bound");
    }

    /** |actual - expected| as a multiple of {@code 1e-5 |expected| + absolute}; 0 where they are equal. */
    private static double excess(float actual, float expected, double absolute) {
        return actual == expected ? 0 : Math.abs((double) actual - expected) / (1e-5 * Math.abs(expected) + absolute);
    }

    /** The exact GELU and its derivative (dy = 1) of x on a backend, which it then closes. */
    private static float[][] run(Backend be, float[] x) {
        try (be; Tensor xt = be.tensor(x, x.length); Tensor y = be.zeros(x.length); Tensor d = be.zeros(x.length)) {
            be.activation(Activation.GELU, 0f, xt, y);
            try (Tensor ones = be.full(1f, x.length)) {
                be.activationBackward(Activation.GELU, 0f, xt, null, ones, d);
            }
            return new float[][] {y.toArray(), d.toArray()};
        }
    }

    /**
     * Once C2 has compiled them, forward and backward allocate nothing: the reason the vector code is
     * split into passes. Before compilation the Vector API's Java fallback boxes every vector, so
     * rounds run until one allocates nothing, and the test fails only if none does.
     */
    @Test
    void compiledKernelsAllocateNothing() {
        assertEquals(0, MathKernelChecks.leastBytesForwardBackward((n, x, y, dy, dx) -> {
            VectorGelu.forward(n, x, 0, y, 0);
            VectorGelu.backward(n, x, 0, dy, 0, dx, 0);
        }), "the least allocated by 20 compiled forward and backward calls, in bytes");
    }
}
