package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.SavedModel;
import dendrite.nn.layers.LSTM;
import dendrite.tensor.Backends;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dendrite export} on a model {@code train} saved (with its standard scaling): ONNX Runtime runs
 * the file on raw features and gives what {@code predict}'s model gives; failures are one line. How
 * each layer exports is the onnx module's tests' job.
 */
class ExportCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainASmallModel() {
        Path out = dir.resolve("circles");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "circles", "--hidden", "8", "--epochs", "3",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        model = out.resolve("model.safetensors");
    }

    @Test
    void theOnnxModelTakesRawFeaturesAndGivesTheModelsOutputs() throws Exception {
        Cli r = Cli.run("export", model.toString());
        assertEquals(0, r.code(), r::toString);
        Path onnx = dir.resolve("circles/model.onnx");
        assertTrue(r.out().contains("wrote " + onnx), r::toString);
        assertTrue(r.out().contains("input 'input' [batch, 2], output 'output' [batch, 2]"), r::toString);
        assertTrue(r.out().contains("the input scaler's (x - offset) * scale is the first step"), r::toString);

        SavedModel saved = ModelFile.loadSaved(model, Backends.get("scalar"));
        float[] raw = {0.3f, -0.9f, 1.2f, 0.4f, -0.05f, 0.0f};
        float[] expected = saved.predict(raw, 3);
        float[] actual = run(Files.readAllBytes(onnx), raw, 3);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "output " + i);
        }

        Cli unscaled = Cli.run("export", model.toString(), "--no-scaling", "--out", dir.resolve("raw.onnx").toString());
        assertEquals(0, unscaled.code(), unscaled::toString);
        assertTrue(unscaled.out().contains("left out (--no-scaling)"), unscaled::toString);
        float[] scaled = saved.preprocessing().prepare(raw);
        float[] direct = run(Files.readAllBytes(dir.resolve("raw.onnx")), scaled, 3);
        assertArrayEquals(saved.model().predict(scaled, 3), direct, 1e-5f);
        assertNotEquals(expected[0], run(Files.readAllBytes(dir.resolve("raw.onnx")), raw, 3)[0],
                "without the scaling inside, raw features give other outputs");
    }

    @Test
    void aForecastersWindowsAndTargetScalingGoInToo() throws Exception {
        Path out = dir.resolve("series");
        Cli trained = Cli.run("train", "--backend", "scalar", "--dataset", "server-load-series", "--model", "gru 8, dense 1",
                "--epochs", "1", "--out", out.toString());
        assertEquals(0, trained.code(), trained::toString);
        Path forecaster = out.resolve("model.safetensors");
        Cli r = Cli.run("export", forecaster.toString(), "--out", out.resolve("f.onnx").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("outputs are returned in the target's units"), r::toString);
        SavedModel saved = ModelFile.loadSaved(forecaster, Backends.get("scalar"));
        int size = saved.model().inputShape().size();
        float[] raw = new float[2 * size];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) (50 + 20 * Math.sin(0.37 * i));
        }
        float[] expected = saved.predict(raw, 2);
        float[] actual = run(Files.readAllBytes(out.resolve("f.onnx")), raw, 2, saved.model().inputShape().dims());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "forecast " + i);
        }
    }

    @Test
    void anExistingFileIsKeptWithoutForce() throws Exception {
        Path existing = dir.resolve("existing.onnx");
        Files.writeString(existing, "keep me");
        Cli r = Cli.run("export", model.toString(), "--out", existing.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("dendrite: " + existing + " already exists: pass --force to overwrite it, or --out <file>", r.err().strip());
        assertEquals("keep me", Files.readString(existing));
        Cli forced = Cli.run("export", model.toString(), "--out", existing.toString(), "--force");
        assertEquals(0, forced.code(), forced::toString);
        assertTrue(Files.size(existing) > 100, "the ONNX model replaced it");
    }

    @Test
    void aLayerOnnxExportDoesNotTakeIsOneLine() throws Exception {
        Path lstm = dir.resolve("lstm.safetensors");
        ModelFile.save(dendrite.nn.Sequential.builder(5, 3).add(new LSTM(-1, 4, false).maskZeroSteps()).dense(2)
                .build(Backends.get("scalar"), 1), lstm);
        Cli r = Cli.run("export", lstm.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("dendrite: ONNX export: layer 0 (lstm) skips padding steps (mask_zero), which the exported model"
                + " would not do", r.err().strip(), r::toString);
        assertTrue(Files.notExists(dir.resolve("lstm.onnx")), "nothing written");
    }

    private static float[] run(byte[] onnx, float[] x, int n) throws OrtException {
        return run(onnx, x, n, new int[] {x.length / n});
    }

    private static float[] run(byte[] onnx, float[] x, int n, int[] sample) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] dims = new long[sample.length + 1];
        dims[0] = n;
        for (int i = 0; i < sample.length; i++) {
            dims[i + 1] = sample[i];
        }
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
                OrtSession.Result out = s.run(Map.of("input", in))) {
            FloatBuffer b = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] y = new float[b.remaining()];
            b.get(y);
            return y;
        }
    }
}
