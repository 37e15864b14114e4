package dendrite.backend.vector;

import static dendrite.backend.vector.GemmKernel.PMR;
import static dendrite.backend.vector.GemmKernel.NR;
import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Copies blocks of A and B into the contiguous panels the micro-kernel streams through.
 *
 * <p>An operand is read through two strides, which is how every transpose is handled without a
 * transposed copy: element (i, p) of op(A) is {@code a[off + i * rs + p * cs]}, with
 * {@code (rs, cs) = (k, 1)} for A and {@code (1, m)} for a transposed A; likewise for B.
 *
 * <ul>
 *   <li>A block of mb x kb becomes row panels of PMR rows: panel r holds element (i, p) at
 *       {@code r * kp * PMR + p * PMR + i}, rows past mb zero.</li>
 *   <li>A block of kb x nb of B becomes column panels of NR columns: panel q holds (p, j) at
 *       {@code q * kp * NR + p * NR + j}, columns past nb zero.</li>
 * </ul>
 * Each panel is {@code kp = GemmKernel.depth(kb)} deep: kb rounded up to the kernels' unrolling,
 * the steps past kb zero in both. Zero padding lets the kernel always compute whole tiles; only the
 * store minds the edges.
 *
 * <p>Two of the four cases transpose: in a row-major A and in a transposed B, each stored row is
 * written down a panel, PMR or NR floats apart. They read with vector gathers, or else move 8 x 8
 * blocks through registers ({@link GemmTranspose}); which is chosen for the CPU
 * ({@code VectorGemm.packsByGathers}), and never changes a panel.
 */
final class GemmPacking {
    private GemmPacking() {
    }

    /**
     * Gathers per {@link #packA} step: the packed column pairs or quadruples (the least common
     * multiple of the panel height and the vector length, in floats) span this many vectors.
     */
    static final int A_GATHERS = lcm(PMR, L) / L;
    /** Columns of A packed per step of {@link #packA}'s gather loop. */
    private static final int A_STEP = lcm(PMR, L) / PMR;
    /** Panels {@link #packBRows} fills at a time when their rows fall in the same L1 set (a way each). */
    private static final int ALIASED_PANELS = 8;
    /**
     * Whether {@link #packA} copies a transposed A's full panels one vector per column, each store
     * spilling onto the next column: a vector spans the panel height and less than twice it.
     */
    private static final boolean OVERLAPPING_COPY = L >= PMR && L - PMR < PMR;
    /** Whether {@link #packA} without gathers transposes a full panel's rows in registers (6-row panels). */
    static final boolean TRANSPOSES_A = GemmTranspose.AVAILABLE && PMR == 6;
    /**
     * Whether {@link #packA} without gathers transposes a full 12-row panel in registers: rows 0-7 and
     * then rows 4-11, two blocks at a time ({@link GemmTranspose#rows8Pairs}, 512-bit vectors); the
     * second writes rows 4-7 again with the same values.
     */
    static final boolean TRANSPOSES_A12 = GemmTranspose.PAIRS && PMR == 12;

    /**
     * Packs op(A)[i0 .. i0 + mb, p0 .. p0 + kb] into {@code dst} from {@code dstOff}; {@code index}
     * is the caller's scratch of {@code A_GATHERS * L} ints for the gather offsets of a row-major A,
     * which is read by gathers if {@code gathers}, else transposed in registers ({@link GemmTranspose},
     * 6- and 12-row panels) or copied row by row: the same panels every way.
     */
    static void packA(float[] a, int off, int rs, int cs, int i0, int mb, int p0, int kb, float[] dst, int dstOff,
            int[] index, boolean gathers) {
        if (cs == 1 && gathers) {
            panelOffsets(index, rs);
        }
        int kp = GemmKernel.depth(kb);
        // A transposed (rs == 1: the PMR values of one column are contiguous): the full panels move
        // one vector per column, L floats read and written, the PMR wanted and the first L - PMR of
        // the next column, which that column's store then overwrites (so the last column is left to
        // the plain loop below, and each read stays inside the next row of the stored A). Row by
        // row across the panels, so each row of the stored A is read once, from left to right: panel
        // after panel read a row's cache lines once per panel, and with a row length of a power of
        // two they all fall in a few sets of L1. About five times faster than one float at a time on
        // Zen 3; a masked vector copy was slower than that plain loop (the mask's range check). Four
        // rows at a time: four loads from four rows in flight before their stores, 11-26 % less time
        // than one row at a time on Zen 3 (benchmarks/README.md). Each store still follows the one
        // of the column before it in its panel, whose spare floats it overwrites.
        boolean vectorColumns = cs != 1 && rs == 1 && OVERLAPPING_COPY;
        if (vectorColumns) {
            int full = mb / PMR * PMR;
            int base = off + i0 + p0 * cs;
            int p = 0;
            for (; p + 4 <= kb - 1; p += 4) {
                int s = base + p * cs;
                int d = dstOff + p * PMR;
                for (int r = 0; r < full; r += PMR) {
                    FloatVector x0 = FloatVector.fromArray(F, a, s + r);
                    FloatVector x1 = FloatVector.fromArray(F, a, s + cs + r);
                    FloatVector x2 = FloatVector.fromArray(F, a, s + 2 * cs + r);
                    FloatVector x3 = FloatVector.fromArray(F, a, s + 3 * cs + r);
                    x0.intoArray(dst, d + r * kp);
                    x1.intoArray(dst, d + PMR + r * kp);
                    x2.intoArray(dst, d + 2 * PMR + r * kp);
                    x3.intoArray(dst, d + 3 * PMR + r * kp);
                }
            }
            for (; p < kb - 1; p++) {
                int s = base + p * cs;
                int d = dstOff + p * PMR;
                for (int r = 0; r < full; r += PMR) {
                    FloatVector.fromArray(F, a, s + r).intoArray(dst, d + r * kp);
                }
            }
        }
        for (int r = 0; r < mb; r += PMR) {
            int rows = Math.min(PMR, mb - r);
            int panel = dstOff + r * kp;
            int src = off + (i0 + r) * rs + p0 * cs;
            if (rows < PMR) {
                Arrays.fill(dst, panel, panel + kp * PMR, 0f);
            } else if (kp > kb) {
                Arrays.fill(dst, panel + kb * PMR, panel + kp * PMR, 0f);
            }
            if (cs == 1) {
                int p = 0;
                if (rows == PMR && gathers) {
                    // The packed panel is read off A by gathers, A_STEP columns (A_GATHERS vectors) at a
                    // time: the panel's rows are read side by side, all moving forward together, where
                    // the copy below walks one row at a time. At N = 2048 (A in L3, not L2) packing A
                    // took a tenth of a GEMM's time; this halves it.
                    for (; p + A_STEP <= kb; p += A_STEP) {
                        int d = panel + p * PMR;
                        for (int g = 0; g < A_GATHERS; g++) {
                            FloatVector.fromArray(F, a, src + p, index, g * L).intoArray(dst, d + g * L);
                        }
                    }
                } else if (rows == PMR && TRANSPOSES_A) {
                    // Blocks of 8 columns transposed in registers; at least one column is left to the
                    // copy below, which overwrites the spare floats the last block's stores leave on it.
                    int blocks = (kb - 1) / 8;
                    GemmTranspose.rows6(a, src, rs, blocks, dst, panel, PMR);
                    p = 8 * blocks;
                } else if (rows == PMR && TRANSPOSES_A12) {
                    // Pairs of 8-column blocks, rows 0-7 then rows 4-11; the last columns to the copy below.
                    int blocks = kb / 16 * 2;
                    GemmTranspose.rows8Pairs(a, src, rs, blocks, dst, panel, PMR);
                    GemmTranspose.rows8Pairs(a, src + 4 * rs, rs, blocks, dst, panel + 4, PMR);
                    p = 8 * blocks;
                }
                // Rows of A are contiguous: read each row once, write it down the panel's column.
                for (int i = 0; i < rows; i++) {
                    int s = src + i * rs;
                    int d = panel + i;
                    for (int q = p; q < kb; q++) {
                        dst[d + q * PMR] = a[s + q];
                    }
                }
            } else {
                // A transposed: what the vector copy above left, one float at a time.
                for (int p = rows == PMR && vectorColumns ? Math.max(0, kb - 1) : 0; p < kb; p++) {
                    int s = src + p * cs;
                    int d = panel + p * PMR;
                    for (int i = 0; i < rows; i++) {
                        dst[d + i] = a[s + i];
                    }
                }
            }
        }
    }

    /**
     * Gather offsets for {@link #packA}: packed float {@code f} of a step is row {@code f mod PMR},
     * column {@code f / PMR} of the panel, at {@code (f mod PMR) * rs + f / PMR} from the panel's start.
     */
    private static void panelOffsets(int[] index, int rs) {
        for (int f = 0; f < A_GATHERS * L; f++) {
            index[f] = (f % PMR) * rs + f / PMR;
        }
    }

    private static int lcm(int x, int y) {
        int g = x;
        for (int h = y; h != 0; ) {
            int t = g % h;
            g = h;
            h = t;
        }
        return x / g * y;
    }

    /**
     * Packs op(B)[p0 .. p0 + kb, j0 .. j0 + nb] into {@code dst} from {@code dstOff}; {@code index}
     * is the caller's scratch of {@code L} ints for the gather offsets of a transposed B, which is
     * read by gathers if {@code gathers}, else copied column by column (see
     * {@link VectorGemm#packsByGathers}). Both write the same panels.
     */
    static void packB(float[] b, int off, int rs, int cs, int p0, int kb, int j0, int nb, float[] dst, int dstOff,
            int[] index, boolean gathers) {
        packB(b, off, rs, cs, p0, kb, GemmKernel.depth(kb), j0, nb, dst, dstOff, index, gathers);
    }

    /** {@link #packB} into panels {@code kp} deep (at least kb; the in-place kernels read kb). */
    static void packB(float[] b, int off, int rs, int cs, int p0, int kb, int kp, int j0, int nb, float[] dst,
            int dstOff, int[] index, boolean gathers) {
        if (cs == 1) {
            packBRows(b, off + p0 * rs + j0, rs, kb, kp, nb, dst, dstOff);
        } else if (gathers || rs != 1) {
            packBColumns(b, off + p0 * rs + j0 * cs, rs, cs, kb, kp, nb, dst, dstOff, index);
        } else {
            transposeBColumns(b, off + p0 + j0 * cs, cs, kb, kp, nb, dst, dstOff);
        }
    }

    /**
     * B transposed, without gathers: the columns of op(B) are contiguous rows of B ({@code cs}
     * apart). Eight of them at a time are transposed in registers ({@link GemmTranspose}), 8 x 8
     * floats per step; the steps past the last whole block of 8, and a last panel's columns past its
     * last 8, are copied, each read once and written down its panel, NR floats apart. The unit stride
     * of the copy's read is written out as such: with the stride a variable, as in the general loop,
     * copies were slower than the gathers on AMD Zen 3 (benchmarks/README.md).
     */
    private static void transposeBColumns(float[] b, int src, int cs, int kb, int kp, int nb, float[] dst, int dstOff) {
        // With 512-bit vectors the blocks go two at a time (rows8Pairs), an odd last one copied below.
        int blocks = !GemmTranspose.AVAILABLE ? 0 : GemmTranspose.PAIRS ? kb / 16 * 2 : kb / 8;
        for (int q = 0; q < nb; q += NR) {
            int panel = dstOff + q * kp;
            int cols = Math.min(NR, nb - q);
            int transposed = blocks == 0 ? 0 : cols / 8 * 8;
            for (int j = 0; j < transposed; j += 8) {
                if (GemmTranspose.PAIRS) {
                    GemmTranspose.rows8Pairs(b, src + (q + j) * cs, cs, blocks, dst, panel + j, NR);
                } else {
                    GemmTranspose.rows8(b, src + (q + j) * cs, cs, blocks, dst, panel + j, NR);
                }
            }
            for (int j = 0; j < cols; j++) {
                int s = src + (q + j) * cs;
                int d = panel + j;
                for (int p = j < transposed ? 8 * blocks : 0; p < kb; p++) {
                    dst[d + p * NR] = b[s + p];
                }
            }
            if (cols < NR) {
                for (int p = 0; p < kb; p++) {
                    Arrays.fill(dst, panel + p * NR + cols, panel + (p + 1) * NR, 0f);
                }
            }
            if (kp > kb) {
                Arrays.fill(dst, panel + kb * NR, panel + kp * NR, 0f);
            }
        }
    }

    /**
     * B transposed: column j of op(B) is a contiguous row of B, {@code cs} apart. Each packed row
     * of a panel is gathered from 16 (one vector of) such rows at once, walking all of them forward
     * together, rather than written one float at a time with a 128-byte stride. The gather offsets
     * go in {@code index} (reused, so a pack allocates nothing).
     */
    private static void packBColumns(float[] b, int src, int rs, int cs, int kb, int kp, int nb, float[] dst,
            int dstOff, int[] index) {
        int filled = -1;
        for (int q = 0; q < nb; q += NR) {
            int panel = dstOff + q * kp;
            if (kp > kb) {
                Arrays.fill(dst, panel + kb * NR, panel + kp * NR, 0f);
            }
            for (int h = 0; h < NR; h += L) {
                int lanes = Math.min(L, nb - q - h);
                int s = src + (q + h) * cs;
                if (lanes <= 0) {
                    for (int p = 0; p < kb; p++) {
                        FloatVector.zero(F).intoArray(dst, panel + p * NR + h);
                    }
                    continue;
                }
                if (lanes != filled) {
                    rowOffsets(index, lanes, cs);
                    filled = lanes;
                }
                if (lanes == L) {
                    for (int p = 0; p < kb; p++) {
                        FloatVector.fromArray(F, b, s + p * rs, index, 0).intoArray(dst, panel + p * NR + h);
                    }
                } else {
                    // The lanes past the edge gather the first row again and are then zeroed: the
                    // padding. (A masked gather was left to the Java fallback by C2 here, boxing
                    // every vector.)
                    VectorMask<Float> m = F.indexInRange(0, lanes);
                    for (int p = 0; p < kb; p++) {
                        FloatVector.zero(F).blend(FloatVector.fromArray(F, b, s + p * rs, index, 0), m)
                                .intoArray(dst, panel + p * NR + h);
                    }
                }
            }
        }
    }

    /**
     * {@code index[j] = j * cs} for the first {@code lanes} lanes, 0 for the rest: the lanes past
     * the edge are gathered too, so they point at the first row, which exists.
     */
    private static void rowOffsets(int[] index, int lanes, int cs) {
        for (int j = 0; j < L; j++) {
            index[j] = j < lanes ? j * cs : 0;
        }
    }

    /**
     * B not transposed: copies each of the kb rows (nb contiguous floats, row stride rs) across the
     * panels before moving to the next row (across a group of panels at a time where the panels'
     * rows would all fall in one L1 set). Reading row by row streams through memory; reading a
     * panel at a time would jump by the row stride, which for power-of-two widths lands every read
     * in the same cache set and costs a TLB miss each.
     */
    private static void packBRows(float[] b, int src, int rs, int kb, int kp, int nb, float[] dst, int dstOff) {
        int full = nb / NR * NR;
        int cols = nb - full;
        // The panels are kp * NR floats apart. Where that is a multiple of 4 KiB (with 16-float
        // panels, K blocks of 128 or 256) every panel's row falls in the same set of L1, which holds
        // 8 lines, so the panels are filled ALIASED_PANELS at a time there (on Zen 3 that took a
        // third less time than all at once).
        boolean aliased = kp * NR * Float.BYTES % 4096 == 0;
        int group = aliased ? ALIASED_PANELS * NR : Math.max(full, NR);
        for (int q0 = 0; q0 < full; q0 += group) {
            int q1 = Math.min(full, q0 + group);
            for (int p = 0; p < kb; p++) {
                int s = src + p * rs;
                int d = dstOff + p * NR;
                for (int q = q0; q < q1; q += NR) {
                    FloatVector.fromArray(F, b, s + q).intoArray(dst, d + q * kp);
                    FloatVector.fromArray(F, b, s + q + L).intoArray(dst, d + q * kp + L);
                }
            }
        }
        if (cols > 0) {
            // The last panel's columns, then zeros as padding. Not a masked load: its bounds check
            // ran out of line where C2 did not inline it and allocated a boolean[] per call.
            for (int p = 0; p < kb; p++) {
                int t = dstOff + p * NR + full * kp;
                System.arraycopy(b, src + p * rs + full, dst, t, cols);
                Arrays.fill(dst, t + cols, t + NR, 0f);
            }
        }
        if (kp > kb) {
            for (int q = 0; q < nb; q += NR) {
                Arrays.fill(dst, dstOff + q * kp + kb * NR, dstOff + q * kp + kp * NR, 0f);
            }
        }
    }
}
