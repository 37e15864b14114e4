package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * nn-core converts half floats itself, since it runs on Java 17 and {@code Float.float16ToFloat} and
 * {@code Float.floatToFloat16} came in Java 20; the tests run on a newer JDK and hold the two to
 * the JDK's methods bit for bit (NaNs: both NaN, same sign).
 */
class CodecTest {
    @Test
    void everyHalfDecodesAsTheJdkDecodesIt() {
        for (int i = 0; i < 0x10000; i++) {
            int h = i;
            float mine = Codec.fromFloat16((short) h);
            float jdk = Float.float16ToFloat((short) h);
            if (Float.isNaN(jdk)) {
                assertTrue(Float.isNaN(mine), () -> "half " + Integer.toHexString(h));
            } else {
                assertEquals(Float.floatToRawIntBits(jdk), Float.floatToRawIntBits(mine), () -> "half " + Integer.toHexString(h));
            }
        }
    }

    /** Every 31st float bit pattern (a stride prime to every power of two), and each half and its neighbours. */
    @Test
    void floatsRoundToHalvesAsTheJdkRoundsThem() {
        for (long bits = 0; bits <= 0xffffffffL; bits += 31) {
            check((int) bits);
        }
        for (int h = 0; h < 0x10000; h++) {
            int f = Float.floatToRawIntBits(Float.float16ToFloat((short) h));
            for (int d = -0x1001; d <= 0x1001; d += 0x1001) {   // the float, and around the halfway points
                check(f + d);
                check(f + d + 1);
                check(f + d - 1);
            }
        }
    }

    private static void check(int bits) {
        float v = Float.intBitsToFloat(bits);
        short mine = Codec.toFloat16(v);
        short jdk = Float.floatToFloat16(v);
        if (Float.isNaN(v)) {
            assertTrue(Float.isNaN(Float.float16ToFloat(mine)) && (mine & 0x8000) == (jdk & 0x8000),
                    () -> "NaN " + Integer.toHexString(bits));
        } else {
            assertEquals(jdk, mine, () -> "float " + v + " (" + Integer.toHexString(bits) + ")");
        }
    }
}
