package dendrite.bench;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Conv2dGeometry;
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
 * The convolutions of the CLI's preset CNN ({@code --model cnn}) at its batch of 128, one pass per
 * operation: {@code forward} ({@code conv2d} with the bias), {@code backwardData} (the input
 * gradient) and {@code backwardWeights} (the weight and bias gradients).
 * <ul>
 *   <li>{@code conv1}: 1 -> 32 channels, 28 x 28, 3 x 3 (the first layer; its input gradient is
 *       never needed in training, but it is timed too);</li>
 *   <li>{@code conv2}: 32 -> 64 channels, 13 x 13 (after 2 x 2 max pooling), 3 x 3.</li>
 * </ul>
 * GFLOPS = 2 batch outC outH outW patch / time for each pass (patch = inC / groups x kH x kW);
 * Report derives it from the JSON output.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ConvBenchmark {
    /** The preset CNN's batch. */
    static final int BATCH = 128;

    @Param({"vector", "scalar"})
    public String backend;

    @Param({"conv1", "conv2"})
    public String shape;

    @Param({"forward", "backwardData", "backwardWeights"})
    public String pass;

    private Backend be;
    private Conv2dGeometry g;
    private Tensor x;
    private Tensor w;
    private Tensor bias;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;
    private Tensor dw;
    private Tensor dbias;

    /** The geometry of one of the preset's convolutions at {@code batch} images. */
    static Conv2dGeometry geometry(String shape, int batch) {
        return switch (shape) {
            case "conv1" -> Conv2dGeometry.conv(batch, 1, 28, 28, 32, 3, 3, 1, 0, 1, 1);
            case "conv2" -> Conv2dGeometry.conv(batch, 32, 13, 13, 64, 3, 3, 1, 0, 1, 1);
            default -> throw new IllegalArgumentException("unknown convolution shape " + shape);
        };
    }

    /** Floating-point operations of one pass: 2 batch outC outH outW patch (the same for all three). */
    static long flops(String shape) {
        Conv2dGeometry g = geometry(shape, BATCH);
        return 2L * g.batch() * g.outChannels() * g.outH() * g.outW() * g.patchSize();
    }

    @Setup(Level.Trial)
    public void setup() {
        be = Skips.unlessUnavailable(backend, () -> Backends.get(backend));
        g = geometry(shape, BATCH);
        float[] xs = random(1, g.batch() * g.imageSize());
        float[] ws = random(2, g.outChannels() * g.patchSize());
        float[] bs = random(3, g.outChannels());
        float[] dys = random(4, g.batch() * g.outImageSize());
        x = be.tensor(xs, xDims(g));
        w = be.tensor(ws, wDims(g));
        bias = be.tensor(bs, g.outChannels());
        y = be.zeros(yDims(g));
        dy = be.tensor(dys, yDims(g));
        dx = be.zeros(xDims(g));
        dw = be.zeros(wDims(g));
        dbias = be.zeros(g.outChannels());
        run();
        if (!backend.equals("scalar")) {
            check(xs, ws, bs, dys);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, w, bias, y, dy, dx, dw, dbias}) {
            t.close();
        }
    }

    @Benchmark
    public void run() {
        switch (pass) {
            case "forward" -> be.conv2d(x, w, bias, g, y);
            case "backwardData" -> be.conv2dBackwardData(dy, w, g, dx);
            case "backwardWeights" -> be.conv2dBackwardWeights(dy, x, g, dw, dbias);
            default -> throw new IllegalArgumentException("unknown pass " + pass);
        }
        be.synchronize();
    }

    /**
     * Compares the pass's result with backend-scalar's: the first 4 images for the per-image
     * results (a full scalar pass takes seconds), all of the weight gradient (a sum over the batch).
     */
    private void check(float[] xs, float[] ws, float[] bs, float[] dys) {
        Backend ref = Backends.get("scalar");
        boolean whole = pass.equals("backwardWeights");
        Conv2dGeometry rg = whole ? g : g.withBatch(4);
        float[] want;
        float[] got;
        int terms;
        try (Tensor rx = ref.tensor(prefix(xs, rg.batch() * rg.imageSize()), xDims(rg));
                Tensor rw = ref.tensor(ws, wDims(rg));
                Tensor rdy = ref.tensor(prefix(dys, rg.batch() * rg.outImageSize()), yDims(rg))) {
            switch (pass) {
                case "forward" -> {
                    try (Tensor rb = ref.tensor(bs, rg.outChannels()); Tensor ry = ref.zeros(yDims(rg))) {
                        ref.conv2d(rx, rw, rb, rg, ry);
                        want = ry.toArray();
                    }
                    got = prefix(y.toArray(), want.length);
                    terms = g.patchSize() + 1;
                }
                case "backwardData" -> {
                    try (Tensor rdx = ref.zeros(xDims(rg))) {
                        ref.conv2dBackwardData(rdy, rw, rg, rdx);
                        want = rdx.toArray();
                    }
                    got = prefix(dx.toArray(), want.length);
                    terms = g.groupOutChannels() * g.kernelH() * g.kernelW();
                }
                default -> {
                    try (Tensor rdw = ref.zeros(wDims(rg)); Tensor rdb = ref.zeros(rg.outChannels())) {
                        ref.conv2dBackwardWeights(rdy, rx, rg, rdw, rdb);
                        want = rdw.toArray();
                    }
                    got = dw.toArray();
                    terms = g.batch() * g.outH() * g.outW();
                }
            }
        }
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = 1e-5 * terms * Math.max(1, scale);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                throw new IllegalStateException(backend + " " + shape + " " + pass + " differs from scalar at " + i + ": "
                        + got[i] + " vs " + want[i]);
            }
        }
        System.out.println("check: " + backend + " " + shape + " " + pass + " matches scalar (" + want.length
                + " values)");
    }

    private static float[] random(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static float[] prefix(float[] v, int n) {
        return v.length == n ? v : java.util.Arrays.copyOf(v, n);
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
}
