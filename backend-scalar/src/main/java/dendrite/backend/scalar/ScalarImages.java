package dendrite.backend.scalar;

import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;

/**
 * Convolution and pooling on NCHW images, as direct loops that read like their definitions: the
 * specification the im2col and GEMM versions of the other backends are tested against.
 *
 * <p>For output pixel (oy, ox) and kernel tap (ky, kx), the input pixel read is
 * {@code iy = oy * strideH - padH + ky * dilationH}, {@code ix = ox * strideW - padW + kx * dilationW};
 * one outside the image is padding. Sums accumulate in {@code float} in increasing index order.
 */
final class ScalarImages {
    private ScalarImages() {
    }

    private static int inY(Conv2dGeometry g, int oy, int ky) {
        return oy * g.strideH() - g.padH() + ky * g.dilationH();
    }

    private static int inX(Conv2dGeometry g, int ox, int kx) {
        return ox * g.strideW() - g.padW() + kx * g.dilationW();
    }

    private static boolean inside(Conv2dGeometry g, int iy, int ix) {
        return iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
    }

    /**
     * {@code out[b, o, oy, ox] = bias[o] + sum over c in o's group, ky, kx of
     * w[o, c - group start, ky, kx] * x[b, c, iy, ix]}.
     */
    static void conv2d(Conv2dGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
            float[] out, int outOff) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels(), og = g.groupOutChannels();
        for (int b = 0; b < g.batch(); b++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int c0 = (o / og) * cg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float sum = 0f;
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                                    if (inside(g, iy, ix)) {
                                        sum += w[wOff + ((o * cg + c) * g.kernelH() + ky) * g.kernelW() + kx]
                                                * x[xOff + ((b * g.channels() + c0 + c) * g.height() + iy) * g.width() + ix];
                                    }
                                }
                            }
                        }
                        out[outOff + ((b * g.outChannels() + o) * oh + oy) * ow + ox] =
                                bias == null ? sum : sum + bias[biasOff + o];
                    }
                }
            }
        }
    }

    /** {@code dx[b, c, iy, ix] = sum of dy[b, o, oy, ox] * w[o, c, ky, kx]} over the taps that read (iy, ix). */
    static void conv2dBackwardData(Conv2dGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
            int dxOff) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels(), og = g.groupOutChannels();
        java.util.Arrays.fill(dx, dxOff, dxOff + g.batch() * g.imageSize(), 0f);
        for (int b = 0; b < g.batch(); b++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int c0 = (o / og) * cg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float d = dy[dyOff + ((b * g.outChannels() + o) * oh + oy) * ow + ox];
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                                    if (inside(g, iy, ix)) {
                                        dx[dxOff + ((b * g.channels() + c0 + c) * g.height() + iy) * g.width() + ix] +=
                                                d * w[wOff + ((o * cg + c) * g.kernelH() + ky) * g.kernelW() + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dw[o, c, ky, kx] = sum over b, oy, ox of dy[b, o, oy, ox] * x[b, c, iy, ix]};
     * {@code dbias[o] = sum over b, oy, ox of dy[b, o, oy, ox]}.
     */
    static void conv2dBackwardWeights(Conv2dGeometry g, float[] dy, int dyOff, float[] x, int xOff, float[] dw,
            int dwOff, float[] dbias, int dbiasOff) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels(), og = g.groupOutChannels();
        for (int o = 0; o < g.outChannels(); o++) {
            int c0 = (o / og) * cg;
            for (int c = 0; c < cg; c++) {
                for (int ky = 0; ky < g.kernelH(); ky++) {
                    for (int kx = 0; kx < g.kernelW(); kx++) {
                        float sum = 0f;
                        for (int b = 0; b < g.batch(); b++) {
                            for (int oy = 0; oy < oh; oy++) {
                                for (int ox = 0; ox < ow; ox++) {
                                    int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                                    if (inside(g, iy, ix)) {
                                        sum += dy[dyOff + ((b * g.outChannels() + o) * oh + oy) * ow + ox]
                                                * x[xOff + ((b * g.channels() + c0 + c) * g.height() + iy) * g.width() + ix];
                                    }
                                }
                            }
                        }
                        dw[dwOff + ((o * cg + c) * g.kernelH() + ky) * g.kernelW() + kx] = sum;
                    }
                }
            }
            if (dbias != null) {
                float sum = 0f;
                for (int b = 0; b < g.batch(); b++) {
                    for (int p = 0; p < oh * ow; p++) {
                        sum += dy[dyOff + (b * g.outChannels() + o) * oh * ow + p];
                    }
                }
                dbias[dbiasOff + o] = sum;
            }
        }
    }

    /** {@code cols[(c, ky, kx), (oy, ox)] = x[group's c, iy, ix]}, 0 in the padding. */
    static void im2col(Conv2dGeometry g, int group, float[] image, int imageOff, float[] cols, int colsOff) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int channel = group * cg + c;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++, row++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                            cols[colsOff + (row * oh + oy) * ow + ox] = inside(g, iy, ix)
                                    ? image[imageOff + (channel * g.height() + iy) * g.width() + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** {@code image[group's c, iy, ix] += cols[(c, ky, kx), (oy, ox)]}, padding taps dropped. */
    static void col2im(Conv2dGeometry g, int group, float[] cols, int colsOff, float[] image, int imageOff) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int channel = group * cg + c;
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++, row++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                            if (inside(g, iy, ix)) {
                                image[imageOff + (channel * g.height() + iy) * g.width() + ix] +=
                                        cols[colsOff + (row * oh + oy) * ow + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Max (first largest, NaN largest, padding ignored) or mean (divided by kernelH * kernelW) of each window. */
    static void pool2d(PoolOp op, Conv2dGeometry g, float[] x, int xOff, float[] out, int outOff) {
        int oh = g.outH(), ow = g.outW();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int in = xOff + plane * g.height() * g.width();
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float r = op == PoolOp.MAX ? x[in + winner(g, x, in, oy, ox)] : 0f;
                    if (op == PoolOp.AVG) {
                        for (int ky = 0; ky < g.kernelH(); ky++) {
                            for (int kx = 0; kx < g.kernelW(); kx++) {
                                int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                                if (inside(g, iy, ix)) {
                                    r += x[in + iy * g.width() + ix];
                                }
                            }
                        }
                        r /= g.kernelH() * g.kernelW();
                    }
                    out[outOff + (plane * oh + oy) * ow + ox] = r;
                }
            }
        }
    }

    /**
     * The offset within its plane of the first largest input of window (oy, ox); a NaN wins at
     * once. Every window holds at least one real pixel: the geometry keeps padding below the kernel.
     */
    private static int winner(Conv2dGeometry g, float[] x, int plane, int oy, int ox) {
        int best = -1;
        float max = 0f;
        for (int ky = 0; ky < g.kernelH(); ky++) {
            for (int kx = 0; kx < g.kernelW(); kx++) {
                int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                if (!inside(g, iy, ix)) {
                    continue;
                }
                float v = x[plane + iy * g.width() + ix];
                if (Float.isNaN(v)) {
                    return iy * g.width() + ix;
                }
                if (best < 0 || v > max) {
                    best = iy * g.width() + ix;
                    max = v;
                }
            }
        }
        return best;
    }

    /** Max: each output's gradient to its window's winner (summed where windows overlap); mean: spread evenly. */
    static void pool2dBackward(PoolOp op, Conv2dGeometry g, float[] x, int xOff, float[] dOut, int dOutOff,
            float[] dx, int dxOff) {
        int oh = g.outH(), ow = g.outW(), plane = g.height() * g.width();
        java.util.Arrays.fill(dx, dxOff, dxOff + g.batch() * g.channels() * plane, 0f);
        float share = 1f / (g.kernelH() * g.kernelW());
        for (int p = 0; p < g.batch() * g.channels(); p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float d = dOut[dOutOff + (p * oh + oy) * ow + ox];
                    if (op == PoolOp.MAX) {
                        dx[dxOff + p * plane + winner(g, x, xOff + p * plane, oy, ox)] += d;
                        continue;
                    }
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int iy = inY(g, oy, ky), ix = inX(g, ox, kx);
                            if (inside(g, iy, ix)) {
                                dx[dxOff + p * plane + iy * g.width() + ix] += d * share;
                            }
                        }
                    }
                }
            }
        }
    }
}
