package dendrite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Convolution and pooling against definitions computed here in double precision, on geometries
 * drawn to be awkward: odd image sizes, rectangular kernels, stride 2, padding 1 and 2 and "same",
 * dilation 2, groups (depthwise among them), batch 1, channel counts that are no multiple of a
 * vector. Each backend's result must be within a GEMM's rounding of the definition, so the scalar
 * reference is checked by the same properties as the fast backends.
 */
public abstract class ImageTests extends SpecificationTests {

    /** A valid geometry from {@code seed}: sizes small enough for the double loops below. */
    static Conv2dGeometry geometry(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int groups = new int[] {1, 1, 1, 2, 3}[r.nextInt(5)];
            int channels = groups * (1 + r.nextInt(groups == 1 ? 5 : 2));
            int outChannels = groups * (1 + r.nextInt(3));
            if (r.nextInt(5) == 0) {          // depthwise
                groups = channels;
                outChannels = channels * (1 + r.nextInt(2));
            }
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
            int stride = 1 + r.nextInt(2), dilation = 1 + r.nextInt(2);
            boolean same = r.nextInt(4) == 0 && stride == 1;
            int padH = same ? dilation * (kh - 1) / 2 : r.nextInt(3);
            int padW = same ? dilation * (kw - 1) / 2 : r.nextInt(3);
            try {
                return new Conv2dGeometry(1 + r.nextInt(3), channels, 1 + r.nextInt(9), 1 + r.nextInt(9), outChannels,
                        kh, kw, stride, stride + r.nextInt(2), padH, padW, dilation, dilation, groups);
            } catch (IllegalArgumentException windowLargerThanImage) {
                // draw again
            }
        }
    }

    static Conv2dGeometry poolGeometry(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
            try {
                return Conv2dGeometry.pool(1 + r.nextInt(3), 1 + r.nextInt(5), 1 + r.nextInt(9), 1 + r.nextInt(9), kh, kw,
                        1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1));
            } catch (IllegalArgumentException windowLargerThanImage) {
                // draw again
            }
        }
    }

    private static int[] xDims(Conv2dGeometry g) {
        return new int[] {g.batch(), g.channels(), g.height(), g.width()};
    }

    private static int[] wDims(Conv2dGeometry g) {
        return new int[] {g.outChannels(), g.groupChannels(), g.kernelH(), g.kernelW()};
    }

    private static int[] yDims(Conv2dGeometry g) {
        return new int[] {g.batch(), g.outChannels(), g.outH(), g.outW()};
    }

    /** Input pixel read by output (oy, ox) at tap (ky, kx), or -1 in the padding; offset within a plane. */
    private static int tap(Conv2dGeometry g, int oy, int ox, int ky, int kx) {
        int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
        int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
        return iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width() ? -1 : iy * g.width() + ix;
    }

    /**
     * The three convolution products in double: {@code mode} 0 forward (y from x, w), 1 input
     * gradient (dx from dy, w), 2 weight gradient (dw from dy, x). {@code scale} receives each
     * result's sum of |terms|, for the tolerance.
     */
    static double[] convolution(int mode, Conv2dGeometry g, float[] a, float[] b, float[] bias, double[] scale) {
        int oh = g.outH(), ow = g.outW(), cg = g.groupChannels(), og = g.groupOutChannels();
        int plane = g.height() * g.width();
        int size = mode == 0 ? g.batch() * g.outImageSize() : mode == 1 ? g.batch() * g.imageSize()
                : g.outChannels() * g.patchSize();
        double[] out = new double[size];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int c0 = (o / og) * cg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int yi = ((n * g.outChannels() + o) * oh + oy) * ow + ox;
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int p = tap(g, oy, ox, ky, kx);
                                    if (p < 0) {
                                        continue;
                                    }
                                    int xi = (n * g.channels() + c0 + c) * plane + p;
                                    int wi = ((o * cg + c) * g.kernelH() + ky) * g.kernelW() + kx;
                                    double term;
                                    int target;
                                    if (mode == 0) {
                                        term = (double) a[xi] * b[wi];
                                        target = yi;
                                    } else if (mode == 1) {
                                        term = (double) a[yi] * b[wi];
                                        target = xi;
                                    } else {
                                        term = (double) a[yi] * b[xi];
                                        target = wi;
                                    }
                                    out[target] += term;
                                    scale[target] += Math.abs(term);
                                }
                            }
                        }
                        if (mode == 0 && bias != null) {
                            out[yi] += bias[o];
                            scale[yi] += Math.abs(bias[o]);
                        }
                    }
                }
            }
        }
        return out;
    }

    private Tolerance convTolerance(Conv2dGeometry g, double[] scale, int terms) {
        return Tolerances.gemm(terms, scale).plus(Tolerance.relative(0, 1e-6));
    }

    private static String describe(Conv2dGeometry g) {
        return "conv " + g;
    }

    @Property(tries = 40)
    void conv2dMatchesItsDefinition(@ForAll long seed, @ForAll boolean withBias) {
        Conv2dGeometry g = geometry(seed);
        float[] x = Values.uniform(seed, g.batch() * g.imageSize(), -1, 1);
        float[] w = Values.uniform(seed + 1, g.outChannels() * g.patchSize(), -1, 1);
        float[] bias = withBias ? Values.uniform(seed + 2, g.outChannels(), -1, 1) : null;
        double[] scale = new double[g.batch() * g.outImageSize()];
        double[] expected = convolution(0, g, x, w, bias, scale);
        float[] actual = scoped(() -> {
            Tensor y = be().zeros(yDims(g));
            be().conv2d(t(x, xDims(g)), t(w, wDims(g)), bias == null ? null : t(bias, g.outChannels()), g, y);
            return y.toArray();
        });
        Expect.close(be().name() + " " + describe(g) + (withBias ? " with bias" : ""), Shape.of(yDims(g)), expected,
                actual, convTolerance(g, scale, g.patchSize()));
    }

    /** The convolution with an activation is, bit for bit, the convolution and then the activation on the same backend. */
    @Property(tries = 40)
    void conv2dWithAnActivationIsTheConvolutionThenTheActivation(@ForAll long seed, @ForAll boolean withBias,
            @ForAll Activation act) {
        convolutionThenActivation(geometry(seed), seed, withBias, act);
    }

    /**
     * The same on the preset CNN's second layer, one image and five (rows of 11 pixels, shorter than a
     * 512-bit vector; planes of 121, longer than one; a batch no chunk size divides), for the
     * activations a backend may apply in its own pass (ReLU) and one it may not.
     */
    @Test
    void conv2dWithAnActivationOnTheSecondLayerOfTheCnn() {
        long seed = 40;
        for (int batch : new int[] {1, 5}) {
            for (Activation act : new Activation[] {Activation.RELU, Activation.IDENTITY, Activation.TANH}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    convolutionThenActivation(Conv2dGeometry.conv(batch, 32, 13, 13, 64, 3, 3, 1, 0, 1, 1), seed++,
                            withBias, act);
                }
            }
        }
    }

    private void convolutionThenActivation(Conv2dGeometry g, long seed, boolean withBias, Activation act) {
        float param = act == Activation.LEAKY_RELU ? 0.1f : 1f;
        float[] x = Values.uniform(seed, g.batch() * g.imageSize(), -1, 1);
        float[] w = Values.uniform(seed + 1, g.outChannels() * g.patchSize(), -1, 1);
        float[] bias = withBias ? Values.uniform(seed + 2, g.outChannels(), -1, 1) : null;
        float[][] results = scoped(() -> {
            Tensor xT = t(x, xDims(g));
            Tensor wT = t(w, wDims(g));
            Tensor bT = bias == null ? null : t(bias, g.outChannels());
            Tensor twoCalls = be().zeros(yDims(g));
            be().conv2d(xT, wT, bT, g, twoCalls);
            be().activation(act, param, twoCalls, twoCalls);
            Tensor oneCall = be().full(7f, yDims(g));   // overwritten
            be().conv2d(xT, wT, bT, g, act, param, oneCall);
            return new float[][] {twoCalls.toArray(), oneCall.toArray()};
        });
        Expect.exact(be().name() + " " + describe(g) + " with " + act + (withBias ? " and bias" : ""),
                Shape.of(yDims(g)), results[0], results[1]);
    }

    @Property(tries = 40)
    void conv2dBackwardMatchesItsDefinition(@ForAll long seed, @ForAll boolean withBias) {
        Conv2dGeometry g = geometry(seed);
        float[] x = Values.uniform(seed, g.batch() * g.imageSize(), -1, 1);
        float[] w = Values.uniform(seed + 1, g.outChannels() * g.patchSize(), -1, 1);
        float[] dy = Values.uniform(seed + 3, g.batch() * g.outImageSize(), -1, 1);
        double[] dxScale = new double[g.batch() * g.imageSize()];
        double[] dx = convolution(1, g, dy, w, null, dxScale);
        double[] dwScale = new double[g.outChannels() * g.patchSize()];
        double[] dw = convolution(2, g, dy, x, null, dwScale);
        double[] db = new double[g.outChannels()];
        double[] dbScale = new double[g.outChannels()];
        int pixels = g.outH() * g.outW();
        for (int i = 0; i < dy.length; i++) {
            int o = (i / pixels) % g.outChannels();
            db[o] += dy[i];
            dbScale[o] += Math.abs(dy[i]);
        }
        float[][] actual = scoped(() -> {
            Tensor dxT = be().full(7f, xDims(g));        // overwritten, not accumulated
            Tensor dwT = be().full(7f, wDims(g));
            Tensor dbT = be().full(7f, g.outChannels());
            Tensor dyT = t(dy, yDims(g));
            be().conv2dBackwardData(dyT, t(w, wDims(g)), g, dxT);
            be().conv2dBackwardWeights(dyT, t(x, xDims(g)), g, dwT, withBias ? dbT : null);
            return new float[][] {dxT.toArray(), dwT.toArray(), dbT.toArray()};
        });
        int tapsPerInput = g.outChannels() / g.groups() * g.kernelH() * g.kernelW();
        Expect.close(be().name() + " input gradient of " + describe(g), Shape.of(xDims(g)), dx, actual[0],
                convTolerance(g, dxScale, tapsPerInput));
        Expect.close(be().name() + " weight gradient of " + describe(g), Shape.of(wDims(g)), dw, actual[1],
                convTolerance(g, dwScale, g.batch() * pixels));
        if (withBias) {
            Expect.close(be().name() + " bias gradient of " + describe(g), Shape.of(g.outChannels()), db, actual[2],
                    convTolerance(g, dbScale, g.batch() * pixels));
        }
    }

    /** Max or mean of each window in double, and each input's gradient from dOut. */
    static double[][] pooling(PoolOp op, Conv2dGeometry g, float[] x, float[] dOut) {
        int oh = g.outH(), ow = g.outW(), plane = g.height() * g.width();
        double[] y = new double[g.batch() * g.channels() * oh * ow];
        double[] dx = new double[x.length];
        for (int p = 0; p < g.batch() * g.channels(); p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int yi = (p * oh + oy) * ow + ox;
                    int best = -1;
                    double sum = 0;
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int t = tap(g, oy, ox, ky, kx);
                            if (t < 0) {
                                continue;
                            }
                            sum += x[p * plane + t];
                            if (best < 0 || x[p * plane + t] > x[p * plane + best]) {
                                best = t;
                            }
                            if (op == PoolOp.AVG) {
                                dx[p * plane + t] += dOut[yi] / (double) (g.kernelH() * g.kernelW());
                            }
                        }
                    }
                    if (op == PoolOp.MAX) {
                        y[yi] = x[p * plane + best];
                        dx[p * plane + best] += dOut[yi];
                    } else {
                        y[yi] = sum / (g.kernelH() * g.kernelW());
                    }
                }
            }
        }
        return new double[][] {y, dx};
    }

    @Property(tries = 40)
    void poolingMatchesItsDefinition(@ForAll long seed, @ForAll PoolOp op) {
        Conv2dGeometry g = poolGeometry(seed);
        int[] outDims = {g.batch(), g.channels(), g.outH(), g.outW()};
        // Distinct values, so the winner of a max window is not a tie decided by rounding.
        float[] x = Values.uniform(seed, g.batch() * g.imageSize(), -1, 1);
        float[] dOut = Values.uniform(seed + 1, g.batch() * g.channels() * g.outH() * g.outW(), -1, 1);
        double[][] expected = pooling(op, g, x, dOut);
        float[][] actual = scoped(() -> {
            Tensor xT = t(x, xDims(g));
            Tensor y = be().zeros(outDims);
            be().pool2d(op, xT, g, y);
            Tensor dx = be().full(7f, xDims(g));
            be().pool2dBackward(op, xT, y, t(dOut, outDims), g, dx);
            return new float[][] {y.toArray(), dx.toArray()};
        });
        Tolerance tol = Tolerance.relative(1e-5, 1e-6);
        Expect.close(be().name() + " " + op.label() + " " + g, Shape.of(outDims), expected[0], actual[0], tol);
        Expect.close(be().name() + " " + op.label() + " backward " + g, Shape.of(xDims(g)), expected[1], actual[1], tol);
    }

    @Property(tries = 40)
    void shiftImagesMatchesItsDefinition(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(4), c = 1 + r.nextInt(3), h = 1 + r.nextInt(9), w = 1 + r.nextInt(9);
        int[] moves = new int[3 * n + 2];                    // longer than needed: the rest is ignored
        for (int i = 0; i < n; i++) {
            moves[3 * i] = r.nextInt(2 * h + 1) - h;         // every shift allowed, whole-image ones included
            moves[3 * i + 1] = r.nextInt(2 * w + 1) - w;
            moves[3 * i + 2] = r.nextInt(2);
        }
        moves[3 * n] = 99;
        int[] dims = {n, c, h, w};
        float[] x = Values.uniform(seed, n * c * h * w, -1, 1);
        double[] expected = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int col = 0; col < w; col++) {
                        int sy = y + moves[3 * i];
                        int sx = (moves[3 * i + 2] == 1 ? w - 1 - col : col) + moves[3 * i + 1];
                        boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                        expected[((i * c + ch) * h + y) * w + col] = inside ? x[((i * c + ch) * h + sy) * w + sx] : 0;
                    }
                }
            }
        }
        float[] actual = scoped(() -> {
            Tensor out = be().full(7f, dims);
            be().shiftImages(t(x, dims), moves, out);
            return out.toArray();
        });
        Expect.exact(be().name() + " shiftImages " + java.util.Arrays.toString(dims) + " moves "
                + java.util.Arrays.toString(moves), Shape.of(dims), toFloats(expected), actual);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void maxPoolingTakesTheFirstLargestAndIgnoresPadding() {
        // One 2x2 image of negatives, padded by 1: padding (which holds no value) never wins.
        Conv2dGeometry g = Conv2dGeometry.pool(1, 1, 2, 2, 2, 2, 1, 1, 1, 1);
        Tensor x = t(new float[] {-3, -1, -1, -2}, 1, 1, 2, 2);
        Tensor y = be().zeros(1, 1, 3, 3);
        be().pool2d(PoolOp.MAX, x, g, y);
        Expect.exact(be().name() + " max pool of negatives with padding", y.shape(),
                new float[] {-3, -1, -1, -1, -1, -1, -1, -1, -2}, y.toArray());
        Tensor dx = be().zeros(1, 1, 2, 2);
        be().pool2dBackward(PoolOp.MAX, x, y, be().full(1f, 1, 1, 3, 3), g, dx);
        // Ties between the two -1s go to the first in row-major order within each window.
        Expect.exact(be().name() + " max pool gradient", dx.shape(), new float[] {1, 4, 3, 1}, dx.toArray());
    }

    @Test
    void convolutionArgumentsAreCheckedAgainstTheGeometry() {
        Conv2dGeometry g = Conv2dGeometry.conv(2, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1);
        Backend be = be();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.conv2d(be.zeros(2, 3, 5, 5), be.zeros(4, 3, 3, 2), null, g, be.zeros(2, 4, 5, 5)));
        assertTrue(e.getMessage().startsWith("conv2d: weight [4, 3, 3, 2] does not match the geometry's [4, 3, 3, 3]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> be.conv2d(be.zeros(2, 3, 5, 5), be.zeros(4, 3, 3, 3), be.zeros(3), g, be.zeros(2, 4, 5, 5)));
        assertTrue(e.getMessage().startsWith("conv2d: bias [3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> be.pool2d(PoolOp.MAX, be.zeros(1, 1, 4, 4), Conv2dGeometry.pool(1, 1, 4, 4, 2, 2, 2, 2, 2, 2),
                        be.zeros(1, 1, 4, 4)));
        assertTrue(e.getMessage().startsWith("maxPool2d: padding 2x2 must be at most half"), e.getMessage());
        Conv2dGeometry p = Conv2dGeometry.pool(1, 1, 4, 4, 2, 2, 2, 2, 0, 0);
        Tensor x = be.zeros(1, 1, 4, 4);
        Tensor y = be.zeros(1, 1, 2, 2);
        be.pool2d(PoolOp.MAX, x, p, y);
        e = assertThrows(IllegalArgumentException.class, () -> be.pool2dBackward(PoolOp.MAX, x, y, be.zeros(1, 1, 2, 2), p, x));
        assertTrue(e.getMessage().startsWith("maxPool2d backward: the input gradient must not share memory"),
                e.getMessage());
        Tensor w = be.zeros(4, 3, 3, 3);
        e = assertThrows(IllegalArgumentException.class,
                () -> be.conv2dBackwardWeights(be.zeros(2, 4, 5, 5), be.zeros(2, 3, 5, 5), g, w, w.reshape(-1).rows(0, 4)));
        assertTrue(e.getMessage().contains("must not share memory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2dGeometry(1, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 1, 1, 2));
        assertTrue(e.getMessage().contains("2 groups must divide"), e.getMessage());
    }
}
