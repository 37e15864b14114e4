package dendrite.bench;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Single-precision GEMM across backends and native peers: {@code square} for n x n x n products,
 * {@code mlp} for the products one training step of the 784-256-128-10 MLP at batch 128 makes
 * (forward {@code x W^T}, weight gradient {@code dY^T x}, input gradient {@code dY W}).
 * GFLOPS = 2 m n k / time; Report derives it from the JSON output.
 *
 * <p>{@code load=busy} measures on a shared machine: another process keeps one core busy with
 * arithmetic for the whole trial ({@link Burner}), so a backend's slowdown under load can be
 * compared with OpenBLAS's in the same run ({@code -p load=quiet,busy}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {

    /** Square products. */
    @State(Scope.Benchmark)
    public static class Square {
        @Param({"scalar", "vector", "opencl", "netlib-native", "netlib-java"})
        public String backend;

        @Param({"128", "256", "512", "1024", "2048"})
        public int n;

        /** {@code quiet}, or {@code busy}: another process burns one core meanwhile. */
        @Param({"quiet"})
        public String load;

        Gemm gemm;
        Burner burner;

        @Setup(Level.Trial)
        public void setup() {
            gemm = prepare(backend, n, n, n, false, false);
            burner = startLoad(load);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stopLoad(burner);
            gemm.close();
        }
    }

    /** The MLP's products at batch 128: "layer.pass" = m x n x k with transpose flags. */
    @State(Scope.Benchmark)
    public static class Mlp {
        @Param({"scalar", "vector", "opencl", "netlib-native", "netlib-java"})
        public String backend;

        @Param({"fc1.fwd", "fc1.dW", "fc2.fwd", "fc2.dW", "fc2.dX", "fc3.fwd", "fc3.dW", "fc3.dX"})
        public String shape;

        /** {@code quiet}, or {@code busy}: another process burns one core meanwhile. */
        @Param({"quiet"})
        public String load;

        Gemm gemm;
        Burner burner;

        @Setup(Level.Trial)
        public void setup() {
            int[] d = mlpShape(shape);
            gemm = prepare(backend, d[0], d[1], d[2], d[3] == 1, d[4] == 1);
            burner = startLoad(load);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stopLoad(burner);
            gemm.close();
        }
    }

    /** The burner for {@code load=busy}, or null for {@code quiet}. */
    static Burner startLoad(String load) {
        return switch (load) {
            case "quiet" -> null;
            case "busy" -> Burner.start();
            default -> throw new IllegalArgumentException("benchmark parameter load=" + load + ": expected quiet or busy");
        };
    }

    static void stopLoad(Burner burner) {
        if (burner != null) {
            burner.close();
        }
    }

    /** m, n, k, transA, transB of one of the MLP's products. */
    static int[] mlpShape(String name) {
        return switch (name) {
            case "fc1.fwd" -> new int[] {128, 256, 784, 0, 1};   // x[128,784] W1[256,784]^T
            case "fc1.dW" -> new int[] {256, 784, 128, 1, 0};    // dY[128,256]^T x[128,784]
            case "fc2.fwd" -> new int[] {128, 128, 256, 0, 1};
            case "fc2.dW" -> new int[] {128, 256, 128, 1, 0};
            case "fc2.dX" -> new int[] {128, 256, 128, 0, 0};    // dY[128,128] W2[128,256]
            case "fc3.fwd" -> new int[] {128, 10, 128, 0, 1};
            case "fc3.dW" -> new int[] {10, 128, 128, 1, 0};
            case "fc3.dX" -> new int[] {128, 128, 10, 0, 0};
            default -> throw new IllegalArgumentException("unknown MLP shape " + name);
        };
    }

    @Benchmark
    public void square(Square s) {
        s.gemm.run();
    }

    @Benchmark
    public void mlp(Mlp s) {
        s.gemm.run();
    }

    /** Makes the product, runs it once and checks it against backend-scalar before timing. */
    static Gemm prepare(String backend, int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        Gemm g = Skips.unlessUnavailable(backend, () -> Gemm.create(backend, m, n, k, transA, transB, a, b));
        g.run();
        verify(backend, g.result(), m, n, k, transA, transB, a, b);
        return g;
    }

    /**
     * Compares the first rows of the result (all of it when small) with backend-scalar's product of
     * the same rows: scalar is the reference, and a full scalar product at n = 2048 would take
     * longer than the benchmark.
     */
    static void verify(String backend, float[] c, int m, int n, int k, boolean transA, boolean transB,
            float[] a, float[] b) {
        int rows = Math.min(m, 16);
        float[] aRows = new float[rows * k];   // the first rows of op(A), materialized
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < k; p++) {
                aRows[i * k + p] = transA ? a[p * m + i] : a[i * k + p];
            }
        }
        Backend ref = Backends.get("scalar");
        try (Tensor ta = ref.tensor(aRows, rows, k);
                Tensor tb = ref.tensor(b, Gemm.bDims(k, n, transB));
                Tensor tc = ref.zeros(rows, n)) {
            ref.gemm(false, transB, 1f, ta, tb, 0f, tc);
            float[] want = tc.toArray();
            float tol = 1e-5f * k;
            for (int i = 0; i < want.length; i++) {
                float diff = Math.abs(want[i] - c[i]);
                if (!(diff <= tol * Math.max(1f, Math.abs(want[i])))) {
                    throw new IllegalStateException(backend + " gemm " + m + "x" + n + "x" + k + " differs from scalar at ("
                            + i / n + ", " + i % n + "): " + c[i] + " vs " + want[i]);
                }
            }
        }
    }
}
