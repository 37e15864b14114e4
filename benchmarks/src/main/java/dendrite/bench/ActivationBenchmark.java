package dendrite.bench;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.UnaryOp;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tanh, softplus and the LOG op over a 128 x 256 tensor (fc1's output at batch 128), one thread: the
 * vector backend's kernels ({@code impl=dendrite}, built from exact IEEE operations so their bits do
 * not depend on the JIT) against the same formulas through the Vector API's {@code TANH}, {@code EXP},
 * {@code LOG1P} and {@code LOG} ({@code impl=svml}: Intel's SVML once C2 compiles them, which the
 * backend used before), in the same run. The backend's call also checks its arguments; at this size
 * that is noise. The inputs are Gaussian (log takes their absolute values).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Ddendrite.threads=1"})
@State(Scope.Benchmark)
public class ActivationBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ROWS = 128;
    private static final int COLS = 256;

    @Param({"tanh", "softplus", "log"})
    public String fn;

    @Param({"dendrite", "svml"})
    public String impl;

    private Backend be;
    private Tensor x;
    private Tensor y;
    private float[] xs;
    private float[] ys;
    private Activation act;

    @Setup(Level.Trial)
    public void setup() {
        xs = new float[ROWS * COLS];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (r.nextGaussian() * 2);
            if (fn.equals("log")) {
                xs[i] = Math.abs(xs[i]);
            }
        }
        ys = new float[xs.length];
        act = switch (fn) {
            case "tanh" -> Activation.TANH;
            case "softplus" -> Activation.SOFTPLUS;
            default -> null;
        };
        be = Backends.newInstance("vector");
        x = be.tensor(xs, ROWS, COLS);
        y = be.zeros(ROWS, COLS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Object run() {
        if (impl.equals("dendrite")) {
            if (act == null) {
                be.unary(UnaryOp.LOG, x, y);
            } else {
                be.activation(act, 0f, x, y);
            }
            return y;
        }
        return switch (fn) {
            case "tanh" -> svmlTanh(xs, ys);
            case "softplus" -> svmlSoftplus(xs, ys);
            default -> svmlLog(xs, ys);
        };
    }

    private static float[] svmlTanh(float[] x, float[] out) {
        for (int i = 0; i < x.length; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        return out;
    }

    private static float[] svmlLog(float[] x, float[] out) {
        for (int i = 0; i < x.length; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        return out;
    }

    /** max(x, 0) + log1p(e^-|x|), as the backend computed softplus before. */
    private static float[] svmlSoftplus(float[] x, float[] out) {
        for (int i = 0; i < x.length; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.max(0f).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)).intoArray(out, i);
        }
        return out;
    }
}
