package dendrite.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's floating-point peak, the yardstick for every GFLOPS figure in the report: fused
 * multiply-adds on the preferred vector width from registers alone (twelve independent
 * accumulators, enough to cover the FMA latency of every x86 core we run on), on one thread and on
 * two. Throughput is summed over the threads, so {@code twoThreads} is the 2-thread peak; the
 * report turns each into GFLOPS ({@link #FLOPS_PER_CALL} per call).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Multiply-adds per accumulator and call, in floats: the steps are this over the vector's lanes. */
    private static final int LANE_STEPS = 1 << 16;
    private static final int ACCUMULATORS = 12;
    /**
     * Two flops (a multiply and an add) per float of each accumulator per lane step: the same on
     * every vector width, and a constant, so the report reads it without loading the Vector API.
     */
    static final long FLOPS_PER_CALL = 2L * LANE_STEPS * ACCUMULATORS;
    private static final int STEPS = LANE_STEPS / S.length();

    private final float[] values = {1.0000001f, 0.9999999f};

    @Benchmark
    @Threads(1)
    public float oneThread() {
        return fmaLoop();
    }

    @Benchmark
    @Threads(2)
    public float twoThreads() {
        return fmaLoop();
    }

    /**
     * Each step adds {@code x * y} to every accumulator, the accumulator as the addend, as a GEMM
     * kernel's multiply-adds do. (The accumulator as the multiplicand, {@code acc * x + y}, ran at
     * three quarters of this on an AMD Zen 3, and the peak it reported was below what the GEMM reached.)
     */
    private float fmaLoop() {
        FloatVector x = FloatVector.broadcast(S, values[0]);
        FloatVector y = FloatVector.broadcast(S, values[1]);
        FloatVector a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y;
        FloatVector a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (int i = 0; i < STEPS; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
