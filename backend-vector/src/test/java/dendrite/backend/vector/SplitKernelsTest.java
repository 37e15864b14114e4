package dendrite.backend.vector;

import static dendrite.backend.vector.TestArrays.abs;
import static dendrite.backend.vector.TestArrays.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.ReduceOp;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels that run as {@link RangeJobs}' reusable jobs once a tensor is large enough to be split
 * over the threads give, split in three, the bits one thread gives. The conformance suite's tensors
 * (at most about 39,000 values) stay under most of these kernels' split sizes, so this is what runs
 * the split paths: 64 rows of 3,001 columns (192,064 values), and a line of them for the reductions.
 */
class SplitKernelsTest {
    private static final int ROWS = 64;
    private static final int COLS = 3_001;
    private static final Backend ONE = Backend.of(new VectorKernels(1));
    private static final Backend THREE = Backend.of(new VectorKernels(3));

    @AfterAll
    static void closePools() {
        ONE.close();
        THREE.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"transpose", "affine", "powScalar", "clamp", "fill", "softmax", "logSoftmax", "argmax",
        "layerNorm", "layerNormBackward", "rmsprop", "adagrad", "sum", "mean", "max", "sumSquares"})
    void splitOverThreeThreadsGivesTheBitsOfOne(String op) {
        float[] one = run(ONE, op);
        float[] three = run(THREE, op);
        assertArrayEquals(one, three, op + ": three threads against one");
    }

    /**
     * A reduction over all values is made of partial results per chunk, which each thread writes into
     * this thread's scratch; a chunk left unwritten would read the last call's value, the same for one
     * thread and three, so the sums are checked against a sum in doubles too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sum", "mean", "max", "sumSquares"})
    void aReductionOverAllValuesMatchesOneInDoubles(String op) {
        float[] x = random(1, ROWS * COLS);
        double expected = op.equals("max") ? Double.NEGATIVE_INFINITY : 0;
        for (float v : x) {
            expected = switch (op) {
                case "max" -> Math.max(expected, v);
                case "sumSquares" -> expected + (double) v * v;
                default -> expected + v;
            };
        }
        if (op.equals("mean")) {
            expected /= x.length;
        }
        float got = run(THREE, op)[0];
        assertEquals(expected, got, 1e-4 * Math.max(1, Math.abs(expected)), op);
    }

    /** {@code op} on {@code be}: every output the op writes, one after another. */
    private static float[] run(Backend be, String op) {
        Tensor x = be.tensor(random(1, ROWS * COLS), ROWS, COLS);
        Function<Tensor, float[]> out = Tensor::toArray;
        return switch (op) {
            case "transpose" -> {
                Tensor t = be.zeros(COLS, ROWS);
                be.transpose(x, t);
                yield out.apply(t);
            }
            case "affine", "powScalar", "clamp", "fill", "softmax", "logSoftmax" -> {
                Tensor o = be.zeros(ROWS, COLS);
                switch (op) {
                    case "affine" -> be.affine(x, 1.5f, -0.25f, o);
                    case "powScalar" -> be.powScalar(be.tensor(abs(x.toArray()), ROWS, COLS), 1.7f, o);
                    case "clamp" -> be.clamp(x, -0.5f, 0.5f, o);
                    case "fill" -> be.fill(o, 0.75f);
                    case "softmax" -> be.softmax(x, o);
                    default -> be.logSoftmax(x, o);
                }
                yield out.apply(o);
            }
            case "argmax" -> {
                Tensor o = be.zeros(ROWS);
                be.argmax(x, o);
                yield out.apply(o);
            }
            case "layerNorm", "layerNormBackward" -> {
                Tensor gamma = be.tensor(random(2, COLS), COLS);
                Tensor beta = be.tensor(random(3, COLS), COLS);
                Tensor o = be.zeros(ROWS, COLS);
                Tensor mean = be.zeros(ROWS);
                Tensor rstd = be.zeros(ROWS);
                be.layerNorm(x, gamma, beta, 1e-5f, o, mean, rstd);
                if (op.equals("layerNorm")) {
                    yield concat(o.toArray(), mean.toArray(), rstd.toArray());
                }
                Tensor dy = be.tensor(random(4, ROWS * COLS), ROWS, COLS);
                Tensor dx = be.zeros(ROWS, COLS);
                Tensor dgamma = be.zeros(COLS);
                Tensor dbeta = be.zeros(COLS);
                be.layerNormBackward(x, mean, rstd, gamma, dy, dx, dgamma, dbeta);
                yield concat(dx.toArray(), dgamma.toArray(), dbeta.toArray());
            }
            case "rmsprop", "adagrad" -> {
                Tensor g = be.tensor(random(5, ROWS * COLS), ROWS, COLS);
                Tensor state = be.tensor(abs(random(6, ROWS * COLS)), ROWS, COLS);
                if (op.equals("rmsprop")) {
                    be.rmspropUpdate(x, g, state, 1e-2f, 0.99f, 1e-8f, 1e-4f);
                } else {
                    be.adagradUpdate(x, g, state, 1e-2f, 1e-10f, 1e-4f);
                }
                yield concat(x.toArray(), state.toArray());
            }
            default -> {
                ReduceOp r = switch (op) {
                    case "sum" -> ReduceOp.SUM;
                    case "mean" -> ReduceOp.MEAN;
                    case "max" -> ReduceOp.MAX;
                    default -> ReduceOp.SUM_SQUARES;
                };
                Tensor o = be.zeros(1);
                be.reduceAll(r, x, o);
                yield out.apply(o);
            }
        };
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
