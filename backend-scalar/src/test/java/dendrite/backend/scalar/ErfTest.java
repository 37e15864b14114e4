package dendrite.backend.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Erf} against published values (computed to more digits than a double holds, then rounded),
 * on both sides of the switch from the series to the continued fraction, and in the far tail where
 * {@code 1 - erf} would be 0.
 */
class ErfTest {
    /** A few units in the last place of a double: far below float, which is what GELU needs. */
    private static final double RELATIVE = 1e-14;

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), what);
    }

    @Test
    void erfAtKnownPoints() {
        close(0.5204998778130465, Erf.erf(0.5), "erf(0.5)");
        close(0.8427007929497149, Erf.erf(1), "erf(1)");
        close(0.9953222650189527, Erf.erf(2), "erf(2)");
        close(-0.8427007929497149, Erf.erf(-1), "erf(-1), odd");
        close(0.9999779095030014, Erf.erf(3), "erf(3), past the switch");
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void erfcKeepsItsRelativePrecisionInTheTail() {
        close(2.209049699858544e-05, Erf.erfc(3), "erfc(3)");
        close(1.5374597944280349e-12, Erf.erfc(5), "erfc(5)");
        close(2.088487583762545e-45, Erf.erfc(10), "erfc(10)");
        close(0.4795001221869535, Erf.erfc(0.5), "erfc(0.5)");
        close(1.9999779095030014, Erf.erfc(-3), "erfc(-3)");
        assertEquals(1.0, Erf.erfc(0.0));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
    }

    @Test
    void theTwoMethodsMeetAtTheSwitch() {
        double below = Math.nextDown(Erf.SWITCH);
        double at = Erf.SWITCH;
        close(4.069520174449590e-4, Erf.erfc(at), "erfc(2.5) by the continued fraction");
        // 1 - erf: erf's last bit is a larger part of erfc there
        assertEquals(4.069520174449590e-4, Erf.erfc(below), 1e-11 * 4.07e-4, "erfc just below 2.5 by the series");
    }

    @Test
    void erfAndErfcAddUpToOne() {
        for (double z = -4; z <= 4; z += 0.0625) {
            assertEquals(1.0, Erf.erf(z) + Erf.erfc(z), 1e-15, "erf + erfc at " + z);
        }
    }
}
