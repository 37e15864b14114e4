package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath#exp} against {@code Math.exp} (in double, rounded once): within
 * 1 ulp on a dense sweep of the float range where the result is normal, the edges exact, and the
 * scalar twin equal to the vector function bit for bit (the kernels' last elements use it).
 */
class VectorMathTest {
    private static final int SAMPLES = 1 << 20;

    @Test
    void expIsWithinOneUlpOverItsWholeRange() {
        float worst = sweep(VectorMath::exp, Math::exp, -87.3f, 88.7f);
        assertTrue(worst <= 1f, "exp: worst error " + worst + " ulp");
    }

    @Test
    void expEdgesAreExact() {
        assertEquals(1f, exp(0f));
        assertEquals(1f, exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, exp(Float.MAX_VALUE));
        assertEquals(0f, exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, exp(-200f));
        assertTrue(Float.isNaN(exp(Float.NaN)));
        // Subnormal results: e^-100 = 3.72e-44, within one subnormal step of the reference.
        assertEquals((float) Math.exp(-100.0), exp(-100f), Float.MIN_VALUE);
        assertEquals((float) Math.exp(88.72f), exp(88.72f), Math.ulp((float) Math.exp(88.72f)) * 2);
    }


    @Test
    void theScalarTwinGivesTheVectorFunctionsBits() {
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 0.34657359f, -0.34657359f, 88.72f, 89f, -87.5f, -100f, -104f,
            -200f, 200f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        float[] x = new float[L];
        for (int i = 0; i < (1 << 18) + special.length; i += L) {
            for (int j = 0; j < L; j++) {
                int k = i + j;
                x[j] = k < special.length ? special[k] : Float.intBitsToFloat(k * 16411);   // spread over all bit patterns
            }
            FloatVector v = FloatVector.fromArray(F, x, 0);
            FloatVector e = VectorMath.exp(v);
            for (int j = 0; j < L; j++) {
                assertEquals(Float.floatToRawIntBits(e.lane(j)), Float.floatToRawIntBits(VectorMath.exp(x[j])),
                        "exp(" + x[j] + ")");
            }
        }
    }

    /** The array form gives the vector function's bits, with the input negated or not, tail included. */
    @Test
    void theArrayFormGivesTheSameBitsAsTheVectorAndScalarFunctions() {
        int n = 5 * L + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.731) * 120f;                  // past both clamps
        }
        x[2] = Float.NaN;
        x[n - 1] = -0f;
        for (float[] scaleShift : new float[][] {{1f, 0f}, {-1f, 0f}, {1f, -3.7f}}) {
            float scale = scaleShift[0];
            float shift = scaleShift[1];
            float[] out = new float[n + 2];
            VectorMath.exp(x, 0, scale, shift, out, 1, n);
            for (int i = 0; i < n; i++) {
                // the kernels' former forms: exp(-x) for sigmoid, exp(x - max) for softmax
                float arg = scale == -1f ? -x[i] : x[i] - (-shift);
                float expected = i < F.loopBound(n)
                        ? VectorMath.exp(FloatVector.broadcast(F, arg)).lane(0)
                        : VectorMath.exp(arg);
                if (Float.isNaN(expected)) {                               // a NaN's sign bit means nothing
                    assertTrue(Float.isNaN(out[1 + i]), "exp(NaN)");
                    continue;
                }
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[1 + i]),
                        "exp(" + scale + " * " + x[i] + " + " + shift + ")");
            }
            assertEquals(0f, out[0]);
            assertEquals(0f, out[n + 1]);
        }
    }

    /** The worst error in ulp of the reference's float, over SAMPLES evenly spaced x in [lo, hi]. */
    private static float sweep(UnaryOperator<FloatVector> f, DoubleUnaryOperator reference, float lo, float hi) {
        float[] x = new float[L];
        float[] y = new float[L];
        float worst = 0f;
        for (int i = 0; i < SAMPLES; i += L) {
            for (int j = 0; j < L; j++) {
                x[j] = lo + (hi - lo) * (i + j) / SAMPLES;
            }
            f.apply(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
            for (int j = 0; j < L; j++) {
                float expected = (float) reference.applyAsDouble(x[j]);
                float ulps = Math.abs(y[j] - expected) / Math.ulp(expected);
                worst = Math.max(worst, ulps);
            }
        }
        return worst;
    }

    private static float exp(float v) {
        return VectorMath.exp(FloatVector.broadcast(F, v)).lane(0);
    }

}
