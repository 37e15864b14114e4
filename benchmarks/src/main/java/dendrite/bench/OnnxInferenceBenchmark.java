package dendrite.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dendrite.nn.Sequential;
import dendrite.onnx.OnnxExport;
import dendrite.tensor.Backends;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
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
 * ONNX Runtime for Java predicting with the same network and weights as {@link InferenceBenchmark}
 * ({@code model=mlp}: 784-256-128-10, ReLU; {@code model=cnn}: the preset CNN), written for it by
 * Dendrite's own {@link OnnxExport}: the JVM alternative a service would otherwise embed, on the very
 * model, host values in (a {@code float[]} wrapped as a tensor) and host values out, as Dendrite's
 * {@code Sequential.predict(float[], n)}. The setup checks that its batch prediction is Dendrite's
 * within 1e-5. ONNX Runtime's graph optimizations are on (its default for serving); its threads follow
 * {@code -Ddendrite.threads}, as Dendrite's do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OnnxInferenceBenchmark {
    @Param({"mlp", "cnn"})
    public String model;

    private OrtEnvironment env;
    private OrtSession session;
    private long[] sample;
    private float[] one;
    private float[] batch;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        Sequential network = Workload.named(model).build(Backends.get("scalar"));
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        int threads = Integer.getInteger("dendrite.threads", Runtime.getRuntime().availableProcessors());
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        session = env.createSession(OnnxExport.toBytes(network), options);
        sample = Arrays.stream(network.inputShape().dims()).asLongStream().toArray();
        batch = PeerPredictions.batch();
        one = Arrays.copyOf(batch, Mlp.INPUTS);
        float[] got = predict(batch, InferenceBenchmark.BATCH);
        PeerPredictions.checkBatch("onnxruntime", got);
        float[] want = network.predict(batch, InferenceBenchmark.BATCH);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 1e-5 * Math.max(1, Math.abs(want[i])))) {
                throw new IllegalStateException("onnxruntime: output " + i + " is " + got[i] + ", Dendrite's " + want[i]);
            }
        }
    }

    private float[] predict(float[] x, int n) {
        long[] dims = new long[sample.length + 1];
        dims[0] = n;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public float[] single() {
        return predict(one, 1);
    }

    @Benchmark
    public float[] batch64() {
        return predict(batch, InferenceBenchmark.BATCH);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        session.close();
    }
}
