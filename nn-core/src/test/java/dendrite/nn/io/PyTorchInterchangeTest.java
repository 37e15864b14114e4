package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ConvTranspose2d;
import dendrite.tensor.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNN's weights go both ways between Dendrite and PyTorch with {@code nn.Sequential} names, and
 * both give the same outputs within 1e-5 relative: PyTorch runs here, as a separate process, through
 * {@code src/test/resources/pytorch/cnn_interchange.py} (the same layers as {@link #model}).
 *
 * <p>Needs Debian's {@code python3-torch} ({@code /usr/bin/python3}, or {@code -Ddendrite.pytorch.python});
 * without it the test is skipped saying so, unless {@code -Ddendrite.pytorch.require=true} (as CI runs
 * it) makes that a failure.
 */
class PyTorchInterchangeTest {
    private static final Path SCRIPT = Path.of("src/test/resources/pytorch/cnn_interchange.py");
    private static final double RELATIVE = 1e-5;

    @TempDir
    Path dir;

    /** The script's {@code model()}: every image layer, with stride, padding, dilation, groups and a transposed convolution. */
    static Sequential model(Backend be) {
        return Sequential.builder(2, 9, 8)
                .conv2dSame(4, 3).relu().batchNorm2d()
                .add(new Conv2d(-1, 6, 3, 2, 2, 1, 1, 0, false, 2, 1, 2, true, null))
                .add(new ConvTranspose2d(-1, 4, 3, 2, 1, 1, 1, 2, true, null))
                .maxPool2d(2)
                .add(new AvgPool2d(2, 2, 1, 1, 1, 1))
                .globalAvgPool2d().flatten()
                .dense(3)
                .build(be, 5);
    }

    /** Runs the script; skips (or fails when required) if PyTorch cannot run here. */
    private static void torch(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        dendrite.nn.PyTorch.run(command);
    }

    private static void close(String what, float[] expected, float[] actual) {
        close(what, expected, actual, RELATIVE);
    }

    /** Every value within {@code relative} of PyTorch's, or of a hundredth of its largest (for values near 0). */
    static void close(String what, float[] expected, float[] actual, double relative) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (err > relative * Math.max(Math.abs(expected[i]), scale * 1e-2)) {
                fail(what + ": value " + i + " is " + actual[i] + ", PyTorch gives " + expected[i]);
            }
        }
    }

    @OnEveryBackend
    void weightsPyTorchWroteGivePyTorchsOutputs(String backend) throws Exception {
        Path weights = dir.resolve("torch-weights.safetensors");
        Path io = dir.resolve("torch-io.safetensors");
        torch("from-torch", weights.toString(), io.toString());
        Sequential m = model(EveryBackend.get(backend));
        ModelFile.loadWeights(m, weights);
        SafeTensors.Contents xy = SafeTensors.read(io);
        float[] x = xy.tensor("x").values();
        close(backend + ": Dendrite's outputs on PyTorch's weights", xy.tensor("y").values(), m.predict(x, 3));
    }

    @OnEveryBackend
    void aModelDendriteSavedLoadsIntoPyTorchStrictlyAndGivesItsOutputs(String backend) throws Exception {
        Sequential m = model(EveryBackend.get(backend));
        Path weights = dir.resolve("dendrite.safetensors");
        ModelFile.save(m, weights);
        float[] x = new float[3 * 2 * 9 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) * 1.5f;
        }
        Path in = dir.resolve("x.safetensors");
        SafeTensors.write(in, List.of(SafeTensors.Entry.of(NamedTensor.f32("x", new int[] {3, 2, 9, 8}, x))), Map.of());
        Path out = dir.resolve("y.safetensors");
        torch("to-torch", weights.toString(), in.toString(), out.toString());
        close(backend + ": PyTorch's outputs on Dendrite's file", SafeTensors.read(out).tensor("y").values(),
                m.predict(x, 3));
    }
}
