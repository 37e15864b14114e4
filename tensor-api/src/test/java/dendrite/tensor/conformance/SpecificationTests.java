package dendrite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.MemoryStats;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.op.CounterRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The specification half of the conformance suite: small hand-computed cases and invariants with
 * expectations that do not come from any backend (the formulas in {@link Backend}'s Javadoc
 * recomputed in double by {@link Reference}, or worked out by hand). They run on every backend,
 * scalar included, so they are what makes the reference itself trustworthy. Shape errors, use
 * after close and views are in {@link ContractTests}; see {@link BackendConformanceTest}.
 */
public abstract class SpecificationTests extends ContractTests {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    private float[] run(UnaryOp op, float... x) {
        Tensor in = t(x, x.length);
        Tensor out = be().zeros(x.length);
        be().unary(op, in, out);
        return out.toArray();
    }

    private float[] run(BinaryOp op, float[] a, float[] b) {
        Tensor out = be().zeros(a.length);
        be().binary(op, t(a, a.length), t(b, b.length), out);
        return out.toArray();
    }

    private float[] run(Activation act, float param, float... x) {
        Tensor out = be().zeros(x.length);
        be().activation(act, param, t(x, x.length), out);
        return out.toArray();
    }

    private void exactly(String what, float[] expected, float[] actual) {
        Expect.exact(be().name() + " " + what, Shape.of(expected.length), expected, actual);
    }

    // ------------------------------------------------------------------ gemm and linear

    @Test
    void gemmOfTwoSmallMatricesIsExact() {
        Tensor c = be().zeros(2, 2);
        be().gemm(false, false, 1f, t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {5, 6, 7, 8}, 2, 2), 0f, c);
        exactly("gemm [[1,2],[3,4]] x [[5,6],[7,8]]", new float[] {19, 22, 43, 50}, c.toArray());
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @CsvSource({
        "false, false, 5, 3, 7", "false, true, 5, 3, 7", "true, false, 5, 3, 7", "true, true, 5, 3, 7",
        "false, false, 33, 17, 65", "false, true, 33, 17, 65", "true, false, 33, 17, 65", "true, true, 33, 17, 65"})
    void gemmWithAlphaBetaAndTransposesMatchesADoubleLoop(boolean transA, boolean transB, int m, int n, int k) {
        float[] a = Values.uniform(1, m * k, -1, 1);
        float[] b = Values.uniform(2, k * n, -1, 1);
        float[] c0 = Values.uniform(3, m * n, -1, 1);
        float alpha = 1.5f;
        float beta = -0.5f;
        Tensor c = t(c0, m, n);
        be().gemm(transA, transB, alpha, transA ? t(a, k, m) : t(a, m, k), transB ? t(b, n, k) : t(b, k, n), beta, c);
        Expect.close(be().name() + " gemm transA=" + transA + " transB=" + transB, c.shape(),
                Reference.gemm(transA, transB, m, n, k, alpha, a, b, beta, c0), c.toArray(),
                Tolerances.gemm(k, Reference.gemmScale(transA, transB, m, n, k, alpha, a, b, beta, c0)));
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInTheOutput() {
        Tensor c = be().full(NAN, 2, 2);
        be().gemm(false, false, 2f, t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {5, 6, 7, 8}, 2, 2), 0f, c);
        exactly("gemm alpha=2 beta=0 into NaN", new float[] {38, 44, 86, 100}, c.toArray());
    }

    @Test
    void gemmWithBetaOneAccumulatesIntoTheOutput() {
        Tensor c = t(new float[] {1, -1, 0.5f, 10}, 2, 2);
        be().gemm(false, false, 1f, t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {5, 6, 7, 8}, 2, 2), 1f, c);
        exactly("gemm beta=1", new float[] {20, 21, 43.5f, 60}, c.toArray());
    }

    @Test
    void gemmPropagatesNaNAndInfinityFromItsInputs() {
        Tensor c = be().zeros(2, 2);
        // Row 0 of A holds a NaN, row 1 an infinity: each poisons only its own row of C.
        be().gemm(false, false, 1f, t(new float[] {NAN, 1, INF, 1}, 2, 2), t(new float[] {1, 2, 3, 4}, 2, 2), 0f, c);
        exactly("gemm with NaN and infinity", new float[] {NAN, NAN, INF, INF}, c.toArray());
    }

    @Test
    void linearIsMatmulWithTransposedWeightsPlusBiasThenActivation() {
        float[] x = {1, -2, 3, 0.5f, -1, 2};     // [2, 3]
        float[] w = {1, 0, -1, 2, 1, 0.5f};      // [2 out, 3 in]
        float[] bias = {1, -1};
        Tensor out = be().zeros(2, 2);
        // x w^T = [[1 - 3, 2 - 2 + 1.5], [0.5 - 2, 1 - 1 + 1]] = [[-2, 1.5], [-1.5, 1]]; + bias = [[-1, 0.5], [-0.5, 0]]
        be().linear(t(x, 2, 3), t(w, 2, 3), t(bias, 2), Activation.RELU, 0f, out);
        exactly("linear relu", new float[] {0, 0.5f, 0, 0}, out.toArray());
        be().linear(t(x, 2, 3), t(w, 2, 3), t(bias, 2), Activation.IDENTITY, 0f, out);
        exactly("linear identity", new float[] {-1, 0.5f, -0.5f, 0}, out.toArray());
        be().linear(t(x, 2, 3), t(w, 2, 3), null, Activation.IDENTITY, 0f, out);
        exactly("linear without bias", new float[] {-2, 1.5f, -1.5f, 1}, out.toArray());
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        Tensor out = be().zeros(3, 2);
        be().transpose(t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), out);
        exactly("transpose [2, 3]", new float[] {1, 4, 2, 5, 3, 6}, out.toArray());
    }

    // ------------------------------------------------------------------ elementwise

    private static double unaryDefinition(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case SIGN -> Math.signum(x);
            case RSQRT -> 1 / Math.sqrt(x);
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    void unaryOpMatchesItsDefinition(UnaryOp op) {
        boolean positiveOnly = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT;
        float[] x = positiveOnly ? new float[] {0.001f, 0.3f, 1, 2, 7.25f, 100, 1e6f}
                : new float[] {-2.5f, -1, -0.3f, 0.001f, 0.5f, 1, 7.25f, 20};
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = unaryDefinition(op, x[i]);
        }
        Tolerance tol = op == UnaryOp.EXP || op == UnaryOp.LOG ? Tolerances.TRANSCENDENTAL : Tolerances.ELEMENTWISE;
        Expect.close(be().name() + " " + op.label(), Shape.of(x.length), expected, run(op, x), tol);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    void unaryOpOfNaNIsNaN(UnaryOp op) {
        exactly(op.label() + "(NaN)", new float[] {NAN, NAN}, run(op, NAN, -NAN));
    }

    @Test
    void unaryOpsOnInfinitiesAndZeroFollowIeee() {
        exactly("exp(-inf, inf, 200, -200)", new float[] {0, INF, INF, 0}, run(UnaryOp.EXP, -INF, INF, 200, -200));
        exactly("log(0, -1, inf, 1)", new float[] {-INF, NAN, INF, 0}, run(UnaryOp.LOG, 0, -1, INF, 1));
        exactly("sqrt(-1, inf, 0)", new float[] {NAN, INF, 0}, run(UnaryOp.SQRT, -1, INF, 0));
        exactly("reciprocal(0, inf)", new float[] {INF, 0}, run(UnaryOp.RECIPROCAL, 0, INF));
        exactly("abs(-inf)", new float[] {INF}, run(UnaryOp.ABS, -INF));
        exactly("neg(inf)", new float[] {-INF}, run(UnaryOp.NEG, INF));
        exactly("square(-inf, 1e20)", new float[] {INF, INF}, run(UnaryOp.SQUARE, -INF, 1e20f));
        exactly("sign(-inf, -3, 0, 5)", new float[] {-1, -1, 0, 1}, run(UnaryOp.SIGN, -INF, -3, 0, 5));
        exactly("rsqrt(0, -0, inf, -1, 4)", new float[] {INF, -INF, 0, NAN, 0.5f},
                run(UnaryOp.RSQRT, 0, -0f, INF, -1, 4));
    }

    @Test
    void affineScalesAndShiftsInPlace() {
        Tensor x = t(new float[] {-1, 0, 3, 0.5f}, 4);
        be().affine(x, 2f, 1f, x);
        exactly("affine 2x + 1", new float[] {-1, 1, 7, 2}, x.toArray());
        be().affine(x, -0.5f, 0f, x);
        exactly("affine -0.5x", new float[] {0.5f, -0.5f, -3.5f, -1}, x.toArray());
    }

    @Test
    void powScalarFollowsMathPow() {
        float[] x = {0.5f, 2, 9, 0, -8, NAN, INF};
        for (float p : new float[] {2f, 0.5f, -1f, 0f, 1f / 3}) {
            Tensor out = be().zeros(x.length);
            be().powScalar(t(x, x.length), p, out);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = Math.pow(x[i], p);
            }
            Expect.close(be().name() + " pow(x, " + p + ")", out.shape(), expected, out.toArray(),
                    Tolerances.TRANSCENDENTAL);
        }
    }

    @Test
    void clampLimitsBothSidesAndKeepsNaN() {
        Tensor out = be().zeros(8);
        be().clamp(t(new float[] {-5, -1, 0, 2, 9, NAN, INF, -INF}, 8), -1f, 2f, out);
        exactly("clamp to [-1, 2]", new float[] {-1, -1, 0, 2, 2, NAN, 2, -1}, out.toArray());
    }

    private static double binaryDefinition(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BinaryOp.class)
    void binaryOpMatchesItsDefinition(BinaryOp op) {
        float[] a = {1.5f, -2, 3, 0.25f, 7, 100, 0.1f, 4};
        float[] b = {2, 0.5f, -3, 0.75f, 7, -0.01f, 3, 0.5f};
        if (op == BinaryOp.POW) {
            a = new float[] {1.5f, 2, 3, 0.25f, 7, 100, 0.1f, 4};   // a positive base keeps pow real
        }
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = binaryDefinition(op, a[i], b[i]);
        }
        Tolerance tol = op == BinaryOp.POW ? Tolerances.TRANSCENDENTAL : Tolerances.ELEMENTWISE;
        Expect.close(be().name() + " " + op.label(), Shape.of(a.length), expected, run(op, a, b), tol);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BinaryOp.class)
    void binaryOpWithANaNOperandIsNaN(BinaryOp op) {
        // NaN on either side; for pow, 1^NaN is NaN under Math.pow (unlike C's pow).
        exactly(op.label() + " with NaN", new float[] {NAN, NAN}, run(op, new float[] {NAN, 1}, new float[] {2, NAN}));
    }

    @Test
    void binaryOpsOnInfinitiesFollowIeee() {
        exactly("inf - inf, inf + 1", new float[] {NAN, INF}, run(BinaryOp.SUB, new float[] {INF, INF}, new float[] {INF, -1}));
        exactly("inf * 0, -inf * 2", new float[] {NAN, -INF}, run(BinaryOp.MUL, new float[] {INF, -INF}, new float[] {0, 2}));
        exactly("1/0, -1/0, 0/0, 1/inf", new float[] {INF, -INF, NAN, 0},
                run(BinaryOp.DIV, new float[] {1, -1, 0, 1}, new float[] {0, 0, 0, INF}));
        exactly("max(-inf, 3), max(inf, 3)", new float[] {3, INF}, run(BinaryOp.MAX, new float[] {-INF, INF}, new float[] {3, 3}));
        exactly("min(inf, 3), min(-inf, 3)", new float[] {3, -INF}, run(BinaryOp.MIN, new float[] {INF, -INF}, new float[] {3, 3}));
    }

    @Test
    void binaryBroadcastsARowVectorDownTheRows() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor out = be().zeros(2, 3);
        be().binary(BinaryOp.ADD, a, t(new float[] {10, 20, 30}, 3), out);
        exactly("[2, 3] + row [3]", new float[] {11, 22, 33, 14, 25, 36}, out.toArray());
        be().binary(BinaryOp.SUB, a, t(new float[] {1, 1, 2}, 1, 3), out);
        exactly("[2, 3] - row [1, 3]", new float[] {0, 1, 1, 3, 4, 4}, out.toArray());
    }

    @Test
    void binaryBroadcastsAColumnVectorAlongEachRow() {
        Tensor out = be().zeros(2, 3);
        be().binary(BinaryOp.MUL, t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), t(new float[] {10, -1}, 2, 1), out);
        exactly("[2, 3] * column [2, 1]", new float[] {10, 20, 30, -4, -5, -6}, out.toArray());
    }

    @Test
    void binaryBroadcastsASingleValue() {
        Tensor out = be().zeros(2, 2);
        be().binary(BinaryOp.DIV, t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {2}), out);
        exactly("[2, 2] / scalar []", new float[] {0.5f, 1, 1.5f, 2}, out.toArray());
        be().binary(BinaryOp.MAX, t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {2.5f}, 1), out);
        exactly("max([2, 2], [1])", new float[] {2.5f, 2.5f, 3, 4}, out.toArray());
    }

    @Test
    void binaryBroadcastsOverTheRowsOfARank3Tensor() {
        float[] a = new float[12];
        for (int i = 0; i < 12; i++) {
            a[i] = i;
        }
        Tensor out = be().zeros(2, 2, 3);
        be().binary(BinaryOp.ADD, t(a, 2, 2, 3), t(new float[] {100, 200, 300}, 3), out);
        exactly("[2, 2, 3] + row [3]", new float[] {100, 201, 302, 103, 204, 305, 106, 207, 308, 109, 210, 311},
                out.toArray());
        // A column has one value per row of the [4 rows, 3] matrix view: [4, 1].
        be().binary(BinaryOp.SUB, t(a, 2, 2, 3), t(new float[] {0, 1, 2, 3}, 4, 1), out);
        exactly("[2, 2, 3] - column [4, 1]", new float[] {0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8}, out.toArray());
    }

    @Test
    void binaryMayWriteIntoEitherInput() {
        Tensor a = t(new float[] {1, 2, 3}, 3);
        Tensor b = t(new float[] {10, 20, 30}, 3);
        be().binary(BinaryOp.ADD, a, b, a);
        exactly("a += b", new float[] {11, 22, 33}, a.toArray());
        be().binary(BinaryOp.SUB, a, b, b);
        exactly("b = a - b", new float[] {1, 2, 3}, b.toArray());
    }

    // ------------------------------------------------------------------ reductions

    private static float[] rank3Values() {
        float[] x = new float[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 % 11) - 5 + 0.5f;    // distinct halves: every sum below is exact in float
        }
        return x;
    }

    private static double reduceDefinition(ReduceOp op, double[] xs) {
        double s = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (double x : xs) {
            s = switch (op) {
                case SUM, MEAN -> s + x;
                case MAX -> Math.max(s, x);
                case SUM_SQUARES -> s + x * x;
            };
        }
        return op == ReduceOp.MEAN ? s / xs.length : s;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReduceOp.class)
    void reduceAlongEachAxisOfARank3Tensor(ReduceOp op) {
        int[] dims = {2, 3, 4};
        float[] x = rank3Values();
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            int a = axis < 0 ? axis + 3 : axis;
            Shape outShape = Shape.of(dims).without(a);
            double[] expected = new double[outShape.size()];
            int o = 0;
            // Walk the output in row-major order; for each position collect the line along the axis.
            int[] idx = new int[3];
            for (idx[0] = 0; idx[0] < (a == 0 ? 1 : dims[0]); idx[0]++) {
                for (idx[1] = 0; idx[1] < (a == 1 ? 1 : dims[1]); idx[1]++) {
                    for (idx[2] = 0; idx[2] < (a == 2 ? 1 : dims[2]); idx[2]++) {
                        double[] line = new double[dims[a]];
                        for (int j = 0; j < dims[a]; j++) {
                            int[] p = idx.clone();
                            p[a] = j;
                            line[j] = x[(p[0] * 3 + p[1]) * 4 + p[2]];
                        }
                        expected[o++] = reduceDefinition(op, line);
                    }
                }
            }
            Tensor out = be().allocate(outShape);
            be().reduce(op, t(x, dims), axis, out);
            Expect.close(be().name() + " " + op.label() + " along axis " + axis + " of [2, 3, 4]", outShape, expected,
                    out.toArray(), Tolerances.ELEMENTWISE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReduceOp.class)
    void reduceAllOfARank3Tensor(ReduceOp op) {
        float[] x = rank3Values();
        Tensor out = be().zeros(1);
        be().reduceAll(op, t(x, 2, 3, 4), out);
        Expect.close(be().name() + " " + op.label() + " of all", out.shape(),
                new double[] {reduceDefinition(op, Expect.toDouble(x))}, out.toArray(), Tolerances.ELEMENTWISE);
        assertEquals(out.item(), be().reduceToFloat(op, t(x, 2, 3, 4)), "reduceToFloat agrees with reduceAll");
    }

    @Test
    void reduceAcceptsAnOutputThatKeepsTheAxisAsOne() {
        Tensor out = be().zeros(2, 1);
        be().reduce(ReduceOp.SUM, t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 1, out);
        exactly("sum along axis 1 into [2, 1]", new float[] {6, 15}, out.toArray());
    }

    @Test
    void reductionsPropagateNaNAndInfinity() {
        Tensor out = be().zeros(1);
        be().reduceAll(ReduceOp.MAX, t(new float[] {1, NAN, 3}, 3), out);
        exactly("max(1, NaN, 3)", new float[] {NAN}, out.toArray());
        be().reduceAll(ReduceOp.SUM, t(new float[] {1, NAN, 3}, 3), out);
        exactly("sum(1, NaN, 3)", new float[] {NAN}, out.toArray());
        be().reduceAll(ReduceOp.SUM, t(new float[] {INF, 1}, 2), out);
        exactly("sum(inf, 1)", new float[] {INF}, out.toArray());
        be().reduceAll(ReduceOp.SUM, t(new float[] {INF, -INF}, 2), out);
        exactly("sum(inf, -inf)", new float[] {NAN}, out.toArray());
        be().reduceAll(ReduceOp.MAX, t(new float[] {-INF, -INF}, 2), out);
        exactly("max(-inf, -inf)", new float[] {-INF}, out.toArray());
        Tensor rows = be().zeros(2);
        be().reduce(ReduceOp.MEAN, t(new float[] {1, NAN, 2, 4}, 2, 2), 1, rows);
        exactly("mean of rows [1, NaN], [2, 4]", new float[] {NAN, 3}, rows.toArray());
    }

    // ------------------------------------------------------------------ softmax, argmax, one-hot, gather

    @Test
    void softmaxMatchesItsDefinitionAndRowsSumToOne() {
        int rows = 7;
        int cols = 33;
        float[] x = Values.uniform(11, rows * cols, -10, 10);
        Tensor out = be().zeros(rows, cols);
        be().softmax(t(x, rows, cols), out);
        float[] y = out.toArray();
        double[] expected = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[r * cols + c] - max);
            }
            double rowSum = 0;
            for (int c = 0; c < cols; c++) {
                expected[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
                rowSum += y[r * cols + c];
            }
            assertEquals(1.0, rowSum, 1e-5, "softmax row " + r + " sums to 1");
        }
        Expect.close(be().name() + " softmax", out.shape(), expected, y, Tolerances.TRANSCENDENTAL);
    }

    @Test
    void softmaxOfKnownRows() {
        Tensor out = be().zeros(1, 2);
        be().softmax(t(new float[] {0, (float) Math.log(3)}, 1, 2), out);
        Expect.close(be().name() + " softmax(0, ln 3)", out.shape(), new double[] {0.25, 0.75}, out.toArray(),
                Tolerances.TRANSCENDENTAL);
    }

    @Test
    void softmaxSurvivesLargeInputs() {
        Tensor out = be().zeros(4, 2);
        be().softmax(t(new float[] {1000, 1000, 1000, 0, -1000, -1000, 1000, 999}, 4, 2), out);
        double e = Math.E;
        Expect.close(be().name() + " softmax of +-1000", out.shape(),
                new double[] {0.5, 0.5, 1, 0, 0.5, 0.5, e / (1 + e), 1 / (1 + e)}, out.toArray(),
                Tolerances.TRANSCENDENTAL);
    }

    @Test
    void softmaxOfARowWithNaNIsNaNAndOtherRowsAreUnaffected() {
        Tensor out = be().zeros(2, 2);
        be().softmax(t(new float[] {1, NAN, 0, 0}, 2, 2), out);
        exactly("softmax rows [1, NaN], [0, 0]", new float[] {NAN, NAN, 0.5f, 0.5f}, out.toArray());
    }

    @Test
    void logSoftmaxIsTheLogOfSoftmax() {
        int rows = 5;
        int cols = 17;
        float[] x = Values.uniform(12, rows * cols, -20, 20);
        Tensor soft = be().zeros(rows, cols);
        Tensor logSoft = be().zeros(rows, cols);
        be().softmax(t(x, rows, cols), soft);
        be().logSoftmax(t(x, rows, cols), logSoft);
        float[] s = soft.toArray();
        double[] logOfSoftmax = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            logOfSoftmax[i] = Math.log(s[i]);
        }
        // log of a float that may have underflowed loses precision: compare only where s is normal.
        float[] ls = logSoft.toArray();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 1e-30f) {
                logOfSoftmax[i] = ls[i];
            }
        }
        Expect.close(be().name() + " logSoftmax vs log(softmax)", logSoft.shape(), logOfSoftmax, ls,
                Tolerances.LOG_SOFTMAX);
    }

    @Test
    void logSoftmaxSurvivesLargeInputs() {
        Tensor out = be().zeros(2, 2);
        be().logSoftmax(t(new float[] {1000, 0, -1000, -1000}, 2, 2), out);
        Expect.close(be().name() + " logSoftmax of +-1000", out.shape(), new double[] {0, -1000, -Math.log(2), -Math.log(2)},
                out.toArray(), Tolerances.LOG_SOFTMAX);
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        Tensor out = be().zeros(3);
        be().argmax(t(new float[] {1, 3, 3, 2, 2, 2, 5, 1, 5}, 3, 3), out);
        exactly("argmax of rows with ties", new float[] {1, 0, 0}, out.toArray());
        Tensor out4 = be().zeros(4);
        be().argmax(t(new float[] {0, 1, 9, 8, -1, -2, 4, 4, -INF, -INF, 7, 7.5f}, 2, 2, 3), out4);
        exactly("argmax over the 4 rows of [2, 2, 3]", new float[] {2, 0, 0, 2}, out4.toArray());
    }

    @Test
    void argmaxCountsNaNAsLargest() {
        Tensor out = be().zeros(2);
        be().argmax(t(new float[] {1, NAN, 3, INF, 2, NAN}, 2, 3), out);
        exactly("argmax with NaN", new float[] {1, 2}, out.toArray());
    }

    @Test
    void oneHotWithLabelSmoothing() {
        float s = 0.1f;
        int classes = 4;
        float on = 1 - s + s / classes;
        float off = s / classes;
        Tensor out = be().zeros(3, classes);
        be().oneHot(t(new float[] {2, 0, 3}, 3), on, off, out);
        exactly("oneHot [2, 0, 3] of 4", new float[] {off, off, on, off, on, off, off, off, off, off, off, on},
                out.toArray());
    }

    @Test
    void oneHotOfALabelOutsideTheClassesThrowsOrGivesAnAllOffRow() {
        Tensor out = be().zeros(2, 3);
        try {
            be().oneHot(t(new float[] {1, 5}, 2), 1f, 0f, out);
        } catch (IllegalArgumentException thrown) {
            assertTrue(thrown.getMessage().contains("oneHot"), "message names the op: " + thrown.getMessage());
            return;
        }
        exactly("oneHot with label 5 of 3 classes (device convention)", new float[] {0, 1, 0, 0, 0, 0}, out.toArray());
    }

    @Test
    void gatherRowsPicksRowsByIndex() {
        float[] src = {0, 1, 2, 3, 4, 5, 6, 7};
        Tensor out = be().zeros(3, 2);
        be().gatherRows(t(src, 4, 2), new int[] {9, 3, 0, 3, 1}, 1, out);
        exactly("gather rows 3, 0, 3 of [4, 2]", new float[] {6, 7, 0, 1, 6, 7}, out.toArray());
        Tensor out3 = be().zeros(2, 2, 2);
        be().gatherRows(t(src, 2, 2, 2), new int[] {1, 0}, 0, out3);
        exactly("gather rows 1, 0 of [2, 2, 2]", new float[] {4, 5, 6, 7, 0, 1, 2, 3}, out3.toArray());
    }

    @Test
    void scatterAddRowsAddsEachRowIntoItsIndexSkippingNegativeOnes() {
        Tensor out = t(new float[] {100, 200, 300, 400, 500, 600}, 3, 2);
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8};
        be().scatterAddRows(t(src, 4, 2), new int[] {9, 2, 0, 2, -1}, 1, out);
        exactly("rows 0 and 2 of src into row 2, row 1 into row 0, row 3 skipped",
                new float[] {103, 204, 300, 400, 506, 608}, out.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be().scatterAddRows(t(src, 4, 2), new int[] {0, 1, 3, 0}, 0, out));
        assertEquals("scatterAddRows: index 3 at position 2 is not a row of [3, 2]", e.getMessage());
    }

    @Test
    void copyColumnsCopiesABlockOfColumnsAndLeavesTheRest() {
        Tensor out = t(new float[] {0, 0, 0, 0, 0, 0, 0, 0}, 2, 4);
        be().copyColumns(t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 1, out, 2, 2);
        exactly("columns 1-2 of [[1,2,3],[4,5,6]] into columns 2-3", new float[] {0, 0, 2, 3, 0, 0, 5, 6},
                out.toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be().copyColumns(t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 2, out, 0, 2));
        assertEquals("copyColumns: 2 columns from column 2 of [2, 3] to column 0 of [2, 4] fall outside a tensor",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> be().copyColumns(out, 0, out, 2, 2));
        assertEquals("copyColumns: the destination must not share memory with the source", e.getMessage());
    }

    // ------------------------------------------------------------------ activations

    /** Inputs away from 0, where ReLU and leaky ReLU have their kink. */
    private static final float[] ACTIVATION_INPUTS = {-12, -5, -1.5f, -0.2f, 0.3f, 1, 4, 12};
    private static final float LEAKY_SLOPE = 0.1f;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    void activationMatchesItsDefinition(Activation act) {
        float[] x = ACTIVATION_INPUTS;
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Reference.activation(act, LEAKY_SLOPE, x[i]);
        }
        Expect.close(be().name() + " " + act.label(), Shape.of(x.length), expected, run(act, LEAKY_SLOPE, x),
                Tolerances.TRANSCENDENTAL);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    void activationBackwardMatchesTheNumericDerivative(Activation act) {
        float[] x = ACTIVATION_INPUTS;
        int n = x.length;
        float[] dy = Values.uniform(13, n, -2, 2);
        Tensor xt = t(x, n);
        Tensor y = be().zeros(n);
        be().activation(act, LEAKY_SLOPE, xt, y);
        Tensor dx = be().zeros(n);
        be().activationBackward(act, LEAKY_SLOPE, xt, y, t(dy, n), dx);
        double[] expected = new double[n];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = dy[i] * Reference.numericDerivative(act, LEAKY_SLOPE, x[i]);
            // A derivative read from the float y (1 - y^2, y (1 - y)) is exact only to an ulp of y.
            scale[i] = Math.abs(dy[i]) * (1e-6 + 1e-5 * Math.abs(Reference.numericDerivative(act, LEAKY_SLOPE, x[i])));
        }
        Expect.close(be().name() + " " + act.label() + " backward", dx.shape(), expected, dx.toArray(),
                Tolerance.scaled(1, scale, "|dy| (1e-6 + 1e-5 |act'(x)|)"));
    }

    /**
     * The exact GELU is {@code x Phi(x)} with Phi taken from its tail: for very negative x, where
     * Phi is tiny, y and the derivative keep their relative precision. Written as
     * {@code 0.5 x (1 + erf(x / sqrt 2))} in float, 1 + erf cancels to a few bits at x = -5 and to 0
     * beyond -6. The bound allows for an exponent of -x^2/2 rounded in float, a few ulps of 50 at
     * x = -10, which exp turns into a relative error.
     */
    @Test
    void exactGeluKeepsItsRelativePrecisionForVeryNegativeInputs() {
        float[] x = {-3, -4.5f, -5, -6.25f, -7, -8.5f, -10};
        int n = x.length;
        double[] y = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Reference.activation(Activation.GELU, 0, x[i]);
            d[i] = Reference.normalCdf(x[i]) + x[i] * Math.exp(-0.5 * x[i] * x[i]) / Math.sqrt(2 * Math.PI);
        }
        Tolerance relative = Tolerance.relative(1e-4, 0);
        Expect.close(be().name() + " gelu far left", Shape.of(n), y, run(Activation.GELU, 0, x), relative);
        Tensor dx = be().zeros(n);
        be().activationBackward(Activation.GELU, 0, t(x, n), null, be().full(1f, n), dx);
        Expect.close(be().name() + " gelu backward far left", Shape.of(n), d, dx.toArray(), relative);
    }

    @Test
    void activationBackwardMayWriteIntoDy() {
        Tensor x = t(new float[] {-1, 0.5f, 2}, 3);
        Tensor y = be().zeros(3);
        be().activation(Activation.LEAKY_RELU, 0.25f, x, y);
        Tensor g = t(new float[] {4, 4, -8}, 3);
        be().activationBackward(Activation.LEAKY_RELU, 0.25f, x, y, g, g);
        exactly("leaky_relu backward in place", new float[] {1, 4, -8}, g.toArray());
    }

    @Test
    void activationsOfSpecialValuesFollowIeee() {
        exactly("relu(NaN, -inf, inf)", new float[] {NAN, 0, INF}, run(Activation.RELU, 0, NAN, -INF, INF));
        exactly("leaky_relu(NaN, -inf)", new float[] {NAN, -INF}, run(Activation.LEAKY_RELU, 0.1f, NAN, -INF));
        exactly("sigmoid(NaN, -inf, inf)", new float[] {NAN, 0, 1}, run(Activation.SIGMOID, 0, NAN, -INF, INF));
        exactly("tanh(NaN, -inf, inf)", new float[] {NAN, -1, 1}, run(Activation.TANH, 0, NAN, -INF, INF));
        exactly("softplus(NaN, -inf, inf, 100)", new float[] {NAN, 0, INF, 100},
                run(Activation.SOFTPLUS, 0, NAN, -INF, INF, 100));
        exactly("gelu(NaN, 0, inf)", new float[] {NAN, 0, INF}, run(Activation.GELU, 0, NAN, 0, INF));
        exactly("gelu_tanh(NaN, 0, inf)", new float[] {NAN, 0, INF}, run(Activation.GELU_TANH, 0, NAN, 0, INF));
        exactly("identity(NaN, inf)", new float[] {NAN, INF}, run(Activation.IDENTITY, 0, NAN, INF));
        // PyTorch's x / (1 + e^-x): -inf / inf is NaN at -inf, as there
        exactly("silu(NaN, 0, inf, -inf)", new float[] {NAN, 0, INF, NAN}, run(Activation.SILU, 0, NAN, 0, INF, -INF));
        // alpha (e^x - 1) as expm1, so a tiny x keeps its value (PyTorch 1.13's e^x - 1 gives 0 there)
        exactly("elu(NaN, -inf, inf, -200, -1e-30, 1e-30)", new float[] {NAN, -1, INF, -1, -1e-30f, 1e-30f},
                run(Activation.ELU, 1f, NAN, -INF, INF, -200, -1e-30f, 1e-30f));
        exactly("elu alpha 0.5 (-inf, -200)", new float[] {-0.5f, -0.5f}, run(Activation.ELU, 0.5f, -INF, -200));
        // scale x and -scale alpha in float, as PyTorch's float32 SELU gives them; expm1 near 0, as ELU
        exactly("selu(NaN, -inf, inf, 1, -200, -1e-30)",
                new float[] {NAN, -1.7580993f, INF, 1.050701f, -1.7580993f, -1.7580993e-30f},
                run(Activation.SELU, 0, NAN, -INF, INF, 1, -200, -1e-30f));
        // PyTorch's x tanh(softplus(x)): -inf times 0 is NaN at -inf, as there
        exactly("mish(NaN, -inf, inf, 0, -200, 200)", new float[] {NAN, NAN, INF, 0, -0f, 200},
                run(Activation.MISH, 0, NAN, -INF, INF, 0, -200, 200));
        // PyTorch's x min(max(x + 3, 0), 6) / 6: -inf times 0 is NaN at -inf, as there
        exactly("hardswish(NaN, -inf, inf, -3, 3, -4, 4, 1.5)", new float[] {NAN, NAN, INF, -0f, 3, -0f, 4, 1.125f},
                run(Activation.HARDSWISH, 0, NAN, -INF, INF, -3, 3, -4, 4, 1.5f));
    }

    /**
     * Hard swish's derivative at its kinks as PyTorch's scalar CPU and CUDA kernels give it, -1/2 at -3 and
     * 3/2 at 3 (the line x / 3 + 1/2 up to both), 0 below -3 and 1 above 3, at the infinities too; NaN at
     * NaN (PyTorch's vector loop; its scalar loop returns 1).
     */
    @Test
    void hardswishBackwardAtTheKinksIsPyTorchs() {
        float below = Math.nextDown(-3f);
        float above = Math.nextUp(3f);
        float[] x = {-3, 3, below, above, -INF, INF, 0, 1.5f, NAN};
        Tensor dx = be().zeros(x.length);
        be().activationBackward(Activation.HARDSWISH, 0, t(x, x.length), null, be().full(1f, x.length), dx);
        exactly("hardswish backward at (-3, 3, below -3, above 3, -inf, inf, 0, 1.5, NaN)",
                new float[] {-0.5f, 1.5f, 0, 1, 0, 1, 0.5f, 1, NAN}, dx.toArray());
    }

    /**
     * Mish's derivative where e^x underflows (0) or e^-x does (1), at the infinities and NaN (NaN, as
     * PyTorch's), and at 0, tanh(ln 2) = 0.6.
     */
    @Test
    void mishBackwardAtTheEndsIsPyTorchs() {
        float[] x = {-200, 200, INF, -INF, NAN};
        Tensor dx = be().zeros(x.length);
        be().activationBackward(Activation.MISH, 0, t(x, x.length), null, be().full(1f, x.length), dx);
        exactly("mish backward at (-200, 200, inf, -inf, NaN)", new float[] {0, 1, NAN, NAN, NAN}, dx.toArray());
        Tensor atZero = be().zeros(1);
        be().activationBackward(Activation.MISH, 0, t(new float[] {0}, 1), null, be().full(1f, 1), atZero);
        Expect.close(be().name() + " mish backward at 0", Shape.of(1), new float[] {0.6f}, atZero.toArray(),
                Tolerances.TRANSCENDENTAL);
    }

    /** SELU's derivative: scale alpha at 0 and below, scale above, 0 where e^x underflows, NaN at NaN. */
    @Test
    void seluBackwardAtTheEndsIsPyTorchs() {
        float[] x = {0, -0f, -200, -INF, INF, 1, 1e-30f, NAN};
        Tensor dx = be().zeros(x.length);
        be().activationBackward(Activation.SELU, 0, t(x, x.length), null, be().full(1f, x.length), dx);
        exactly("selu backward at (0, -0, -200, -inf, inf, 1, 1e-30, NaN)",
                new float[] {1.7580993f, 1.7580993f, 0, 0, 1.050701f, 1.050701f, 1.050701f, NAN}, dx.toArray());
    }

    /**
     * ELU's derivative: alpha at 0 (PyTorch's side of the kink), 0 where e^x underflows, 1 above 0, NaN at
     * NaN (as PyTorch's vector loop; its scalar loop returns 1).
     */
    @Test
    void eluBackwardAtTheEndsIsPyTorchs() {
        float[] x = {0, -0f, -200, -INF, INF, 1e-30f, -1e-30f, NAN};
        Tensor dx = be().zeros(x.length);
        be().activationBackward(Activation.ELU, 0.5f, t(x, x.length), null, be().full(1f, x.length), dx);
        exactly("elu alpha 0.5 backward at (0, -0, -200, -inf, inf, 1e-30, -1e-30, NaN)",
                new float[] {0.5f, 0.5f, 0, 0, 1, 1, 0.5f, NAN}, dx.toArray());
    }

    /** SiLU's derivative where e^-x overflows (0, its sign from x) and at the infinities (NaN, as PyTorch's). */
    @Test
    void siluBackwardAtTheEndsIsPyTorchs() {
        float[] x = {-200, -1000, INF, -INF, NAN, 0};
        Tensor dx = be().zeros(x.length);
        be().activationBackward(Activation.SILU, 0, t(x, x.length), null, be().full(1f, x.length), dx);
        exactly("silu backward at (-200, -1000, inf, -inf, NaN, 0)", new float[] {-0f, -0f, NAN, NAN, NAN, 0.5f},
                dx.toArray());
    }

    // ------------------------------------------------------------------ optimizers

    private static final int OPT_SIZE = 37;

    private static float[] stepGradient(int step) {
        return Values.uniform(100 + step, OPT_SIZE, -1, 1);
    }

    private void expectState(String what, double[] expected, Tensor actual) {
        Expect.close(be().name() + " " + what, actual.shape(), expected, actual.toArray(), Tolerances.OPTIMIZER);
    }

    @ParameterizedTest(name = "momentum={0} weightDecay={1} nesterov={2}")
    @CsvSource({"0, 0, false", "0, 0.01, false", "0.9, 0, false", "0.9, 0.01, true"})
    void sgdMatchesItsFormulaOverThreeSteps(float momentum, float weightDecay, boolean nesterov) {
        float lr = 0.1f;
        float[] p0 = Values.uniform(99, OPT_SIZE, -1, 1);
        Tensor p = t(p0, OPT_SIZE);
        Tensor v = momentum == 0 ? null : be().zeros(OPT_SIZE);   // velocity may be null without momentum
        double[] pd = Expect.toDouble(p0);
        double[] vd = new double[OPT_SIZE];
        for (int step = 1; step <= 3; step++) {
            float[] g = stepGradient(step);
            be().sgdUpdate(p, t(g, OPT_SIZE), v, lr, momentum, weightDecay, nesterov);
            Reference.sgd(pd, Expect.toDouble(g), vd, lr, momentum, weightDecay, nesterov);
        }
        expectState("sgd parameters after 3 steps", pd, p);
        if (v != null) {
            expectState("sgd velocity after 3 steps", vd, v);
        }
    }

    @ParameterizedTest(name = "decoupled={0} weightDecay={1}")
    @CsvSource({"false, 0", "false, 0.01", "true, 0.01"})
    void adamMatchesItsFormulaOverThreeSteps(boolean decoupled, float weightDecay) {
        float lr = 0.01f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-8f;
        float[] p0 = Values.uniform(98, OPT_SIZE, -1, 1);
        Tensor p = t(p0, OPT_SIZE);
        Tensor m = be().zeros(OPT_SIZE);
        Tensor v = be().zeros(OPT_SIZE);
        double[] pd = Expect.toDouble(p0);
        double[] md = new double[OPT_SIZE];
        double[] vd = new double[OPT_SIZE];
        for (int step = 1; step <= 3; step++) {
            float[] g = stepGradient(step);
            be().adamUpdate(p, t(g, OPT_SIZE), m, v, lr, b1, b2, eps, weightDecay, decoupled, step);
            Reference.adam(pd, Expect.toDouble(g), md, vd, lr, b1, b2, eps, weightDecay, decoupled, step);
        }
        String name = decoupled ? "adamw" : "adam";
        expectState(name + " parameters after 3 steps", pd, p);
        expectState(name + " first moment after 3 steps", md, m);
        expectState(name + " second moment after 3 steps", vd, v);
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @CsvSource({"0", "0.01"})
    void rmspropMatchesItsFormulaOverThreeSteps(float weightDecay) {
        float[] p0 = Values.uniform(97, OPT_SIZE, -1, 1);
        Tensor p = t(p0, OPT_SIZE);
        Tensor sq = be().zeros(OPT_SIZE);
        double[] pd = Expect.toDouble(p0);
        double[] sd = new double[OPT_SIZE];
        for (int step = 1; step <= 3; step++) {
            float[] g = stepGradient(step);
            be().rmspropUpdate(p, t(g, OPT_SIZE), sq, 0.01f, 0.99f, 1e-8f, weightDecay);
            Reference.rmsprop(pd, Expect.toDouble(g), sd, 0.01f, 0.99f, 1e-8f, weightDecay);
        }
        expectState("rmsprop parameters after 3 steps", pd, p);
        expectState("rmsprop square average after 3 steps", sd, sq);
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @CsvSource({"0", "0.01"})
    void adagradMatchesItsFormulaOverThreeSteps(float weightDecay) {
        float[] p0 = Values.uniform(96, OPT_SIZE, -1, 1);
        Tensor p = t(p0, OPT_SIZE);
        Tensor sum = be().zeros(OPT_SIZE);
        double[] pd = Expect.toDouble(p0);
        double[] sd = new double[OPT_SIZE];
        for (int step = 1; step <= 3; step++) {
            float[] g = stepGradient(step);
            be().adagradUpdate(p, t(g, OPT_SIZE), sum, 0.1f, 1e-10f, weightDecay);
            Reference.adagrad(pd, Expect.toDouble(g), sd, 0.1f, 1e-10f, weightDecay);
        }
        expectState("adagrad parameters after 3 steps", pd, p);
        expectState("adagrad sum of squares after 3 steps", sd, sum);
    }

    // ------------------------------------------------------------------ fill, copy, random

    @Test
    void fillFullAndZerosSetEveryElement() {
        exactly("zeros(2, 3)", new float[6], be().zeros(2, 3).toArray());
        exactly("full(2.5, [3])", new float[] {2.5f, 2.5f, 2.5f}, be().full(2.5f, 3).toArray());
        Tensor x = be().zeros(4);
        be().fill(x, NAN);
        exactly("fill NaN", new float[] {NAN, NAN, NAN, NAN}, x.toArray());
        Tensor s = be().zeros();
        be().fill(s, -7);
        assertEquals(-7f, s.item(), "fill of a rank-0 tensor");
    }

    @Test
    void copyBetweenShapesOfTheSameSize() {
        Tensor src = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor dst = be().zeros(3, 2);
        be().copy(src, dst);
        exactly("copy [2, 3] to [3, 2]", src.toArray(), dst.toArray());
        Tensor flat = be().zeros(6);
        be().copy(dst, flat);
        exactly("copy [3, 2] to [6]", src.toArray(), flat.toArray());
    }

    @Test
    void randomUniformIsTheCounterRandomSequence() {
        long seed = 42;
        Tensor unit = be().zeros(37, 5);
        be().randomUniform(seed, 0f, 1f, unit);
        float[] expected = new float[unit.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = CounterRandom.uniform(seed, i);
        }
        exactly("randomUniform [0, 1)", expected, unit.toArray());

        Tensor ranged = be().zeros(185);
        be().randomUniform(seed, -2f, 3f, ranged);
        double[] expectedRanged = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            expectedRanged[i] = -2f + (3f - -2f) * expected[i];
        }
        // lo + (hi - lo) u is two float operations: one rounding more or less (an FMA) is allowed.
        Expect.close(be().name() + " randomUniform [-2, 3)", ranged.shape(), expectedRanged, ranged.toArray(),
                Tolerance.relative(0, 5 * Math.ulp(3f)));
    }

    @Test
    void randomNormalIsTheCounterRandomSequence() {
        long seed = -7;
        Tensor out = be().zeros(129);
        be().randomNormal(seed, 0.5f, 2f, out);
        double[] expected = new double[out.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 0.5f + 2f * CounterRandom.normal(seed, i);
        }
        Expect.close(be().name() + " randomNormal", out.shape(), expected, out.toArray(), Tolerance.relative(1e-5, 1e-5));
    }

    @Test
    void bernoulliMaskIsTheCounterRandomSequence() {
        long seed = 1234567;
        float keep = 0.7f;
        float scale = 1 / keep;
        Tensor out = be().zeros(65, 3);
        be().bernoulliMask(seed, keep, scale, out);
        float[] expected = new float[out.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = CounterRandom.uniform(seed, i) < keep ? scale : 0f;
        }
        exactly("bernoulliMask keep 0.7", expected, out.toArray());
        be().bernoulliMask(seed, 0f, 2f, out);
        exactly("bernoulliMask keep 0", new float[out.size()], out.toArray());
        be().bernoulliMask(seed, 1f, 2f, out);
        float[] twos = new float[out.size()];
        java.util.Arrays.fill(twos, 2f);
        exactly("bernoulliMask keep 1", twos, out.toArray());
    }

    @Test
    void randomTensorsDependOnTheSeedAlone() {
        Tensor a = be().zeros(100);
        Tensor b = be().zeros(100);
        be().randomNormal(5, 0f, 1f, a);
        be().randomNormal(5, 0f, 1f, b);
        assertArrayEquals(a.toArray(), b.toArray(), "the same seed gives the same values");
        be().randomNormal(6, 0f, 1f, b);
        assertFalse(java.util.Arrays.equals(a.toArray(), b.toArray()), "another seed gives other values");
    }

    // ------------------------------------------------------------------ memory

    @Test
    void aScopeFreesWhatItMadeAndDetachedTensorsSurvive() {
        MemoryStats before = be().memory();
        Tensor kept;
        Tensor freed;
        try (Scope scope = Scope.open()) {
            freed = be().zeros(64);
            kept = scope.detach(be().full(3f, 64));
            assertEquals(1, scope.size(), "the scope owns what it did not give away");
        }
        assertFalse(freed.isAlive(), "a tensor made in a scope is freed when it closes");
        assertTrue(kept.isAlive(), "a detached tensor survives");
        assertEquals(3f, kept.toArray()[63]);
        assertThrows(IllegalStateException.class, freed::toArray);
        kept.close();
        MemoryStats after = be().memory();
        if (before.tracked()) {
            // Counted against this test's own scope, which is still open, so the numbers are comparable.
            assertEquals(before.liveBuffers(), after.liveBuffers(), "live buffers after both tensors are freed");
        }
    }
}
