package dendrite.backend.vector;

import static dendrite.backend.vector.GemmKernel.NR;
import static dendrite.backend.vector.GemmKernel.PMR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every way of packing a block (gathers, transposes in registers, copies) writes exactly the panels
 * GemmPacking's class comment describes, and nothing outside them: compared float for float with the
 * layout built by plain loops, on blocks whose sizes are not multiples of the panel, the 8 x 8
 * transpose blocks or the vector length, at offsets inside larger matrices, with sentinels before and
 * after the panels. (VectorGemmBitsTest checks whole products both ways; this one names the panel
 * and the float that differs.)
 */
class GemmPackingTest {
    /** Up to 150: more than 8 panels of B and a ragged last one (the aliased B rows are packed 8 panels at a time). */
    private static final int[] SIDES = {1, 5, 6, 7, 8, 9, 12, 13, 16, 17, 23, 31, 33, 40, 150};
    /** With 128: panels 4 KiB apart or a multiple (the L1-set aliasing case of a B not transposed). */
    private static final int[] DEPTHS = {1, 2, 7, 8, 9, 15, 16, 17, 24, 25, 63, 128, 262};
    /** A float no pack writes: a NaN with a payload. */
    private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_1234);
    private static final int GUARD = 64;

    @Test
    void everyPackOfAWritesThePanelsAndNothingElse() {
        for (boolean transposed : new boolean[] {false, true}) {
            for (int mb : SIDES) {
                for (int kb : DEPTHS) {
                    // A block at (3, 5) of a 3 + mb + 2 by 5 + kb + 3 matrix.
                    int rows = mb + 5;
                    int cols = kb + 8;
                    float[] a = random(31L * mb + kb, rows * cols);
                    int rs = transposed ? 1 : cols;
                    int cs = transposed ? rows : 1;
                    if (transposed) {
                        a = transpose(a, rows, cols);
                    }
                    float[] expected = expectedA(a, rs, cs, 3, mb, 5, kb);
                    for (boolean gathers : new boolean[] {false, true}) {
                        float[] dst = sentinels(expected.length);
                        GemmPacking.packA(a, 0, rs, cs, 3, mb, 5, kb, dst, GUARD, new int[GemmPacking.A_GATHERS * Simd.L],
                                gathers);
                        assertPanels(expected, dst, "A " + mb + " x " + kb + (transposed ? " transposed" : "")
                                + (gathers ? " by gathers" : " without gathers"));
                    }
                }
            }
        }
    }

    @Test
    void everyPackOfBWritesThePanelsAndNothingElse() {
        for (boolean transposed : new boolean[] {true, false}) {
            for (int nb : SIDES) {
                for (int kb : DEPTHS) {
                    // A block at (5, 3) of a 5 + kb + 2 by 3 + nb + 4 matrix.
                    int rows = kb + 7;
                    int cols = nb + 7;
                    float[] b = random(17L * nb + kb, rows * cols);
                    int rs = transposed ? 1 : cols;
                    int cs = transposed ? rows : 1;
                    if (transposed) {
                        b = transpose(b, rows, cols);
                    }
                    float[] expected = expectedB(b, rs, cs, 5, kb, 3, nb);
                    for (boolean gathers : new boolean[] {false, true}) {
                        float[] dst = sentinels(expected.length);
                        GemmPacking.packB(b, 0, rs, cs, 5, kb, 3, nb, dst, GUARD, new int[Simd.L], gathers);
                        assertPanels(expected, dst, "B " + kb + " x " + nb + (transposed ? " transposed" : "")
                                + (gathers ? " by gathers" : " without gathers"));
                    }
                }
            }
        }
    }

    /** Panel r holds (i, p) at {@code r * kp * PMR + p * PMR + i}; rows past mb and steps past kb are zero. */
    private static float[] expectedA(float[] a, int rs, int cs, int i0, int mb, int p0, int kb) {
        int kp = GemmKernel.depth(kb);
        float[] panels = new float[ceilDiv(mb, PMR) * PMR * kp];
        for (int i = 0; i < mb; i++) {
            for (int p = 0; p < kb; p++) {
                panels[i / PMR * kp * PMR + p * PMR + i % PMR] = a[(i0 + i) * rs + (p0 + p) * cs];
            }
        }
        return panels;
    }

    /** Panel q holds (p, j) at {@code q * kp * NR + p * NR + j}; columns past nb and steps past kb are zero. */
    private static float[] expectedB(float[] b, int rs, int cs, int p0, int kb, int j0, int nb) {
        int kp = GemmKernel.depth(kb);
        float[] panels = new float[ceilDiv(nb, NR) * NR * kp];
        for (int p = 0; p < kb; p++) {
            for (int j = 0; j < nb; j++) {
                panels[j / NR * kp * NR + p * NR + j % NR] = b[(p0 + p) * rs + (j0 + j) * cs];
            }
        }
        return panels;
    }

    private static void assertPanels(float[] expected, float[] dst, String what) {
        for (int i = 0; i < dst.length; i++) {
            int at = i - GUARD;
            int want = Float.floatToRawIntBits(at >= 0 && at < expected.length ? expected[at] : SENTINEL);
            assertEquals(want, Float.floatToRawIntBits(dst[i]), () -> what + ": "
                    + (at < 0 || at >= expected.length ? "wrote outside the panels at " + at : "float " + at));
        }
    }

    private static float[] sentinels(int panels) {
        float[] dst = new float[GUARD + panels + GUARD];
        java.util.Arrays.fill(dst, SENTINEL);
        return dst;
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
