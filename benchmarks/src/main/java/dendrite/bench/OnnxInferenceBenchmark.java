package dendrite.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime for Java predicting with the same MLP as {@link InferenceBenchmark} (784-256-128-10,
 * ReLU), the JVM alternative a service would otherwise embed: host values in (a {@code float[]}
 * wrapped as a tensor), host values out, as Dendrite's {@code Sequential.predict(float[], n)}. The
 * model is PyTorch's, exported by {@code peers/export_mlp_onnx.py} (run.sh writes it to
 * {@code benchmarks/target/mlp.onnx}; {@code -Ddendrite.onnx.model} names another file); its
 * threads follow {@code -Ddendrite.threads}, as Dendrite's do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OnnxInferenceBenchmark {
    private OrtEnvironment env;
    private OrtSession session;
    private float[] one;
    private float[] batch;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        Path model = Path.of(System.getProperty("dendrite.onnx.model", "benchmarks/target/mlp.onnx"));
        if (!Files.isRegularFile(model)) {
            String why = "backend onnxruntime unavailable, skipped: no model at " + model.toAbsolutePath()
                    + " (python3 benchmarks/peers/export_mlp_onnx.py " + model + ")";
            System.out.println(why);
            throw new IllegalStateException(why);
        }
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        int threads = Integer.getInteger("dendrite.threads", Runtime.getRuntime().availableProcessors());
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        session = env.createSession(model.toString(), options);
        batch = PeerPredictions.batch();
        one = Arrays.copyOf(batch, Mlp.INPUTS);
        PeerPredictions.checkBatch("onnxruntime", predict(batch, InferenceBenchmark.BATCH));
    }

    private float[] predict(float[] x, int n) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, Mlp.INPUTS});
             OrtSession.Result result = session.run(Map.of("x", input))) {
            return PeerPredictions.flatten((float[][]) result.get(0).getValue());
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
