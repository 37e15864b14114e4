package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * The per-image kernels of convolution and pooling on NCHW {@code float[]}s: patch unfolding
 * ({@link #im2col}) and its adjoint ({@link #col2im}) for the GEMM-based convolutions of
 * {@link VectorConvolutions}, and max / mean pooling over a range of planes.
 *
 * <p>Everything is organised in <em>row sweeps</em>: for one output row {@code oy} and one kernel
 * tap {@code (ky, kx)}, the input pixels read by the output columns {@code ox} form one input row
 * {@code iy} read at {@code ox * strideW + kx * dilationW - padW}. The columns whose pixel lies in
 * the padding are a prefix and a suffix of the row ({@link #firstInside}, {@link #endInside}), so
 * the middle is one plain loop with no bounds test. With stride 1 that loop is contiguous and runs
 * on vectors (a row shorter than a vector as one whole vector where the floats it writes past the
 * row are written again after it: {@link #copyRows}); with a larger stride it is a scalar strided
 * loop.
 *
 * <p>Pooling sums or compares each window's taps in row-major window order, as the reference
 * ({@code ScalarImages}) does, so the forward results are the reference's bits; the mean's
 * gradient adds each output's share to its taps in a different order, within a rounding of it.
 * Nothing here allocates, and no kernel depends on another thread's work: each plane or image is
 * one thread's.
 */
final class VectorImages {
    private VectorImages() {
    }

    /**
     * Whether the column matrix of each group is the group's channels themselves: a 1 x 1 kernel
     * with stride 1 and no padding reads every pixel once, in order. Then the convolutions skip
     * {@link #im2col} and multiply the image in place.
     */
    static boolean patchesAreTheImage(Conv2dGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0
                && g.padW() == 0;
    }

    // ------------------------------------------------------------------ geometry of a row sweep

    /** Input row read by output row {@code oy} at kernel row {@code ky} (outside [0, height) in the padding). */
    private static int inputRow(Conv2dGeometry g, int oy, int ky) {
        return oy * g.strideH() - g.padH() + ky * g.dilationH();
    }

    /** Offset of kernel column {@code kx}'s pixel from {@code ox * strideW}: {@code kx * dilationW - padW}. */
    private static int columnShift(Conv2dGeometry g, int kx) {
        return kx * g.dilationW() - g.padW();
    }

    /** The first output column whose pixel {@code ox * stride + shift} is at or after 0. */
    private static int firstInside(int shift, int stride, int count) {
        return shift >= 0 ? 0 : Math.min(count, ceilDiv(-shift, stride));
    }

    /** One past the last output column whose pixel lies before {@code size}; at least {@code first}. */
    private static int endInside(int shift, int stride, int size, int count, int first) {
        int end = size - shift <= 0 ? 0 : ceilDiv(size - shift, stride);
        return Math.max(first, Math.min(count, end));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ------------------------------------------------------------------ im2col, col2im

    /**
     * {@code cols[(c, ky, kx), (oy, ox)] = image[group's channel c, iy, ix]}, 0 in the padding:
     * the {@code [patchSize, outH * outW]} column matrix of one image and group.
     */
    static void im2col(Conv2dGeometry g, int group, float[] image, int imageOff, float[] cols, int colsOff) {
        im2col(g, group, image, imageOff, cols, colsOff, g.outH() * g.outW());
    }

    /**
     * {@link #im2col} into a wider column matrix whose rows are {@code ld} floats apart: the
     * image's columns are {@code outH * outW} of a chunk's {@code ld} (several images side by side).
     */
    static void im2col(Conv2dGeometry g, int group, float[] image, int imageOff, float[] cols, int colsOff, int ld) {
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.height() * g.width();
        int row = 0;
        for (int c = 0; c < g.groupChannels(); c++) {
            int channel = imageOff + (group * g.groupChannels() + c) * plane;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++, row++) {
                    int shift = columnShift(g, kx);
                    int lo = firstInside(shift, g.strideW(), ow);
                    int hi = endInside(shift, g.strideW(), g.width(), ow, lo);
                    int start = colsOff + row * ld;
                    int end = start + oh * ow;
                    if (g.strideW() == 1 && lo == 0 && hi == ow && inputRow(g, 0, ky) >= 0
                            && inputRow(g, oh - 1, ky) < g.height()) {
                        copyRows(image, channel + inputRow(g, 0, ky) * g.width() + shift, g.strideH() * g.width(),
                                cols, start, oh, ow);
                        continue;
                    }
                    for (int oy = 0; oy < oh; oy++) {
                        int dst = start + oy * ow;
                        int iy = inputRow(g, oy, ky);
                        if (iy < 0 || iy >= g.height()) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                        } else {
                            unfoldRow(g.strideW(), image, channel + iy * g.width() + shift, cols, dst, lo, hi, ow,
                                    end);
                        }
                    }
                }
            }
        }
    }

    /**
     * A whole sweep with every tap inside the image and stride 1 along the rows: {@code oh} rows of
     * {@code ow} floats, {@code step} apart in src, one after another in cols from {@code d}. Rows
     * shorter than a vector are copied as whole vectors while that stays inside the sweep (the
     * floats written past a row are the next rows', written after it; a masked store would do the
     * same, but its bounds check can run out of line and allocate, see {@link Simd#tail}), the rest
     * float by float.
     */
    private static void copyRows(float[] src, int s, int step, float[] cols, int d, int oh, int ow) {
        int end = d + oh * ow;
        if (ow >= L) {
            for (int oy = 0; oy < oh; oy++, s += step, d += ow) {
                copyVectors(src, s, cols, d, ow);
            }
            return;
        }
        int oy = 0;
        for (; oy < oh && d + L <= end && s + L <= src.length; oy++, s += step, d += ow) {
            FloatVector.fromArray(F, src, s).intoArray(cols, d);
        }
        for (; oy < oh; oy++, s += step, d += ow) {
            for (int ox = 0; ox < ow; ox++) {
                cols[d + ox] = src[s + ox];
            }
        }
    }

    /** {@code n >= L} floats from {@code src[s]} to {@code cols[d]} in vectors, the last moved back to end at n. */
    private static void copyVectors(float[] src, int s, float[] cols, int d, int n) {
        for (int i = 0; i < n - L; i += L) {
            FloatVector.fromArray(F, src, s + i).intoArray(cols, d + i);
        }
        FloatVector.fromArray(F, src, s + n - L).intoArray(cols, d + n - L);
    }

    /**
     * One row of columns: zeros, then {@code src[ox * stride]} for ox in [lo, hi), then zeros up to
     * ow. With stride 1 the copy runs on vectors, the last one moved back to end at hi (rows are
     * short, 11 to 30 floats in a small CNN, where a call to arraycopy or fill costs more than the copy).
     * A row shorter than a vector is copied as one whole vector when that stays before {@code end}:
     * the floats it writes past hi are this row's zeros and the later rows of the same sweep, all
     * written after it (a masked store would do the same, but its bounds check can run out of line
     * and allocate; see {@link Simd#tail}).
     */
    private static void unfoldRow(int stride, float[] src, int srcRow, float[] cols, int dst, int lo, int hi, int ow,
            int end) {
        for (int ox = 0; ox < lo; ox++) {
            cols[dst + ox] = 0f;
        }
        int n = hi - lo;
        int s = srcRow + lo;
        int d = dst + lo;
        if (stride == 1 && n >= L) {
            copyVectors(src, s, cols, d, n);
        } else if (stride == 1 && n > 0 && d + L <= end && s + L <= src.length) {
            FloatVector.fromArray(F, src, s).intoArray(cols, d);
        } else {
            for (int ox = lo; ox < hi; ox++) {
                cols[dst + ox] = src[srcRow + ox * stride];
            }
        }
        for (int ox = Math.max(lo, hi); ox < ow; ox++) {
            cols[dst + ox] = 0f;
        }
    }

    /** {@code image[group's c, iy, ix] += cols[(c, ky, kx), (oy, ox)]}, taps in the padding dropped. */
    static void col2im(Conv2dGeometry g, int group, float[] cols, int colsOff, float[] image, int imageOff) {
        col2im(g, group, cols, colsOff, g.outH() * g.outW(), image, imageOff);
    }

    /** {@link #col2im} from a wider column matrix whose rows are {@code ld} floats apart. */
    static void col2im(Conv2dGeometry g, int group, float[] cols, int colsOff, int ld, float[] image, int imageOff) {
        if (g.strideH() == 1 && g.strideW() == 1 && g.outW() < L) {
            col2imByRows(g, group, cols, colsOff, ld, image, imageOff);
        } else {
            col2imByTaps(g, group, cols, colsOff, ld, image, imageOff);
        }
    }

    /**
     * {@link #col2im} with stride 1 and output rows shorter than a vector, a vector of an image row
     * at a time: the vector as the image holds it, plus each tap's columns that land on it (in the
     * tap loop's order: kernel row, then kernel column), stored once. Tap by tap
     * ({@link #col2imByTaps}) each short row is read, added to and written back once per tap, the
     * taps of one kernel row a pixel apart; on the preset CNN's second layer (rows of 11) this way
     * is faster (benchmarks/README.md, "The preset CNN's convolutions again"). With rows of a vector
     * or more the taps' own loop was faster (the first layer's rows of 26), so it keeps them. Each element
     * gets the same sums in the same order: the same bits. Lanes outside the row or the tap's
     * columns add nothing and store back what they loaded.
     */
    private static void col2imByRows(Conv2dGeometry g, int group, float[] cols, int colsOff, int ld, float[] image,
            int imageOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int end = imageOff + g.imageSize();
        int low = g.padW() - (kw - 1) * g.dilationW();           // the leftmost tap's ox - ix
        for (int c = 0; c < g.groupChannels(); c++) {
            int channel = imageOff + (group * g.groupChannels() + c) * h * w;
            int taps = colsOff + c * kh * kw * ld;                  // this channel's first tap row
            for (int iy = 0; iy < h; iy++) {
                int d = channel + iy * w;
                for (int ix = 0; ix < w; ix += L) {
                    boolean inside = d + ix + L <= end && taps + ix + low >= 0
                            && taps + (kh * kw - 1) * ld + (oh - 1) * ow + ix + g.padW() + L <= cols.length;
                    if (!inside) {
                        addTapsOneByOne(g, cols, taps, ld, image, d, iy, ix, Math.min(L, w - ix));
                        continue;
                    }
                    int rowLanes = Math.min(L, w - ix);
                    FloatVector acc = FloatVector.fromArray(F, image, d + ix);
                    for (int ky = 0; ky < kh; ky++) {
                        int oy = iy + g.padH() - ky * g.dilationH();
                        if (oy < 0 || oy >= oh) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int shift = g.padW() - kx * g.dilationW();     // ox = ix + shift
                            int from = Math.max(0, -(ix + shift));
                            int to = Math.min(rowLanes, ow - ix - shift);
                            if (from < to) {
                                int src = taps + (ky * kw + kx) * ld + oy * ow + ix + shift;
                                acc = acc.add(FloatVector.fromArray(F, cols, src), LANES[from * (L + 1) + to]);
                            }
                        }
                    }
                    acc.intoArray(image, d + ix);
                }
            }
        }
    }

    /**
     * The mask of lanes {@code [from, to)} at {@code from * (L + 1) + to}: read from a table, since a
     * mask made by {@code indexInRange} was left to the Java fallback here by C2 (a boolean[] per
     * call, and slower than the loop it replaced).
     */
    private static final VectorMask<Float>[] LANES = lanes();

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] lanes() {
        VectorMask<Float>[] masks = new VectorMask[(L + 1) * (L + 1)];
        for (int from = 0; from <= L; from++) {
            for (int to = 0; to <= L; to++) {
                boolean[] bits = new boolean[L];
                for (int l = from; l < to; l++) {
                    bits[l] = true;
                }
                masks[from * (L + 1) + to] = VectorMask.fromArray(F, bits, 0);
            }
        }
        return masks;
    }

    /** {@link #col2imByRows}' sums for {@code n} pixels of one row from ix, one at a time (near an array's end). */
    private static void addTapsOneByOne(Conv2dGeometry g, float[] cols, int taps, int ld, float[] image, int d, int iy,
            int ix, int n) {
        for (int x = ix; x < ix + n; x++) {
            float v = image[d + x];
            for (int ky = 0; ky < g.kernelH(); ky++) {
                int oy = iy + g.padH() - ky * g.dilationH();
                if (oy < 0 || oy >= g.outH()) {
                    continue;
                }
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int ox = x + g.padW() - kx * g.dilationW();
                    if (ox >= 0 && ox < g.outW()) {
                        v += cols[taps + (ky * g.kernelW() + kx) * ld + oy * g.outW() + ox];
                    }
                }
            }
            image[d + x] = v;
        }
    }

    /** {@link #col2im} tap by tap: each tap's columns added onto the image rows they land on. */
    static void col2imByTaps(Conv2dGeometry g, int group, float[] cols, int colsOff, int ld, float[] image,
            int imageOff) {
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.height() * g.width();
        int row = 0;
        for (int c = 0; c < g.groupChannels(); c++) {
            int channel = imageOff + (group * g.groupChannels() + c) * plane;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++, row++) {
                    int shift = columnShift(g, kx);
                    int lo = firstInside(shift, g.strideW(), ow);
                    int hi = endInside(shift, g.strideW(), g.width(), ow, lo);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = inputRow(g, oy, ky);
                        if (iy >= 0 && iy < g.height()) {
                            int src = colsOff + row * ld + oy * ow;
                            int dst = channel + iy * g.width() + shift + lo * g.strideW();
                            addStrided(hi - lo, cols, src + lo, image, dst, g.strideW());
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dst[d + i * stride] += src[s + i]} for i in [0, n): on vectors when stride is 1. Rows
     * are short (11 to 30 floats in a small CNN), so rather than finish on scalars the last vector
     * is moved back to end at n: both of the last two vectors' old values are read before either is
     * stored, so the lanes they share get the same single sum from each (the bits of the scalar loop).
     */
    private static void addStrided(int n, float[] src, int s, float[] dst, int d, int stride) {
        if (stride != 1 || n < L) {
            for (int i = 0; i < n; i++) {
                dst[d + i * stride] += src[s + i];
            }
            return;
        }
        int i = 0;
        for (; n - i > 2 * L; i += L) {
            FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i)).intoArray(dst, d + i);
        }
        int j = n - L;
        FloatVector first = FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i));
        FloatVector last = FloatVector.fromArray(F, dst, d + j).add(FloatVector.fromArray(F, src, s + j));
        first.intoArray(dst, d + i);
        last.intoArray(dst, d + j);
    }

    // ------------------------------------------------------------------ pooling

    /**
     * Pools planes {@code [p0, p1)} of {@code x} (each {@code height x width}) into {@code out}:
     * each output row starts at -infinity (max) or 0 (mean), and every tap of the window is swept
     * across it in row-major window order; the mean is then divided by {@code kernelH * kernelW}.
     */
    static void pool2d(PoolOp op, Conv2dGeometry g, int p0, int p1, float[] x, int xOff, float[] out, int outOff) {
        if (isPairs(g)) {
            pool2dPairs(op, g, p0, p1, x, xOff, out, outOff);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int plane = g.height() * g.width();
        float divisor = g.kernelH() * g.kernelW();
        for (int p = p0; p < p1; p++) {
            int in = xOff + p * plane;
            for (int oy = 0; oy < oh; oy++) {
                int o = outOff + (p * oh + oy) * ow;
                Arrays.fill(out, o, o + ow, op == PoolOp.MAX ? Float.NEGATIVE_INFINITY : 0f);
                for (int ky = 0; ky < g.kernelH(); ky++) {
                    int iy = inputRow(g, oy, ky);
                    if (iy >= 0 && iy < g.height()) {
                        sweepRow(op, g, x, in + iy * g.width(), out, o);
                    }
                }
                if (op == PoolOp.AVG) {
                    divide(ow, out, o, divisor);
                }
            }
        }
    }

    /** Every kernel column of one input row onto one output row: a running max, or a sum. */
    private static void sweepRow(PoolOp op, Conv2dGeometry g, float[] x, int inRow, float[] out, int o) {
        int ow = g.outW();
        int stride = g.strideW();
        for (int kx = 0; kx < g.kernelW(); kx++) {
            int shift = columnShift(g, kx);
            int lo = firstInside(shift, stride, ow);
            int hi = endInside(shift, stride, g.width(), ow, lo);
            int src = inRow + shift + lo * stride;
            if (op == PoolOp.MAX) {
                maxInto(hi - lo, x, src, stride, out, o + lo);
            } else {
                sumInto(hi - lo, x, src, stride, out, o + lo);
            }
        }
    }

    /**
     * {@code m[i] = x > m[i] || x is NaN ? x : m[i]} with {@code x = src[s + i * stride]}: the first
     * largest value wins (a later equal one, or a 0 after a -0, does not replace it) and a NaN stays.
     */
    private static void maxInto(int n, float[] src, int s, int stride, float[] m, int d) {
        int i = 0;
        if (stride == 1) {
            for (; i <= n - L; i += L) {
                FloatVector v = FloatVector.fromArray(F, src, s + i);
                FloatVector cur = FloatVector.fromArray(F, m, d + i);
                VectorMask<Float> wins = v.compare(VectorOperators.GT, cur).or(v.compare(VectorOperators.NE, v));
                cur.blend(v, wins).intoArray(m, d + i);
            }
        }
        for (; i < n; i++) {
            float v = src[s + i * stride];
            if (v > m[d + i] || v != v) {
                m[d + i] = v;
            }
        }
    }

    /** {@code sum[d + i] += src[s + i * stride]} for i in [0, n): on vectors when stride is 1. */
    private static void sumInto(int n, float[] src, int s, int stride, float[] sum, int d) {
        int i = 0;
        if (stride == 1) {
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(F, sum, d + i).add(FloatVector.fromArray(F, src, s + i)).intoArray(sum, d + i);
            }
        }
        for (; i < n; i++) {
            sum[d + i] += src[s + i * stride];
        }
    }

    /** {@code x[off + i] /= divisor} for i in [0, n). */
    private static void divide(int n, float[] x, int off, float divisor) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, off + i).div(divisor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] /= divisor;
        }
    }

    /**
     * The input gradient of planes {@code [p0, p1)} (overwritten). Max: each output's gradient goes
     * to its window's first largest input (found again from x), summed where windows overlap. Mean:
     * each output's gradient times {@code 1 / (kernelH * kernelW)} goes to every tap of its window
     * that is not padding, swept row by row like the forward pass.
     */
    static void pool2dBackward(PoolOp op, Conv2dGeometry g, int p0, int p1, float[] x, int xOff, float[] dOut,
            int dOutOff, float[] dx, int dxOff) {
        if (isPairs(g)) {
            pool2dBackwardPairs(op, g, p0, p1, x, xOff, dOut, dOutOff, dx, dxOff);
            return;
        }
        int plane = g.height() * g.width();
        Arrays.fill(dx, dxOff + p0 * plane, dxOff + p1 * plane, 0f);
        for (int p = p0; p < p1; p++) {
            if (op == PoolOp.MAX) {
                maxBackward(g, x, xOff + p * plane, dOut, dOutOff + p * g.outH() * g.outW(), dx, dxOff + p * plane);
            } else {
                avgBackward(g, dOut, dOutOff + p * g.outH() * g.outW(), dx, dxOff + p * plane);
            }
        }
    }

    /** One plane of max pooling's gradient, in output order. */
    private static void maxBackward(Conv2dGeometry g, float[] x, int in, float[] dOut, int d, float[] dx, int dxPlane) {
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ox = 0; ox < g.outW(); ox++) {
                dx[dxPlane + winner(g, x, in, oy, ox)] += dOut[d + oy * g.outW() + ox];
            }
        }
    }

    /**
     * The offset within its plane of the first largest input of window (oy, ox); the first NaN wins
     * at once. Every window holds a pixel: the front keeps the padding under half the window.
     */
    private static int winner(Conv2dGeometry g, float[] x, int in, int oy, int ox) {
        int best = -1;
        float max = 0f;
        for (int ky = 0; ky < g.kernelH(); ky++) {
            int iy = inputRow(g, oy, ky);
            if (iy < 0 || iy >= g.height()) {
                continue;
            }
            for (int kx = 0; kx < g.kernelW(); kx++) {
                int ix = ox * g.strideW() + columnShift(g, kx);
                if (ix < 0 || ix >= g.width()) {
                    continue;
                }
                int at = iy * g.width() + ix;
                float v = x[in + at];
                if (v != v) {
                    return at;
                }
                if (best < 0 || v > max) {
                    best = at;
                    max = v;
                }
            }
        }
        return best;
    }

    /** One plane of mean pooling's gradient: per output row and tap, a row sweep of {@code dOut * share}. */
    private static void avgBackward(Conv2dGeometry g, float[] dOut, int d, float[] dx, int dxPlane) {
        int ow = g.outW();
        int stride = g.strideW();
        float share = 1f / (g.kernelH() * g.kernelW());
        for (int oy = 0; oy < g.outH(); oy++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                int iy = inputRow(g, oy, ky);
                if (iy < 0 || iy >= g.height()) {
                    continue;
                }
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int shift = columnShift(g, kx);
                    int lo = firstInside(shift, stride, ow);
                    int hi = endInside(shift, stride, g.width(), ow, lo);
                    addScaled(hi - lo, dOut, d + oy * ow + lo, share, dx,
                            dxPlane + iy * g.width() + shift + lo * stride, stride);
                }
            }
        }
    }

    /** {@code dst[d + i * stride] += src[s + i] * scale} (a product, then a sum, as the reference rounds). */
    private static void addScaled(int n, float[] src, int s, float scale, float[] dst, int d, int stride) {
        int i = 0;
        if (stride == 1) {
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(F, src, s + i).mul(scale).add(FloatVector.fromArray(F, dst, d + i))
                        .intoArray(dst, d + i);
            }
        }
        for (; i < n; i++) {
            dst[d + i * stride] += src[s + i] * scale;
        }
    }
    // ------------------------------------------------------------------ 2 x 2 windows, stride 2

    /** Lane i of the first half: input column 2i of a 2L-float row piece (the window's left taps). */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(F, i -> (2 * i) % L);
    /** Lane i of the first half: input column 2i + 1 (the window's right taps). */
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(F, i -> (2 * i + 1) % L);
    /** Lanes 2i and 2i + 1 from lane i: spreads the first half of a vector over the whole. */
    private static final VectorShuffle<Float> SPREAD_LOW = VectorShuffle.fromOp(F, i -> i / 2);
    /** Lanes 2i and 2i + 1 from lane L/2 + i: spreads the second half of a vector over the whole. */
    private static final VectorShuffle<Float> SPREAD_HIGH = VectorShuffle.fromOp(F, i -> L / 2 + i / 2);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(F, ((1L << L) - 1) & -(1L << (L / 2)));
    /** The odd lanes. */
    private static final VectorMask<Float> ODD = VectorMask.fromLong(F, 0xAAAA_AAAA_AAAA_AAAAL & ((1L << L) - 1));
    /**
     * Whether the windows are 2 x 2 with stride 2 and no padding: they tile the image without
     * overlap, two input columns per output column, which the vector loops below read as pairs
     * (the pooling after most convolutions).
     */
    static boolean isPairs(Conv2dGeometry g) {
        return g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0
                && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1 && L >= 4;
    }

    /** The left taps (even columns) of the 2L floats from {@code off}. */
    private static FloatVector evens(float[] x, int off) {
        return FloatVector.fromArray(F, x, off).rearrange(EVENS)
                .blend(FloatVector.fromArray(F, x, off + L).rearrange(EVENS), HIGH);
    }

    /** The right taps (odd columns) of the 2L floats from {@code off}. */
    private static FloatVector odds(float[] x, int off) {
        return FloatVector.fromArray(F, x, off).rearrange(ODDS)
                .blend(FloatVector.fromArray(F, x, off + L).rearrange(ODDS), HIGH);
    }

    /**
     * Where the last vector step along an output row of {@code ow} starts: the steps go every L,
     * the last one moved back to end at the row's end (recomputing a few outputs, to the same
     * values). Negative when the row is shorter than a vector: then one step at 0 computes L
     * outputs, the ones past the row spilling into the rows after it, which this part writes later
     * (the row is done one window at a time where they would reach past the part's planes).
     */
    private static int lastStep(int ow) {
        return ow - L;
    }

    /** {@code v > m || v is NaN ? v : m} lane by lane: the running max of {@link #maxInto}. */
    private static FloatVector later(FloatVector m, FloatVector v) {
        return m.blend(v, v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v)));
    }

    /**
     * {@link #pool2d} for {@link #isPairs} windows: per output row, L outputs at a time (the last
     * few under a mask) from the even and odd columns of its two input rows, in the same window
     * order and operations as the general sweep (the max from -infinity, the mean from 0), so the
     * bits are the same.
     */
    private static void pool2dPairs(PoolOp op, Conv2dGeometry g, int p0, int p1, float[] x, int xOff, float[] out,
            int outOff) {
        int oh = g.outH();
        int ow = g.outW();
        int w = g.width();
        int plane = g.height() * w;
        boolean max = op == PoolOp.MAX;
        int last = lastStep(ow);
        int outEnd = outOff + p1 * oh * ow;
        for (int p = p0; p < p1; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xOff + p * plane + 2 * oy * w;
                int r1 = r0 + w;
                int o = outOff + (p * oh + oy) * ow;
                if (last < 0 && (o + L > outEnd || r1 + 2 * L > x.length)) {
                    pairsScalar(max, ow, x, r0, r1, out, o);
                    continue;
                }
                for (int ox = 0; ; ox += L) {
                    ox = Math.max(0, Math.min(ox, last));
                    int c = 2 * ox;
                    FloatVector a = evens(x, r0 + c);
                    FloatVector b = odds(x, r0 + c);
                    FloatVector cv = evens(x, r1 + c);
                    FloatVector d = odds(x, r1 + c);
                    FloatVector v;
                    if (max) {
                        // From -infinity the first tap always stands (a -infinity tap leaves the same value).
                        v = later(later(later(a, b), cv), d);
                    } else {
                        v = FloatVector.zero(F).add(a).add(b).add(cv).add(d).div(4f);
                    }
                    v.intoArray(out, o + ox);
                    if (ox >= last) {
                        break;
                    }
                }
            }
        }
    }

    /** One output row of {@link #pool2dPairs} shorter than a vector, one window at a time. */
    private static void pairsScalar(boolean max, int ow, float[] x, int r0, int r1, float[] out, int o) {
        for (int ox = 0; ox < ow; ox++) {
            int c = 2 * ox;
            float v;
            if (max) {
                v = x[r0 + c];
                v = laterScalar(v, x[r0 + c + 1]);
                v = laterScalar(v, x[r1 + c]);
                v = laterScalar(v, x[r1 + c + 1]);
            } else {
                v = (((0f + x[r0 + c]) + x[r0 + c + 1]) + x[r1 + c]) + x[r1 + c + 1];
                v /= 4f;
            }
            out[o + ox] = v;
        }
    }

    private static float laterScalar(float m, float v) {
        return v > m || v != v ? v : m;
    }

    /**
     * {@link #pool2dBackward} for {@link #isPairs} windows. Each input pixel lies in at most one
     * window, so every pixel is written once: {@code 0 + dOut} where it is its window's winner (max:
     * the first NaN, else the first largest, as {@link #winner} finds it) or for every tap (mean:
     * {@code 0 + dOut * 1/4}), 0 elsewhere, including the last row or column an odd size leaves
     * outside every window. The same bits as the general path's zero fill and sums.
     */
    private static void pool2dBackwardPairs(PoolOp op, Conv2dGeometry g, int p0, int p1, float[] x, int xOff,
            float[] dOut, int dOutOff, float[] dx, int dxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int w = g.width();
        int h = g.height();
        int plane = h * w;
        boolean max = op == PoolOp.MAX;
        int last = lastStep(ow);
        int dxEnd = dxOff + p1 * plane;
        FloatVector zero = FloatVector.zero(F);
        for (int p = p0; p < p1; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xOff + p * plane + 2 * oy * w;
                int r1 = r0 + w;
                int d0 = dxOff + p * plane + 2 * oy * w;
                int d1 = d0 + w;
                int o = dOutOff + (p * oh + oy) * ow;
                boolean vectors = last >= 0
                        || d1 + 2 * L <= dxEnd && o + L <= dOut.length && r1 + 2 * L <= x.length;
                if (!vectors) {
                    pairsBackwardScalar(max, ow, x, r0, r1, dOut, o, dx, d0, d1);
                }
                for (int ox = 0; vectors; ox += L) {
                    ox = Math.max(0, Math.min(ox, last));
                    int c = 2 * ox;
                    FloatVector gv = FloatVector.fromArray(F, dOut, o + ox);
                    FloatVector ga;
                    FloatVector gb;
                    FloatVector gc;
                    FloatVector gd;
                    if (max) {
                        FloatVector a = evens(x, r0 + c);
                        FloatVector b = odds(x, r0 + c);
                        FloatVector cv = evens(x, r1 + c);
                        FloatVector d = odds(x, r1 + c);
                        // The first largest: each later tap wins only when strictly larger.
                        VectorMask<Float> wb = b.compare(VectorOperators.GT, a);
                        FloatVector m = a.blend(b, wb);
                        VectorMask<Float> wc = cv.compare(VectorOperators.GT, m);
                        m = m.blend(cv, wc);
                        VectorMask<Float> wd = d.compare(VectorOperators.GT, m);
                        wc = wc.andNot(wd);
                        wb = wb.andNot(wc.or(wd));
                        // A NaN wins at once: the first one overrides the comparisons. (A sum of the
                        // taps that is not NaN shows there is none, without testing each.)
                        FloatVector sum = a.add(b).add(cv).add(d);
                        if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
                            VectorMask<Float> na = a.compare(VectorOperators.NE, a);
                            VectorMask<Float> nb = b.compare(VectorOperators.NE, b).andNot(na);
                            VectorMask<Float> nc = cv.compare(VectorOperators.NE, cv).andNot(na.or(nb));
                            VectorMask<Float> nd = d.compare(VectorOperators.NE, d).andNot(na.or(nb).or(nc));
                            VectorMask<Float> nan = na.or(nb).or(nc).or(nd);
                            wb = wb.andNot(nan).or(nb);
                            wc = wc.andNot(nan).or(nc);
                            wd = wd.andNot(nan).or(nd);
                        }
                        VectorMask<Float> wa = wb.or(wc).or(wd).not();
                        FloatVector share = zero.add(gv);
                        ga = zero.blend(share, wa);
                        gb = zero.blend(share, wb);
                        gc = zero.blend(share, wc);
                        gd = zero.blend(share, wd);
                    } else {
                        ga = zero.add(gv.mul(0.25f));
                        gb = ga;
                        gc = ga;
                        gd = ga;
                    }
                    interleave(ga, gb, dx, d0 + c);
                    interleave(gc, gd, dx, d1 + c);
                    if (ox >= last) {
                        break;
                    }
                }
                if (2 * ow < w) {
                    Arrays.fill(dx, d0 + 2 * ow, d0 + w, 0f);
                    Arrays.fill(dx, d1 + 2 * ow, d1 + w, 0f);
                }
            }
            if (2 * oh < h) {
                Arrays.fill(dx, dxOff + p * plane + 2 * oh * w, dxOff + (p + 1) * plane, 0f);
            }
        }
    }

    /** One output row of {@link #pool2dBackwardPairs} shorter than a vector, one window at a time. */
    private static void pairsBackwardScalar(boolean max, int ow, float[] x, int r0, int r1, float[] dOut, int o,
            float[] dx, int d0, int d1) {
        for (int ox = 0; ox < ow; ox++) {
            int c = 2 * ox;
            float gv = dOut[o + ox];
            float ga;
            float gb;
            float gc;
            float gd;
            if (max) {
                float a = x[r0 + c];
                float b = x[r0 + c + 1];
                float cv = x[r1 + c];
                float d = x[r1 + c + 1];
                // The first NaN, else the first largest (a later tap wins only when strictly larger).
                int win = a != a ? 0 : b != b ? 1 : cv != cv ? 2 : d != d ? 3 : -1;
                if (win < 0) {
                    float m = a;
                    win = 0;
                    if (b > m) {
                        m = b;
                        win = 1;
                    }
                    if (cv > m) {
                        m = cv;
                        win = 2;
                    }
                    if (d > m) {
                        win = 3;
                    }
                }
                float share = 0f + gv;
                ga = win == 0 ? share : 0f;
                gb = win == 1 ? share : 0f;
                gc = win == 2 ? share : 0f;
                gd = win == 3 ? share : 0f;
            } else {
                ga = 0f + gv * 0.25f;
                gb = ga;
                gc = ga;
                gd = ga;
            }
            dx[d0 + c] = ga;
            dx[d0 + c + 1] = gb;
            dx[d1 + c] = gc;
            dx[d1 + c + 1] = gd;
        }
    }

    /** Stores {@code a0 b0 a1 b1 ...}: the 2L floats of a window row pair from its left and right taps. */
    private static void interleave(FloatVector a, FloatVector b, float[] dst, int off) {
        a.rearrange(SPREAD_LOW).blend(b.rearrange(SPREAD_LOW), ODD).intoArray(dst, off);
        a.rearrange(SPREAD_HIGH).blend(b.rearrange(SPREAD_HIGH), ODD).intoArray(dst, off + L);
    }
}
