package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

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
 * on vectors ({@code System.arraycopy} for im2col); with a larger stride it is a scalar strided
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
                        int dst = colsOff + (row * oh + oy) * ow;
                        int iy = inputRow(g, oy, ky);
                        if (iy < 0 || iy >= g.height()) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                        } else {
                            unfoldRow(g.strideW(), image, channel + iy * g.width() + shift, cols, dst, lo, hi, ow);
                        }
                    }
                }
            }
        }
    }

    /** One row of columns: zeros, then {@code src[ox * stride]} for ox in [lo, hi), then zeros up to ow. */
    private static void unfoldRow(int stride, float[] src, int srcRow, float[] cols, int dst, int lo, int hi, int ow) {
        Arrays.fill(cols, dst, dst + lo, 0f);
        if (stride == 1 && hi > lo) {
            // (arraycopy rejects a negative start even for nothing: a row wholly in the padding)
            System.arraycopy(src, srcRow + lo, cols, dst + lo, hi - lo);
        } else {
            for (int ox = lo; ox < hi; ox++) {
                cols[dst + ox] = src[srcRow + ox * stride];
            }
        }
        Arrays.fill(cols, dst + hi, dst + ow, 0f);
    }

    /** {@code image[group's c, iy, ix] += cols[(c, ky, kx), (oy, ox)]}, taps in the padding dropped. */
    static void col2im(Conv2dGeometry g, int group, float[] cols, int colsOff, float[] image, int imageOff) {
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
                            int src = colsOff + (row * oh + oy) * ow;
                            addStrided(hi - lo, cols, src + lo, image, channel + iy * g.width() + shift + lo * g.strideW(),
                                    g.strideW());
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + i * stride] += src[s + i]} for i in [0, n): on vectors when stride is 1. */
    private static void addStrided(int n, float[] src, int s, float[] dst, int d, int stride) {
        if (stride != 1) {
            for (int i = 0; i < n; i++) {
                dst[d + i * stride] += src[s + i];
            }
            return;
        }
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }

    // ------------------------------------------------------------------ pooling

    /**
     * Pools planes {@code [p0, p1)} of {@code x} (each {@code height x width}) into {@code out}:
     * each output row starts at -infinity (max) or 0 (mean), and every tap of the window is swept
     * across it in row-major window order; the mean is then divided by {@code kernelH * kernelW}.
     */
    static void pool2d(PoolOp op, Conv2dGeometry g, int p0, int p1, float[] x, int xOff, float[] out, int outOff) {
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
                VectorMask<Float> wins = v.compare(VectorOperators.GT, cur).or(v.test(VectorOperators.IS_NAN));
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
}
