package dendrite.tensor.conformance;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The conformance suite every backend runs: one abstract class, subclassed once per backend
 * module.
 *
 * <h2>Running it for a backend</h2>
 * A backend module depends on {@code tensor-api}'s test-jar and on {@code backend-scalar} (the
 * reference), both in test scope, and adds one class:
 * <pre>{@code
 * class VectorBackendConformanceTest extends BackendConformanceTest {
 *     @Override
 *     protected String backendName() {
 *         return "vector";
 *     }
 * }
 * }</pre>
 * The backend is looked up by name through {@link dendrite.tensor.Backends#candidates()}, as users
 * get it. If its provider is missing, its probe fails or {@code create()} throws, every test is
 * reported <em>skipped</em> with that reason (see {@link ConformanceRules}), never passed. With the system property
 * {@code -Ddendrite.conformance.require=opencl,vector} (comma-separated names) the named
 * backends' unavailability <em>fails</em> instead, so CI cannot silently skip, say, OpenCL on
 * PoCL. A test whose backend throws {@link UnsupportedOperationException} is reported skipped
 * with a message starting {@code "unsupported: "} and the op is printed, so unsupported ops are
 * counted apart from passes and failures.
 *
 * <h2>What it checks</h2>
 * <ul>
 *   <li>{@link SpecificationTests}: hand-computed cases and invariants whose expectations come
 *       from {@link Backend}'s Javadoc recomputed in double ({@link Reference}), never from a
 *       backend: gemm in all four transpose combinations with alpha and beta, beta = 0 ignoring NaN
 *       in C, every unary, binary, reduction and activation (forward against its definition,
 *       backward against a numeric derivative), broadcasting by row, column and scalar,
 *       reductions along each axis of a rank-3 tensor, softmax rows summing to 1 and surviving
 *       inputs of 1000, log-softmax = log(softmax), argmax ties, one-hot, gather, the four
 *       optimizers over three steps, random tensors equal to {@code CounterRandom}'s sequence,
 *       IEEE behaviour of NaN and infinities, scopes.</li>
 *   <li>{@link ImageTests} and {@link AttentionOpTests}: convolution, pooling and the batched matrix
 *       product against their definitions in double, on awkward sizes.</li>
 *   <li>{@link ContractTests}: every op's shape mismatch throws {@link IllegalArgumentException}
 *       naming the op and the shapes; use after close throws {@link IllegalStateException}; a
 *       tensor of another backend is rejected; kernels work on row and reshape views.</li>
 *   <li>This class: jqwik properties comparing each op with backend-scalar on random shapes,
 *       mostly sizes around lane and tile boundaries (1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 127,
 *       129, and 200 to 300; see {@link Sizes}), and random values. On scalar itself they are
 *       trivially true; they are for the other backends.</li>
 * </ul>
 *
 * <h2>Tolerances, and why</h2>
 * <table>
 *   <caption>Allowed difference per op (see {@link Tolerances})</caption>
 *   <tr><th>ops</th><th>tolerance</th><th>why</th></tr>
 *   <tr><td>argmax, oneHot, gatherRows, copy, fill, transpose, bernoulliMask, randomUniform on
 *       [0, 1), max/min, clamp, relu, neg, abs, sign</td><td>exact</td><td>no rounding involved,
 *       or integers</td></tr>
 *   <tr><td>add, sub, mul, div, sqrt, reciprocal, square, affine, reductions of exact
 *       values</td><td>1e-6 relative</td><td>one or two IEEE roundings (about 8 ulps); allows
 *       OpenCL's 2.5-ulp division and 3-ulp sqrt and a fused multiply-add</td></tr>
 *   <tr><td>exp, log, pow, sigmoid, tanh, both GELUs, softplus, softmax</td><td>1e-5 relative + 1e-6
 *       absolute</td><td>library and vectorized transcendentals differ by a few ulps, and the
 *       backward passes read a float y, which has an ulp of absolute error</td></tr>
 *   <tr><td>log-softmax</td><td>1e-5 relative + 1e-5 absolute</td><td>{@code x - max - log sum}
 *       loses absolute precision near 0</td></tr>
 *   <tr><td>gemm, batchedGemm, linear</td><td>1e-6 * k * (|alpha| sum |a||b| + |beta||c|)</td><td>{@link
 *       Backend#gemm}'s "relative 1e-5 * k", made precise: relative to the magnitude of the terms,
 *       not to the result, which cancellation can make arbitrarily small. The worst-case error of
 *       a length-k float dot product is k roundings of the terms (k * 6e-8); 1e-6 * k leaves room
 *       for blocked and SIMD summation orders and fused multiply-adds on both sides</td></tr>
 *   <tr><td>sum, mean, sum of squares; layerNorm and its backward (per the magnitudes of the terms
 *       behind each result, see {@link NormReference})</td><td>1e-5 * max(1, ln n) * sum of |terms|</td><td>pairwise,
 *       tree or multi-accumulator summation orders differ; the error grows with the log of the
 *       count for tree sums (the Javadoc of {@link Backend#reduce})</td></tr>
 *   <tr><td>sgd, adam, adamw, rmsprop, adagrad</td><td>1e-5 relative + 1e-6 absolute</td><td>a few
 *       fused operations with a square root and a division per step</td></tr>
 *   <tr><td>randomNormal</td><td>1e-5 relative + 1e-5 absolute</td><td>Box-Muller in double,
 *       rounded once; a device may compute log and cos in float</td></tr>
 * </table>
 * NaN must meet NaN and an infinity the same infinity under every tolerance.
 *
 * <p>Each property runs a few dozen tries with bounded sizes (gemm up to 300), so the whole
 * suite takes seconds on the CPU backends and stays well under a minute on OpenCL over PoCL.
 */
public abstract class BackendConformanceTest extends AttentionOpTests {
    private static final Set<String> NOTED_UNSUPPORTED = ConcurrentHashMap.newKeySet();

    @Provide
    Arbitrary<Integer> gemmDim() {
        return Sizes.upTo(300);
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Sizes.upTo(17);
    }

    /** An attention product's sides: a sequence length or a head's width, up to 129. */
    @Provide
    Arbitrary<Integer> attentionDim() {
        return Sizes.upTo(129);
    }

    @Provide
    Arbitrary<Integer> rows() {
        return Sizes.upTo(129);
    }

    @Provide
    Arbitrary<Integer> cols() {
        return Sizes.upTo(300);
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Sizes.shapes();
    }

    /**
     * Runs {@code op} on backend-scalar and on the backend under test, each in its own scope, and
     * compares what it returns.
     */
    private void matchesScalar(String what, Tolerance tol, Function<Backend, Tensor> op) {
        Tensor[] shape = new Tensor[1];
        float[] expected = scoped(() -> {
            Tensor t = op.apply(ref());
            shape[0] = t;
            return t.toArray();
        });
        float[] actual = scoped(() -> op.apply(be()).toArray());
        Expect.close(be().name() + " vs scalar: " + what, shape[0].shape(), expected, actual, tol);
    }

    /**
     * Runs {@code check} for each value, skipping (and printing, once) those the backend does not
     * support; if it supports none, the last {@link UnsupportedOperationException} marks the whole
     * property unsupported.
     */
    private <T> void forEachSupported(T[] values, Consumer<T> check) {
        UnsupportedOperationException last = null;
        int supported = 0;
        for (T v : values) {
            try {
                check.accept(v);
                supported++;
            } catch (UnsupportedOperationException e) {
                last = e;
                if (NOTED_UNSUPPORTED.add(be().name() + ": " + e.getMessage())) {
                    System.out.println("[conformance] " + be().name() + ": " + ConformanceRules.PREFIX
                            + e.getMessage() + " (skipped within a property)");
                }
            }
        }
        if (supported == 0 && last != null) {
            throw last;
        }
    }

    // ------------------------------------------------------------------ gemm, linear, transpose

    @Property(tries = 25)
    void gemmMatchesScalar(@ForAll("gemmDim") int m, @ForAll("gemmDim") int n, @ForAll("gemmDim") int k,
            @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
        float alpha = new float[] {1f, -0.5f, 2f}[(int) Math.floorMod(seed, 3L)];
        float beta = new float[] {0f, 1f, 0.5f}[(int) Math.floorMod(seed >> 8, 3L)];
        float[] a = Values.uniform(seed, m * k, -1, 1);
        float[] b = Values.uniform(seed + 1, k * n, -1, 1);
        float[] c = Values.uniform(seed + 2, m * n, -1, 1);
        Tolerance tol = Tolerances.gemm(k, Reference.gemmScale(transA, transB, m, n, k, alpha, a, b, beta, c));
        matchesScalar(String.format("gemm transA=%s transB=%s m=%d n=%d k=%d alpha=%s beta=%s",
                transA, transB, m, n, k, alpha, beta), tol, be -> {
                    Tensor out = be.tensor(c, m, n);
                    be.gemm(transA, transB, alpha, transA ? be.tensor(a, k, m) : be.tensor(a, m, k),
                            transB ? be.tensor(b, n, k) : be.tensor(b, k, n), beta, out);
                    return out;
                });
    }

    @Property(tries = 20)
    void batchedGemmMatchesScalar(@ForAll("batches") int batch, @ForAll("attentionDim") int m,
            @ForAll("attentionDim") int n, @ForAll("attentionDim") int k, @ForAll boolean transA,
            @ForAll boolean transB, @ForAll long seed) {
        float alpha = new float[] {1f, -0.5f, 0.125f}[(int) Math.floorMod(seed, 3L)];
        float beta = new float[] {0f, 1f, 0.5f}[(int) Math.floorMod(seed >> 8, 3L)];
        float[] a = Values.uniform(seed, batch * m * k, -1, 1);
        float[] b = Values.uniform(seed + 1, batch * k * n, -1, 1);
        float[] c = Values.uniform(seed + 2, batch * m * n, -1, 1);
        double[] scale = new double[batch * m * n];
        for (int i = 0; i < batch; i++) {
            double[] s = Reference.gemmScale(transA, transB, m, n, k, alpha,
                    java.util.Arrays.copyOfRange(a, i * m * k, (i + 1) * m * k),
                    java.util.Arrays.copyOfRange(b, i * k * n, (i + 1) * k * n), beta,
                    java.util.Arrays.copyOfRange(c, i * m * n, (i + 1) * m * n));
            System.arraycopy(s, 0, scale, i * m * n, m * n);
        }
        matchesScalar(String.format("batchedGemm transA=%s transB=%s batch=%d m=%d n=%d k=%d alpha=%s beta=%s",
                transA, transB, batch, m, n, k, alpha, beta), Tolerances.gemm(k, scale), be -> {
                    Tensor out = be.tensor(c, batch, m, n);
                    be.batchedGemm(transA, transB, alpha,
                            transA ? be.tensor(a, batch, k, m) : be.tensor(a, batch, m, k),
                            transB ? be.tensor(b, batch, n, k) : be.tensor(b, batch, k, n), beta, out);
                    return out;
                });
    }

    @Property(tries = 20)
    void linearMatchesScalar(@ForAll("rows") int batch, @ForAll("rows") int in, @ForAll("rows") int out,
            @ForAll Activation act, @ForAll boolean withBias, @ForAll long seed) {
        float[] x = Values.uniform(seed, batch * in, -1, 1);
        float[] w = Values.uniform(seed + 1, out * in, -1, 1);
        float[] bias = Values.uniform(seed + 2, out, -1, 1);
        // The gemm's error, plus the bias's magnitude, carried through an activation whose slope is
        // at most about 1.76 (SELU's scale alpha, just below 0), plus the activation's own rounding.
        double[] scale = Reference.gemmScale(false, true, batch, out, in, 1, x, w, 0, null);
        for (int i = 0; i < scale.length; i++) {
            scale[i] = 1.8 * (scale[i] + (withBias ? Math.abs(bias[i % out]) : 0));
        }
        Tolerance tol = Tolerances.gemm(in, scale).plus(Tolerances.TRANSCENDENTAL);
        matchesScalar("linear " + act.label() + (withBias ? " with bias" : "") + " [" + batch + ", " + in + "] -> "
                + out, tol, be -> {
                    Tensor y = be.zeros(batch, out);
                    be.linear(be.tensor(x, batch, in), be.tensor(w, out, in), withBias ? be.tensor(bias, out) : null,
                            act, 0.01f, y);
                    return y;
                });
    }

    @Property(tries = 15)
    void linearWithPackedWeightsIsLinearBitForBit(@ForAll("rows") int batch, @ForAll("cols") int in,
            @ForAll("cols") int out, @ForAll Activation act, @ForAll boolean withBias, @ForAll long seed) {
        linearPackedAndUnpackedAgree(batch, in, out, act, withBias, seed);
    }

    /**
     * Shapes for each path of a packing GEMM: a few rows (one sample, fewer than a tile), a narrow
     * output (ten classes), products large enough to be split over threads and inner dimensions of
     * several K blocks (a 784-pixel input), none a multiple of a vector or a tile.
     */
    @net.jqwik.api.Example
    void linearWithPackedWeightsIsLinearBitForBitOnAModelsShapes() {
        int[][] shapes = {{1, 784, 256}, {5, 300, 129}, {64, 784, 256}, {64, 256, 128}, {64, 128, 10}, {13, 1000, 17},
            {200, 700, 300}, {7, 33, 1}};
        long seed = 11;
        for (int[] s : shapes) {
            linearPackedAndUnpackedAgree(s[0], s[1], s[2], Activation.RELU, true, seed++);
            linearPackedAndUnpackedAgree(s[0], s[1], s[2], Activation.IDENTITY, false, seed++);
        }
    }

    private void linearPackedAndUnpackedAgree(int batch, int in, int out, Activation act, boolean withBias, long seed) {
        float[] x = Values.uniform(seed, batch * in, -1, 1);
        float[] w = Values.uniform(seed + 1, out * in, -1, 1);
        float[] bias = Values.uniform(seed + 2, out, -1, 1);
        Backend be = be();
        scoped(() -> {
            Tensor weights = be.tensor(w, out, in);
            Tensor b = withBias ? be.tensor(bias, out) : null;
            Tensor xs = be.tensor(x, batch, in);
            Tensor expected = be.zeros(batch, out);
            be.linear(xs, weights, b, act, 0.01f, expected);
            dendrite.tensor.PackedWeights packed = be.packWeights(weights);
            be.fill(weights, Float.NaN);              // a snapshot: the weights' later values do not reach it
            Tensor actual = be.full(Float.NaN, batch, out);
            be.linear(xs, packed, b, act, 0.01f, actual);
            float[] e = expected.toArray();
            float[] a = actual.toArray();
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                    throw new AssertionError("linear " + act.label() + (withBias ? " with bias" : "") + " [" + batch
                            + ", " + in + "] -> " + out + " on " + be.name() + ": packed weights gave " + a[i]
                            + " at " + i + ", the weights themselves " + e[i]);
                }
            }
            return null;
        });
    }

    @Property(tries = 30)
    void transposeMatchesScalar(@ForAll("cols") int rows, @ForAll("cols") int cols, @ForAll long seed) {
        float[] x = Values.uniform(seed, rows * cols, -1, 1);
        matchesScalar("transpose [" + rows + ", " + cols + "]", Tolerance.exact(), be -> {
            Tensor out = be.zeros(cols, rows);
            be.transpose(be.tensor(x, rows, cols), out);
            return out;
        });
    }

    // ------------------------------------------------------------------ elementwise

    private static Tolerance unaryTolerance(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN -> Tolerance.exact();
            case EXP, LOG -> Tolerances.TRANSCENDENTAL;
            case SQRT, SQUARE, RECIPROCAL, RSQRT -> Tolerances.ELEMENTWISE;
        };
    }

    @Property(tries = 30)
    void unaryOpsMatchScalar(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] signed = Values.uniform(seed, shape.size(), -10, 10);
        float[] positive = Values.uniform(seed, shape.size(), 1e-3, 100);
        forEachSupported(UnaryOp.values(), op -> {
            float[] x = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? positive : signed;
            matchesScalar(op.label() + " " + shape, unaryTolerance(op), be -> {
                Tensor out = be.allocate(shape);
                be.unary(op, be.tensor(x, shape.dims()), out);
                return out;
            });
        });
    }

    @Property(tries = 30)
    void affinePowAndClampMatchScalar(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] x = Values.uniform(seed, shape.size(), -10, 10);
        float[] positive = Values.uniform(seed, shape.size(), 1e-3, 10);
        float alpha = (float) (seed % 1000) / 250f;
        float beta = -1.5f;
        // alpha x + beta may cancel: its error is relative to the terms, |alpha x| + |beta|.
        double[] scale = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            scale[i] = Math.abs(alpha * x[i]) + Math.abs(beta);
        }
        matchesScalar("affine " + alpha + " x - 1.5 " + shape, Tolerance.scaled(1e-6, scale, "(|alpha x| + |beta|)"),
                be -> {
                    Tensor out = be.allocate(shape);
                    be.affine(be.tensor(x, shape.dims()), alpha, beta, out);
                    return out;
                });
        for (float p : new float[] {2f, 0.5f, -1.5f, 3f}) {
            matchesScalar("pow(x, " + p + ") " + shape, Tolerances.TRANSCENDENTAL, be -> {
                Tensor out = be.allocate(shape);
                be.powScalar(be.tensor(positive, shape.dims()), p, out);
                return out;
            });
        }
        matchesScalar("clamp to [-2, 3] " + shape, Tolerance.exact(), be -> {
            Tensor out = be.allocate(shape);
            be.clamp(be.tensor(x, shape.dims()), -2f, 3f, out);
            return out;
        });
    }

    private static Tolerance binaryTolerance(BinaryOp op) {
        return switch (op) {
            case MAX, MIN -> Tolerance.exact();
            case POW -> Tolerances.TRANSCENDENTAL;
            case ADD, SUB, MUL, DIV -> Tolerances.ELEMENTWISE;
        };
    }

    @Property(tries = 25)
    void binaryOpsWithEveryBroadcastMatchScalar(@ForAll("rows") int rows, @ForAll("cols") int cols,
            @ForAll boolean rank3, @ForAll long seed) {
        int[] aDims = rank3 ? new int[] {2, rows, cols} : new int[] {rows, cols};
        int leading = rank3 ? 2 * rows : rows;
        float[] a = Values.uniform(seed, leading * cols, -10, 10);
        float[] positiveA = Values.uniform(seed, leading * cols, 0.1, 4);
        List<int[]> bShapes = List.of(aDims, new int[] {cols}, new int[] {1, cols}, new int[] {leading, 1},
                new int[] {}, new int[] {1});
        forEachSupported(BinaryOp.values(), op -> {
            for (int[] bDims : bShapes) {
                Shape bShape = Shape.of(bDims);
                float[] b = op == BinaryOp.POW ? Values.uniform(seed + 1, bShape.size(), -3, 3)
                        : Values.uniform(seed + 1, bShape.size(), -10, 10);
                float[] aValues = op == BinaryOp.POW ? positiveA : a;
                matchesScalar(op.label() + " " + Shape.of(aDims) + " with " + bShape, binaryTolerance(op), be -> {
                    Tensor out = be.zeros(aDims);
                    be.binary(op, be.tensor(aValues, aDims), be.tensor(b, bDims), out);
                    return out;
                });
            }
        });
    }

    // ------------------------------------------------------------------ reductions

    /** For each output of a reduction along {@code axis}: the sum of |term| (or term^2) over its line. */
    private static double[] reductionScale(ReduceOp op, Shape shape, float[] x, int axis) {
        int len = shape.dim(axis);
        int inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        int outer = shape.size() / (len * inner);
        double[] scale = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < len; j++) {
                    double v = x[(o * len + j) * inner + i];
                    s += op == ReduceOp.SUM_SQUARES ? v * v : Math.abs(v);
                }
                scale[o * inner + i] = op == ReduceOp.MEAN ? s / len : s;
            }
        }
        return scale;
    }

    private static Tolerance reductionTolerance(ReduceOp op, int count, double[] scale) {
        return op == ReduceOp.MAX ? Tolerance.exact() : Tolerances.sum(count, scale);
    }

    @Property(tries = 30)
    void reductionsAlongEveryAxisMatchScalar(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] x = Values.uniform(seed, shape.size(), -10, 10);
        forEachSupported(ReduceOp.values(), op -> {
            for (int axis = 0; axis < shape.rank(); axis++) {
                int a = axis;
                matchesScalar(op.label() + " along axis " + a + " of " + shape,
                        reductionTolerance(op, shape.dim(a), reductionScale(op, shape, x, a)), be -> {
                            Tensor out = be.allocate(shape.without(a));
                            be.reduce(op, be.tensor(x, shape.dims()), a, out);
                            return out;
                        });
            }
            Shape whole = Shape.of(shape.size());
            matchesScalar(op.label() + " of all " + shape,
                    reductionTolerance(op, shape.size(), reductionScale(op, whole, x, 0)), be -> {
                        Tensor out = be.allocate(Shape.scalar());
                        be.reduceAll(op, be.tensor(x, shape.dims()), out);
                        return out;
                    });
        });
    }

    // ------------------------------------------------------------------ rows

    @Property(tries = 30)
    void softmaxAndLogSoftmaxMatchScalar(@ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll long seed) {
        float[] x = Values.uniform(seed, rows * cols, -30, 30);
        // Some rows far from 0, where an unstable softmax overflows.
        for (int r = 0; r < rows; r += 3) {
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] += 500 * (r % 2 == 0 ? 1 : -1);
            }
        }
        matchesScalar("softmax [" + rows + ", " + cols + "]", Tolerances.TRANSCENDENTAL, be -> {
            Tensor out = be.zeros(rows, cols);
            be.softmax(be.tensor(x, rows, cols), out);
            return out;
        });
        matchesScalar("logSoftmax [" + rows + ", " + cols + "]", Tolerances.LOG_SOFTMAX, be -> {
            Tensor out = be.zeros(rows, cols);
            be.logSoftmax(be.tensor(x, rows, cols), out);
            return out;
        });
    }

    /** Row lengths of layer normalization: the sizes the brief names and the usual boundaries. */
    @Provide
    Arbitrary<Integer> normCols() {
        return net.jqwik.api.Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Arbitraries.of(1, 7, 33, 100)),
                net.jqwik.api.Tuple.of(1, Sizes.upTo(300)));
    }

    @Property(tries = 30)
    void layerNormForwardAndBackwardMatchScalar(@ForAll("rows") int rows, @ForAll("normCols") int cols,
            @ForAll boolean affine, @ForAll long seed) {
        float[] x = AttentionOpTests.normInput(seed, rows, cols);
        float[] gamma = affine ? Values.uniform(seed + 1, cols, -2, 2) : null;
        float[] beta = affine ? Values.uniform(seed + 2, cols, -1, 1) : null;
        float[] dy = Values.uniform(seed + 3, rows * cols, -1, 1);
        double[][] exact = NormReference.forward(rows, cols, x, gamma, beta, 1e-5);
        String shape = " [" + rows + ", " + cols + "]" + (affine ? " with gamma, beta" : "");
        // Each of the three outputs in turn, from the same call.
        String[] names = {"", ": mean", ": rstd"};
        Tolerance[] tolerances = {
            Tolerances.sum(cols, NormReference.forwardScale(rows, cols, x, gamma, beta, exact[1], exact[2])),
            Tolerances.sum(cols, NormReference.meanAbs(rows, cols, x)),
            Tolerance.relative(Tolerances.SUM_PER_LOG_N * Math.max(1, Math.log(cols)), 0)};
        for (int o = 0; o < 3; o++) {
            int output = o;
            matchesScalar("layerNorm" + shape + names[o], tolerances[o], be -> {
                Tensor[] outs = {be.zeros(rows, cols), be.zeros(rows), be.zeros(rows)};
                be.layerNorm(be.tensor(x, rows, cols), gamma == null ? null : be.tensor(gamma, cols),
                        beta == null ? null : be.tensor(beta, cols), 1e-5f, outs[0], outs[1], outs[2]);
                return outs[output];
            });
        }
        // Both backends get the reference's statistics, so only the backward kernels are compared.
        float[][] stats = scoped(() -> {
            Tensor out = ref().zeros(rows, cols);
            Tensor mean = ref().zeros(rows);
            Tensor rstd = ref().zeros(rows);
            ref().layerNorm(ref().tensor(x, rows, cols), gamma == null ? null : ref().tensor(gamma, cols), null, 1e-5f,
                    out, mean, rstd);
            return new float[][] {mean.toArray(), rstd.toArray()};
        });
        double[][] scale = NormReference.backwardScale(rows, cols, x, stats[0], stats[1], gamma, dy);
        String[] grads = {": dx", ": dgamma", ": dbeta"};
        Tolerance[] gradTolerances = {Tolerances.sum(cols, scale[0]), Tolerances.sum(rows, scale[1]),
            Tolerances.sum(rows, scale[2])};
        for (int o = 0; o < 3; o++) {
            int output = o;
            matchesScalar("layerNorm backward" + shape + grads[o], gradTolerances[o], be -> {
                Tensor[] outs = {be.zeros(rows, cols), be.zeros(cols), be.zeros(cols)};
                be.layerNormBackward(be.tensor(x, rows, cols), be.tensor(stats[0], rows), be.tensor(stats[1], rows),
                        gamma == null ? null : be.tensor(gamma, cols), be.tensor(dy, rows, cols), outs[0], outs[1],
                        outs[2]);
                return outs[output];
            });
        }
    }

    @Property(tries = 30)
    void argmaxMatchesScalarWithManyTies(@ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll long seed) {
        float[] x = Values.integers(seed, rows * cols, 5);
        matchesScalar("argmax [" + rows + ", " + cols + "]", Tolerance.exact(), be -> {
            Tensor out = be.zeros(rows);
            be.argmax(be.tensor(x, rows, cols), out);
            return out;
        });
    }

    @Property(tries = 30)
    void oneHotMatchesScalar(@ForAll("cols") int count, @ForAll("rows") int classes, @ForAll long seed) {
        float[] labels = Values.integers(seed, count, classes);
        matchesScalar("oneHot of " + count + " labels, " + classes + " classes", Tolerance.exact(), be -> {
            Tensor out = be.zeros(count, classes);
            be.oneHot(be.tensor(labels, count), 0.9f, 0.1f / classes, out);
            return out;
        });
    }

    @Property(tries = 30)
    void gatherRowsMatchesScalar(@ForAll("rows") int srcRows, @ForAll("cols") int rowSize, @ForAll("rows") int count,
            @ForAll long seed) {
        float[] src = Values.uniform(seed, srcRows * rowSize, -1, 1);
        int[] indices = Values.indices(seed, count + 3, srcRows);
        matchesScalar("gatherRows " + count + " of [" + srcRows + ", " + rowSize + "]", Tolerance.exact(), be -> {
            Tensor out = be.zeros(count, rowSize);
            be.gatherRows(be.tensor(src, srcRows, rowSize), indices, 3, out);
            return out;
        });
    }

    /**
     * Many source rows into few target rows, so targets repeat (an embedding's gradient), with some
     * rows skipped (index -1): exactly the reference's sums, since rows sharing a target are added
     * in order on every backend.
     */
    @Property(tries = 30)
    void scatterAddRowsMatchesScalar(@ForAll("rows") int outRows, @ForAll("cols") int rowSize, @ForAll("rows") int count,
            @ForAll long seed) {
        float[] src = Values.uniform(seed, count * rowSize, -1, 1);
        float[] start = Values.uniform(seed + 1, outRows * rowSize, -1, 1);
        int[] indices = Values.indices(seed, count + 2, outRows);
        for (int i = 2; i < indices.length; i += 5) {
            indices[i] = -1;
        }
        matchesScalar("scatterAddRows " + count + " rows into [" + outRows + ", " + rowSize + "]", Tolerance.exact(), be -> {
            Tensor out = be.tensor(start, outRows, rowSize);
            be.scatterAddRows(be.tensor(src, count, rowSize), indices, 2, out);
            return out;
        });
    }

    /**
     * A block of columns copied between matrices of different widths (concatenation and its split),
     * the rest of the destination untouched: exactly the reference's values.
     */
    @Property(tries = 30)
    void copyColumnsMatchesScalar(@ForAll("rows") int rows, @ForAll("cols") int srcCols, @ForAll("cols") int dstCols,
            @ForAll long seed) {
        int width = Math.max(0, Math.min(srcCols, dstCols) - 1);
        int srcFrom = srcCols - width;
        int dstFrom = (dstCols - width) / 2;
        float[] src = Values.uniform(seed, rows * srcCols, -1, 1);
        float[] start = Values.uniform(seed + 1, rows * dstCols, -1, 1);
        matchesScalar("copyColumns " + width + " of [" + rows + ", " + srcCols + "] into [" + rows + ", " + dstCols
                + "]", Tolerance.exact(), be -> {
            Tensor out = be.tensor(start, rows, dstCols);
            be.copyColumns(be.tensor(src, rows, srcCols), srcFrom, out, dstFrom, width);
            return out;
        });
    }

    // ------------------------------------------------------------------ activations

    @Property(tries = 30)
    void activationsForwardAndBackwardMatchScalar(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] x = Values.uniform(seed, shape.size(), -8, 8);
        float[] dy = Values.uniform(seed + 1, shape.size(), -2, 2);
        forEachSupported(Activation.values(), act -> activationMatchesScalar(act, shape, x, dy));
    }

    /**
     * Both GELUs over [-10, 10], where the exact one's Phi runs from 7.6e-24 to 1 and a backend's
     * erfc is tested over all of its range, the ends themselves included; the tanh form alongside.
     */
    @Property(tries = 20)
    void gelusMatchScalarFromMinusTenToTen(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] x = Values.uniform(seed, shape.size(), -10, 10);
        float[] ends = {-10, 10, -9.99f, -0.75f, 0, -0f, 1e-30f, -1e-30f};
        System.arraycopy(ends, 0, x, 0, Math.min(ends.length, x.length));
        float[] dy = Values.uniform(seed + 1, shape.size(), -2, 2);
        forEachSupported(new Activation[] {Activation.GELU, Activation.GELU_TANH},
                act -> activationMatchesScalar(act, shape, x, dy));
    }

    /** Forward against the reference's, then backward from the reference's forward output. */
    private void activationMatchesScalar(Activation act, Shape shape, float[] x, float[] dy) {
        double[] dyScale = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dyScale[i] = Math.abs(dy[i]);
        }
        float param = 0.02f;
        Tolerance forwardTol = act == Activation.RELU || act == Activation.IDENTITY
                ? Tolerance.exact() : Tolerances.TRANSCENDENTAL;
        matchesScalar(act.label() + " " + shape, forwardTol, be -> {
            Tensor out = be.allocate(shape);
            be.activation(act, param, be.tensor(x, shape.dims()), out);
            return out;
        });
        // Both backends get the same forward output, so only the backward kernels are compared.
        float[] y = scoped(() -> {
            Tensor out = ref().allocate(shape);
            ref().activation(act, param, ref().tensor(x, shape.dims()), out);
            return out.toArray();
        });
        Tolerance backwardTol = Tolerances.TRANSCENDENTAL.plus(Tolerance.scaled(1e-6, dyScale, "|dy|"));
        matchesScalar(act.label() + " backward " + shape, backwardTol, be -> {
            Tensor dx = be.allocate(shape);
            be.activationBackward(act, param, be.tensor(x, shape.dims()), be.tensor(y, shape.dims()),
                    be.tensor(dy, shape.dims()), dx);
            return dx;
        });
    }

    // ------------------------------------------------------------------ optimizers

    /** One optimizer configuration: three updates of a parameter with its state. */
    private record Optimizer(String name, int stateCount, OptimizerStep step) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface OptimizerStep {
        void apply(Backend be, Tensor param, Tensor grad, Tensor[] state, int t);
    }

    private static final Optimizer[] OPTIMIZERS = {
        new Optimizer("sgd", 0, (be, p, g, s, t) -> be.sgdUpdate(p, g, null, 0.1f, 0f, 0f, false)),
        new Optimizer("sgd momentum", 1, (be, p, g, s, t) -> be.sgdUpdate(p, g, s[0], 0.1f, 0.9f, 0.001f, false)),
        new Optimizer("sgd nesterov", 1, (be, p, g, s, t) -> be.sgdUpdate(p, g, s[0], 0.1f, 0.9f, 0.001f, true)),
        new Optimizer("adam", 2, (be, p, g, s, t) -> be.adamUpdate(p, g, s[0], s[1], 0.01f, 0.9f, 0.999f, 1e-8f,
                0.01f, false, t)),
        new Optimizer("adamw", 2, (be, p, g, s, t) -> be.adamUpdate(p, g, s[0], s[1], 0.01f, 0.9f, 0.999f, 1e-8f,
                0.01f, true, t)),
        new Optimizer("rmsprop", 1, (be, p, g, s, t) -> be.rmspropUpdate(p, g, s[0], 0.01f, 0.99f, 1e-8f, 0.001f)),
        new Optimizer("adagrad", 1, (be, p, g, s, t) -> be.adagradUpdate(p, g, s[0], 0.1f, 1e-10f, 0.001f)),
    };

    @Property(tries = 20)
    void optimizerUpdatesMatchScalarOverThreeSteps(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] p0 = Values.uniform(seed, shape.size(), -1, 1);
        List<float[]> grads = new ArrayList<>();
        for (int step = 1; step <= 3; step++) {
            grads.add(Values.uniform(seed + step, shape.size(), -1, 1));
        }
        forEachSupported(OPTIMIZERS, opt -> matchesScalar(opt.name() + " " + shape + ", 3 steps",
                Tolerances.OPTIMIZER, be -> {
                    Tensor p = be.tensor(p0, shape.dims());
                    Tensor[] state = new Tensor[opt.stateCount()];
                    for (int s = 0; s < state.length; s++) {
                        state[s] = be.allocate(shape);
                    }
                    for (int step = 1; step <= 3; step++) {
                        opt.step().apply(be, p, be.tensor(grads.get(step - 1), shape.dims()), state, step);
                    }
                    return p;
                }));
    }

    // ------------------------------------------------------------------ fill, copy, random

    @Property(tries = 30)
    void fillCopyAndRandomOpsMatchScalar(@ForAll("shapes") Shape shape, @ForAll long seed) {
        float[] x = Values.uniform(seed, shape.size(), -1, 1);
        float value = x[0];
        matchesScalar("fill " + shape, Tolerance.exact(), be -> {
            Tensor out = be.allocate(shape);
            be.fill(out, value);
            return out;
        });
        matchesScalar("copy " + shape + " to [" + shape.size() + "]", Tolerance.exact(), be -> {
            Tensor out = be.zeros(shape.size());
            be.copy(be.tensor(x, shape.dims()), out);
            return out;
        });
        matchesScalar("randomUniform [0, 1) " + shape, Tolerance.exact(), be -> {
            Tensor out = be.allocate(shape);
            be.randomUniform(seed, 0f, 1f, out);
            return out;
        });
        matchesScalar("bernoulliMask " + shape, Tolerance.exact(), be -> {
            Tensor out = be.allocate(shape);
            be.bernoulliMask(seed, 0.8f, 1.25f, out);
            return out;
        });
        matchesScalar("randomNormal " + shape, Tolerance.relative(1e-5, 1e-5), be -> {
            Tensor out = be.allocate(shape);
            be.randomNormal(seed, 0.5f, 2f, out);
            return out;
        });
    }

    // ------------------------------------------------------------------ views

    @Property(tries = 25)
    void kernelsOnRowViewsMatchScalar(@ForAll("rows") int rows, @ForAll("cols") int cols, @ForAll long seed) {
        int from = (int) Math.floorMod(seed, (long) rows);
        int to = from + 1 + (int) Math.floorMod(seed >> 16, (long) (rows - from));
        int n = to - from;
        float[] x = Values.uniform(seed, rows * cols, -3, 3);
        float[] w = Values.uniform(seed + 1, cols * 7, -1, 1);
        float[] rowVector = Values.uniform(seed + 2, cols, -1, 1);
        String where = "rows [" + from + ", " + to + ") of [" + rows + ", " + cols + "]";
        matchesScalar("exp, mul by a row and softmax in place on " + where, Tolerances.TRANSCENDENTAL, be -> {
            Tensor all = be.tensor(x, rows, cols);
            Tensor view = all.rows(from, to);
            be.unary(UnaryOp.EXP, view, view);
            be.binary(BinaryOp.MUL, view, be.tensor(rowVector, cols), view);
            be.softmax(view, view);
            return all;
        });
        double[] scale = Reference.gemmScale(false, false, n, 7, cols, 1, java.util.Arrays.copyOfRange(x,
                from * cols, to * cols), w, 0, null);
        double[] fullScale = new double[rows * 7];
        System.arraycopy(scale, 0, fullScale, from * 7, n * 7);
        matchesScalar("gemm of " + where + " into the same rows of [" + rows + ", 7]",
                Tolerances.gemm(cols, fullScale), be -> {
                    Tensor c = be.zeros(rows, 7);
                    be.gemm(false, false, 1f, be.tensor(x, rows, cols).rows(from, to), be.tensor(w, cols, 7), 0f,
                            c.rows(from, to));
                    return c;
                });
    }
}
