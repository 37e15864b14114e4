package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.onnx.OnnxImport;
import dendrite.tensor.Backends;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dendrite import} on {@code small-cnn.onnx} (a fixture torch.onnx.export wrote, see
 * {@code small-cnn.py} beside it: Conv2d, ReLU, BatchNorm2d, MaxPool2d, Flatten, Linear, Softmax). How
 * well import matches PyTorch is the onnx module's tests' job; here: the model file it writes predicts
 * what the imported model does, the other commands take it, and failures are one line.
 */
class ImportCommandTest {
    @TempDir
    Path dir;

    Path onnx;

    @BeforeEach
    void copyFixture() throws Exception {
        onnx = dir.resolve("small-cnn.onnx");
        try (InputStream in = ImportCommandTest.class.getResourceAsStream("/onnx/small-cnn.onnx")) {
            Files.copy(in, onnx);
        }
    }

    @Test
    void writesAModelFileThatPredictsAsTheOnnxModel() throws Exception {
        Cli r = Cli.run("import", onnx.toString());
        assertEquals(0, r.code(), r::toString);
        Path written = dir.resolve("small-cnn.safetensors");
        assertTrue(r.out().contains("wrote " + written), r::toString);
        assertTrue(r.out().contains("input [1, 6, 6], output [5]"), r::toString);

        float[] x = new float[3 * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i);
        }
        Sequential direct = OnnxImport.load(onnx, Backends.get("scalar"));
        Sequential saved = ModelFile.load(written, Backends.get("scalar"));
        float[] expected = direct.predict(x, 3);
        assertArrayEquals(expected, saved.predict(x, 3), r::toString);
        float sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += expected[i];
        }
        assertEquals(1f, sum, 1e-5f, "softmax rows sum to 1");

        Cli summary = Cli.run("summary", written.toString());
        assertEquals(0, summary.code(), summary::toString);
    }

    @Test
    void keepsAnExistingFileUnlessForced() throws Exception {
        Path out = dir.resolve("model.safetensors");
        Files.writeString(out, "precious");
        Cli refused = Cli.run("import", onnx.toString(), "--out", out.toString());
        assertEquals(1, refused.code(), refused::toString);
        assertEquals(List.of("dendrite: " + out + " already exists: pass --force to overwrite it, or --out <file>"),
                refused.errLines());
        assertEquals("precious", Files.readString(out));
        Cli forced = Cli.run("import", onnx.toString(), "--out", out.toString(), "--force");
        assertEquals(0, forced.code(), forced::toString);
        ModelFile.load(out, Backends.get("scalar"));
    }

    @Test
    void aFileThatIsNotOnnxIsOneLine() throws Exception {
        Path notes = dir.resolve("notes.onnx");
        Files.writeString(notes, "these are not the weights you are looking for\n", StandardCharsets.UTF_8);
        Cli r = Cli.run("import", notes.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("dendrite: " + notes + ": not a valid ONNX model"), r::toString);
        assertTrue(!Files.exists(dir.resolve("notes.safetensors")), "nothing written");

        Path missing = dir.resolve("missing.onnx");
        Cli none = Cli.run("import", missing.toString());
        assertEquals(List.of("dendrite: " + missing + ": no such file"), none.errLines(), none::toString);
    }
}
