package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Kernels;
import dendrite.tensor.spi.Slice;
import dendrite.tensor.spi.Storage;

/**
 * Each OpenCL kernel against backend-scalar on shapes around the work-group and tile sizes
 * (1, 3, 63, 65, 257, ...), so guards, tails and the choice between kernel variants are all
 * exercised. The shared conformance suite checks the contract (argument errors are the front's,
 * tested there by {@code ContractTests}); this checks this backend's own code paths (tiled vs
 * direct GEMM, serial vs group reductions, two-pass reduceAll, views with offsets), and the image
 * kernels on images whose element counts are far from a multiple of the work-group size.
 */
class ClAgreementTest {
    private static Backend cl;
    private static Backend ref;
    private final Random random = new Random(42);
    private Scope scope;

    @BeforeAll
    static void backends() {
        assumeTrue(new ClBackendProvider().probe().available(), () -> new ClBackendProvider().probe().explain());
        cl = Backends.get("opencl");
        ref = Backends.get("scalar");
    }

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static void near(String what, float[] expected, float[] actual, double rel, double abs) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e)) {
                if (Float.compare(e, a) != 0 && !(Float.isNaN(e) && Float.isNaN(a))) {
                    fail(what + ": element " + i + " expected " + e + " but was " + a);
                }
                continue;
            }
            if (Math.abs(e - a) > abs + rel * Math.abs(e)) {
                fail(what + ": element " + i + " of " + expected.length + " expected " + e + " but was " + a);
            }
        }
    }

    /** Runs {@code op} on a copy of {@code inputs} on both backends and compares the output. */
    private void agree(String what, double rel, double abs, int[] outDims, BiConsumer<Backend, Tensor[]> op,
            float[][] inputs, int[][] dims) {
        float[] expected = run(ref, op, inputs, dims, outDims);
        float[] actual = run(cl, op, inputs, dims, outDims);
        near(what, expected, actual, rel, abs);
    }

    private static float[] run(Backend be, BiConsumer<Backend, Tensor[]> op, float[][] inputs, int[][] dims,
            int[] outDims) {
        Tensor[] t = new Tensor[inputs.length + 1];
        for (int i = 0; i < inputs.length; i++) {
            t[i] = be.tensor(inputs[i], dims[i]);
        }
        t[inputs.length] = be.full(Float.NaN, outDims);
        op.accept(be, t);
        return t[inputs.length].toArray();
    }

    @Test
    void gemmAllTranspositionsAndSizes() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 16}, {65, 63, 31}, {128, 64, 48}, {100, 130, 70}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    boolean transA = ta == 1, transB = tb == 1;
                    int[] da = transA ? new int[] {k, m} : new int[] {m, k};
                    int[] db = transB ? new int[] {n, k} : new int[] {k, n};
                    float[] c0 = values(m * n);
                    for (float beta : new float[] {0f, 0.5f}) {
                        agree("gemm " + m + "x" + n + "x" + k + " " + transA + "/" + transB + " beta " + beta,
                                0, 1e-5 * k + 1e-5, new int[] {m, n}, (be, t) -> {
                                    be.copy(t[2], t[3]);
                                    be.gemm(transA, transB, 1.5f, t[0], t[1], beta, t[3]);
                                }, new float[][] {values(m * k), values(k * n), c0}, new int[][] {da, db, {m, n}});
                    }
                }
            }
        }
    }

    @Test
    void linearFusesBiasAndActivation() {
        for (int[] s : new int[][] {{5, 7, 3}, {96, 80, 40}, {128, 128, 64}}) {
            int m = s[0], n = s[1], k = s[2];
            for (Activation act : Activation.values()) {
                agree("linear " + act + " " + m + "x" + n + "x" + k, 1e-5, 1e-5 * k, new int[] {m, n},
                        (be, t) -> be.linear(t[0], t[1], t[2], act, 0.1f, t[3]),
                        new float[][] {values(m * k), values(n * k), values(n)}, new int[][] {{m, k}, {n, k}, {n}});
            }
        }
    }

    @Test
    void elementwiseOnViewsWithOffsets() {
        int rows = 9, cols = 67;
        float[] x = values(rows * cols);
        x[5] = Float.NaN;
        x[6] = 0f;
        x[7] = -0f;
        for (UnaryOp op : UnaryOp.values()) {
            agree("unary " + op, 1e-6, 1e-7, new int[] {4, cols},
                    (be, t) -> be.unary(op, t[0].rows(3, 7), t[1]), new float[][] {x}, new int[][] {{rows, cols}});
        }
        for (Activation act : Activation.values()) {
            agree("activation " + act, 1e-5, 1e-6, new int[] {rows, cols},
                    (be, t) -> be.activation(act, 0.2f, t[0], t[1]), new float[][] {x}, new int[][] {{rows, cols}});
            agree("activation backward " + act, 1e-5, 1e-6, new int[] {rows, cols}, (be, t) -> {
                be.activation(act, 0.2f, t[0], t[2]);
                be.activationBackward(act, 0.2f, t[0], t[2], t[1], t[3]);
            }, new float[][] {x, values(rows * cols), new float[rows * cols]},
                    new int[][] {{rows, cols}, {rows, cols}, {rows, cols}});
        }
        int[][] bdims = {{rows, cols}, {cols}, {1, cols}, {rows, 1}, {1}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] bd : bdims) {
                int bn = 1;
                for (int d : bd) {
                    bn *= d;
                }
                agree("binary " + op + " b" + java.util.Arrays.toString(bd), 1e-5, 1e-7, new int[] {rows, cols},
                        (be, t) -> be.binary(op, t[0], t[1], t[2]), new float[][] {x, values(bn)},
                        new int[][] {{rows, cols}, bd});
            }
        }
        agree("affine", 1e-6, 0, new int[] {rows, cols}, (be, t) -> be.affine(t[0], 1.5f, -2f, t[1]),
                new float[][] {x}, new int[][] {{rows, cols}});
        agree("powScalar", 1e-5, 1e-7, new int[] {rows, cols}, (be, t) -> be.powScalar(t[0], 2.5f, t[1]),
                new float[][] {x}, new int[][] {{rows, cols}});
        agree("clamp", 0, 0, new int[] {rows, cols}, (be, t) -> be.clamp(t[0], -0.5f, 0.7f, t[1]),
                new float[][] {x}, new int[][] {{rows, cols}});
    }

    @Test
    void reductionsEveryAxisAndStrategy() {
        int[][] shapes = {{1}, {7}, {300}, {5000}, {3, 700}, {600, 3}, {2, 300, 5}, {70, 70}};
        for (int[] dims : shapes) {
            int n = 1;
            for (int d : dims) {
                n *= d;
            }
            float[] x = values(n);
            for (ReduceOp op : ReduceOp.values()) {
                agree("reduceAll " + op + " " + java.util.Arrays.toString(dims), 1e-5 * Math.max(1, Math.log(n)),
                        1e-5 * Math.max(1, Math.log(n)) * Math.sqrt(n), new int[] {1},
                        (be, t) -> be.reduceAll(op, t[0], t[1]), new float[][] {x}, new int[][] {dims});
                for (int axis = 0; axis < dims.length; axis++) {
                    int a = axis;
                    int[] outDims = dendrite.tensor.Shape.of(dims).without(a).dims();
                    if (outDims.length == 0) {
                        outDims = new int[] {1};
                    }
                    int len = dims[a];
                    agree("reduce " + op + " " + java.util.Arrays.toString(dims) + " axis " + a,
                            1e-5 * Math.max(1, Math.log(len)), 1e-5 * Math.max(1, Math.log(len)) * Math.sqrt(len),
                            outDims, (be, t) -> be.reduce(op, t[0], a, t[1]), new float[][] {x}, new int[][] {dims});
                }
            }
        }
    }

    @Test
    void rowsKernelsShortAndLongRows() {
        for (int[] dims : new int[][] {{5, 10}, {3, 64}, {4, 65}, {2, 1000}, {1, 1}}) {
            int n = dims[0] * dims[1];
            float[] x = values(n);
            x[n / 2] = x[0]; // a tie
            agree("softmax " + java.util.Arrays.toString(dims), 1e-5, 1e-6, dims, (be, t) -> be.softmax(t[0], t[1]),
                    new float[][] {x}, new int[][] {dims});
            agree("logSoftmax " + java.util.Arrays.toString(dims), 1e-5, 1e-5, dims,
                    (be, t) -> be.logSoftmax(t[0], t[1]), new float[][] {x}, new int[][] {dims});
            agree("argmax " + java.util.Arrays.toString(dims), 0, 0, new int[] {dims[0]},
                    (be, t) -> be.argmax(t[0], t[1]), new float[][] {x}, new int[][] {dims});
        }
        float[] withNaN = values(2 * 300);
        withNaN[17] = Float.NaN;
        withNaN[400] = Float.NaN;
        agree("argmax NaN", 0, 0, new int[] {2}, (be, t) -> be.argmax(t[0], t[1]), new float[][] {withNaN},
                new int[][] {{2, 300}});
        agree("transpose", 0, 0, new int[] {37, 19}, (be, t) -> be.transpose(t[0], t[1]),
                new float[][] {values(19 * 37)}, new int[][] {{19, 37}});
        agree("oneHot", 0, 0, new int[] {4, 5}, (be, t) -> be.oneHot(t[0], 0.9f, 0.025f, t[1]),
                new float[][] {{0, 4, 2, 2}}, new int[][] {{4}});
        int[] idx = {9, 2, 0, 3, 3, 7};
        agree("gatherRows", 0, 0, new int[] {4, 3, 5}, (be, t) -> be.gatherRows(t[0], idx, 1, t[1]),
                new float[][] {values(10 * 15)}, new int[][] {{10, 3, 5}});
    }

    @Test
    void oneHotOutOfRangeGivesAllOffRow() {
        Tensor labels = cl.tensor(new float[] {1, 7, -1}, 3);
        Tensor out = cl.zeros(3, 4);
        cl.oneHot(labels, 1f, 0f, out);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, out.toArray());
    }

    @Test
    void randomIsBitForBitTheReference() {
        for (int n : new int[] {1, 257, 1000}) {
            agree("uniform", 0, 0, new int[] {n}, (be, t) -> be.randomUniform(-1234567890123L, -2f, 3f, t[0]),
                    new float[0][], new int[0][]);
            agree("bernoulli", 0, 0, new int[] {n}, (be, t) -> be.bernoulliMask(99, 0.7f, 1 / 0.7f, t[0]),
                    new float[0][], new int[0][]);
            agree("normal", 1e-5, 1e-6, new int[] {n}, (be, t) -> be.randomNormal(7, 0.5f, 2f, t[0]),
                    new float[0][], new int[0][]);
        }
    }

    @Test
    void optimizersAndCopy() {
        int n = 300;
        float[] p = values(n), g = values(n), s1 = values(n), s2 = values(n);
        for (int i = 0; i < n; i++) {
            s2[i] = Math.abs(s2[i]);
        }
        int[][] d = {{n}, {n}, {n}, {n}};
        agree("sgd nesterov", 1e-5, 1e-6, new int[] {n}, (be, t) -> {
            be.sgdUpdate(t[0], t[1], t[2], 0.1f, 0.9f, 0.01f, true);
            be.sgdUpdate(t[0], t[1], t[2], 0.1f, 0.9f, 0.01f, true);
            be.copy(t[0], t[4]);
        }, new float[][] {p, g, s1, s2}, d);
        for (boolean decoupled : new boolean[] {false, true}) {
            agree("adam " + decoupled, 1e-5, 1e-6, new int[] {n}, (be, t) -> {
                for (int step = 1; step <= 3; step++) {
                    be.adamUpdate(t[0], t[1], t[2], t[3], 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, step);
                }
                be.copy(t[0], t[4]);
            }, new float[][] {p, g, s1, s2}, d);
        }
        agree("rmsprop", 1e-5, 1e-6, new int[] {n}, (be, t) -> {
            be.rmspropUpdate(t[0], t[1], t[3], 0.01f, 0.99f, 1e-8f, 0.01f);
            be.copy(t[0], t[4]);
        }, new float[][] {p, g, s1, s2}, d);
        agree("adagrad", 1e-5, 1e-6, new int[] {n}, (be, t) -> {
            be.adagradUpdate(t[0], t[1], t[3], 0.01f, 1e-10f, 0.01f);
            be.copy(t[0], t[4]);
        }, new float[][] {p, g, s1, s2}, d);
        agree("overlapping copy", 0, 0, new int[] {n}, (be, t) -> {
            be.copy(t[0].rows(0, n - 10), t[0].rows(10, n));
            be.copy(t[0], t[4]);
        }, new float[][] {p, g, s1, s2}, d);
    }

    private static int[] dims(Conv2dGeometry g) {
        return new int[] {g.batch(), g.channels(), g.height(), g.width()};
    }

    private static int[] outDims(Conv2dGeometry g) {
        return new int[] {g.batch(), g.outChannels(), g.outH(), g.outW()};
    }

    /**
     * Convolutions larger than the conformance suite draws, so that every image kernel runs many
     * work-groups with a ragged last one: plain, strided with dilation and two groups, and depthwise.
     */
    @Test
    void convolutionOnImagesOfManyWorkGroups() {
        Conv2dGeometry[] geometries = {
            Conv2dGeometry.conv(2, 3, 45, 37, 5, 3, 3, 1, 1, 1, 1),
            new Conv2dGeometry(1, 4, 33, 30, 6, 5, 3, 2, 1, 2, 1, 2, 2, 2),
            Conv2dGeometry.conv(3, 6, 20, 19, 6, 3, 3, 2, 1, 1, 6)};
        for (Conv2dGeometry g : geometries) {
            int[] wDims = {g.outChannels(), g.groupChannels(), g.kernelH(), g.kernelW()};
            float[] x = values(g.batch() * g.imageSize());
            float[] w = values(g.outChannels() * g.patchSize());
            float[] bias = values(g.outChannels());
            float[] dy = values(g.batch() * g.outImageSize());
            int pixels = g.batch() * g.outH() * g.outW();
            agree("conv2d " + g, 1e-5, 1e-6 * g.patchSize(), outDims(g),
                    (be, t) -> be.conv2d(t[0], t[1], t[2], g, t[3]), new float[][] {x, w, bias},
                    new int[][] {dims(g), wDims, {g.outChannels()}});
            agree("conv2d input gradient " + g, 1e-5, 1e-6 * g.groupOutChannels() * g.kernelH() * g.kernelW(),
                    dims(g), (be, t) -> be.conv2dBackwardData(t[0], t[1], g, t[2]), new float[][] {dy, w},
                    new int[][] {outDims(g), wDims});
            agree("conv2d weight gradient " + g, 1e-4, 1e-6 * pixels, wDims,
                    (be, t) -> be.conv2dBackwardWeights(t[0], t[1], g, t[2], null), new float[][] {dy, x},
                    new int[][] {outDims(g), dims(g)});
            agree("conv2d bias gradient " + g, 1e-4, 1e-6 * pixels, new int[] {g.outChannels()},
                    (be, t) -> be.conv2dBackwardWeights(t[0], t[1], g, be.zeros(wDims), t[2]), new float[][] {dy, x},
                    new int[][] {outDims(g), dims(g)});
        }
    }

    /**
     * Pooling forward and backward on large planes with NaNs and many ties (values on a coarse
     * grid). The OpenCL gathers add in the reference's order, so max pooling agrees bit for bit;
     * average pooling's division may round differently on a device without correctly rounded division.
     */
    @Test
    void poolingOnImagesOfManyWorkGroups() {
        Conv2dGeometry[] geometries = {
            Conv2dGeometry.pool(2, 3, 50, 47, 3, 3, 2, 2, 1, 1),
            Conv2dGeometry.pool(1, 5, 64, 33, 2, 2, 2, 2, 0, 0),
            Conv2dGeometry.pool(2, 2, 31, 70, 3, 2, 1, 2, 1, 0)};
        for (Conv2dGeometry g : geometries) {
            int[] yDims = {g.batch(), g.channels(), g.outH(), g.outW()};
            float[] x = values(g.batch() * g.imageSize());
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 97 == 0 ? Float.NaN : Math.round(x[i] * 2) / 2f;
            }
            float[] dOut = values(g.batch() * g.channels() * g.outH() * g.outW());
            for (PoolOp op : PoolOp.values()) {
                double rel = op == PoolOp.MAX ? 0 : 1e-6;
                agree(op.label() + " " + g, rel, 0, yDims, (be, t) -> be.pool2d(op, t[0], g, t[1]),
                        new float[][] {x}, new int[][] {dims(g)});
                agree(op.label() + " backward " + g, rel, 1e-7, dims(g), (be, t) -> {
                    Tensor y = be.zeros(yDims);
                    be.pool2d(op, t[0], g, y);
                    be.pool2dBackward(op, t[0], y, t[1], g, t[2]);
                }, new float[][] {x, dOut}, new int[][] {dims(g), yDims});
            }
        }
    }

    /**
     * im2col and col2im called directly, as only the convolution defaults call them: the second of
     * three groups, slices at odd offsets, and col2im adding onto an image that already holds values.
     * Both kernels read and add in the reference's order, so they agree bit for bit.
     */
    @Test
    void im2colAndCol2imAgreeBitForBit() {
        Conv2dGeometry g = new Conv2dGeometry(1, 6, 29, 23, 3, 3, 4, 2, 1, 1, 2, 1, 2, 3);
        int colsSize = g.patchSize() * g.outH() * g.outW();
        float[] image = values(g.imageSize());
        float[] cols = values(colsSize);
        Kernels clk = cl.kernels(), refk = ref.kernels();
        float[] expected = unfoldAndFold(refk, g, image, cols);
        float[] actual = unfoldAndFold(clk, g, image, cols);
        near("im2col, col2im " + g, expected, actual, 0, 0);
    }

    /** im2col of {@code image} followed by its columns, then col2im of {@code cols} onto the image. */
    private static float[] unfoldAndFold(Kernels k, Conv2dGeometry g, float[] image, float[] cols) {
        int colsSize = cols.length, at = 3;
        Storage imageStorage = k.allocate(at + image.length);
        Storage colsStorage = k.allocate(at + colsSize);
        try {
            Slice im = new Slice(imageStorage, at), co = new Slice(colsStorage, at);
            float[] result = new float[colsSize + image.length];
            k.write(image, 0, im, image.length);
            k.fill(co, colsSize, Float.NaN);
            k.im2col(g, 1, im, co);
            k.read(co, result, 0, colsSize);
            k.write(cols, 0, co, colsSize);
            k.col2im(g, 1, co, im);
            k.read(im, result, colsSize, image.length);
            return result;
        } finally {
            imageStorage.release();
            colsStorage.release();
        }
    }
}
