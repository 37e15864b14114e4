package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link VectorLog}: within 1 ulp of {@code Math.log} on every 61st positive float (subnormals
 * included), the edges exact, the scalar twin equal to the vector loop bit for bit (the kernel's last
 * elements use it), in place, and once compiled the kernel allocates nothing.
 */
class VectorLogTest {
    @Test
    void withinOneUlpOfTheDoubleReference() {
        float[] worst = MathKernelChecks.worst(Float.floatToRawIntBits(Float.MAX_VALUE), 61,
                (x, y) -> VectorLog.log(x.length, abs(x), 0, y, 0), x -> Math.log(Math.abs(x)));
        assertTrue(worst[0] <= 1f, "log: worst error " + worst[0] + " ulp at " + worst[1]);
    }

    @Test
    void edgesAreExact() {
        float[] x = {1f, 0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            -1f, Float.NEGATIVE_INFINITY, Float.NaN, 2f, 0.5f};
        float[] expected = {0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, (float) Math.log(Float.MIN_VALUE),
            (float) Math.log(Float.MIN_NORMAL), (float) Math.log(Float.MAX_VALUE), Float.POSITIVE_INFINITY, Float.NaN,
            Float.NaN, Float.NaN, (float) Math.log(2), (float) Math.log(0.5)};
        float[] y = new float[x.length];
        VectorLog.log(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], y[i], "ln(" + x[i] + ")");
            assertEquals(expected[i], VectorLog.log(x[i]), "scalar ln(" + x[i] + ")");
        }
    }

    /** Every vector lane equals the scalar twin's result, bit for bit, over all bit patterns, in place. */
    @Test
    void theScalarTwinGivesTheVectorBits() {
        int n = (1 << 18) + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(i * 16411);                     // spread over all bit patterns
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = VectorLog.log(x[i]);
        }
        VectorLog.log(n, x, 0, x, 0);
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(expected[i])) {                             // a NaN's sign bit means nothing
                assertTrue(Float.isNaN(x[i]), "ln: element " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(x[i]), "element " + i);
            }
        }
    }

    @Test
    void compiledKernelAllocatesNothing() {
        int n = 64 * 256 + 5;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(Math.sin(i) * 20);
        }
        float[] y = new float[n];
        assertEquals(0, MathKernelChecks.leastBytes(() -> VectorLog.log(n, x, 0, y, 0)),
                "the least allocated by 20 compiled calls, in bytes");
    }

    private static float[] abs(float[] x) {
        float[] a = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
        }
        return a;
    }
}
