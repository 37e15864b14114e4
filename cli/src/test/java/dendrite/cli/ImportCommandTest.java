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

    /**
     * Class names and torchvision-style normalization stored at import: predicting for a picture gives the
     * named class the model scores highest on the normalized pixels, and a CSV row is normalized the same way.
     */
    @Test
    void classNamesAndNormalizationReachPredict() throws Exception {
        Path out = dir.resolve("named.safetensors");
        Cli r = Cli.run("import", onnx.toString(), "--out", out.toString(), "--classes", "ant,bee,cat,dog,eel",
                "--normalize", "0.4:0.2");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("classes: ant, bee, cat, dog, eel"), r::toString);
        assertTrue(r.out().contains("(x - mean) / std, mean 0.4, std 0.2"), r::toString);

        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(6, 6,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = new float[36];
        for (int i = 0; i < 36; i++) {
            int v = (i * 37) % 256;
            img.getRaster().setSample(i % 6, i / 6, 0, v);
            pixels[i] = (v / 255f - 0.4f) / 0.2f;
        }
        Path picture = dir.resolve("pic.png");
        javax.imageio.ImageIO.write(img, "png", picture.toFile());
        float[] scores = OnnxImport.load(onnx, Backends.get("scalar")).predict(pixels, 1);
        int best = 0;
        for (int k = 1; k < scores.length; k++) {
            best = scores[k] > scores[best] ? k : best;
        }
        String expected = List.of("ant", "bee", "cat", "dog", "eel").get(best);
        Cli p = Cli.run("predict", "--model", out.toString(), "--input", picture.toString());
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().contains(expected), "the class scored highest on normalized pixels, " + expected + ": " + p);

        float[] raw = new float[36];
        for (int i = 0; i < 36; i++) {
            raw[i] = (float) Math.cos(i);
        }
        float[] normalized = new float[36];
        for (int i = 0; i < 36; i++) {
            normalized[i] = (raw[i] - 0.4f) * (1f / 0.2f);
        }
        assertArrayEquals(OnnxImport.load(onnx, Backends.get("scalar")).predict(normalized, 1),
                ModelFile.load(out, Backends.get("scalar")).predict(ModelFile.preprocessing(
                        dendrite.nn.io.SafeTensors.read(out)).inputScaler().transform(raw), 1), "the stored scaler is (x - 0.4) / 0.2");
    }

    @Test
    void classesFromAFileAndOnePerChannelMeans() throws Exception {
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "ant\nbee\n\ncat\ndog\neel\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("labelled.safetensors");
        Cli r = Cli.run("import", onnx.toString(), "--out", out.toString(), "--classes", labels.toString(),
                "--normalize", "0.5:0.25");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("ant", "bee", "cat", "dog", "eel"),
                ModelFile.preprocessing(dendrite.nn.io.SafeTensors.read(out)).classNames(), "blank lines skipped");
        dendrite.nn.data.Scaler s = ImportCommand.normalization("1,2,3:4,5,8", new int[] {3, 2, 2});
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, s.offsets());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.2f, 0.2f, 0.2f, 0.2f, 0.125f, 0.125f, 0.125f,
            0.125f}, s.scales());
    }

    @Test
    void badClassesOrNormalizationAreOneLineAndWriteNothing() throws Exception {
        Path out = dir.resolve("bad.safetensors");
        String[][] cases = {
            {"--classes", "a,b,c"}, {"--normalize", "0.5"}, {"--normalize", "0.5,0.5:0.2,0.2"},
            {"--normalize", "0.5:0"}, {"--normalize", "x:1"}, {"--classes", "a,b,c,d,e", "--regression"}};
        String[] expected = {"--classes: 3 names for 5 outputs", "is not <means>:<stds>",
            "2 means and 2 stds; the model's input [1, 6, 6] takes one of each", "must be positive",
            "mean 'x' is not a number", "a regression's outputs have no class names"};
        for (int k = 0; k < cases.length; k++) {
            List<String> args = new java.util.ArrayList<>(List.of("import", onnx.toString(), "--out", out.toString()));
            args.addAll(List.of(cases[k]));
            Cli r = Cli.run(args.toArray(new String[0]));
            assertEquals(1, r.code(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.err().contains(expected[k]), List.of(cases[k]) + ": " + r);
            assertTrue(!Files.exists(out), "nothing written");
        }
    }

    @Test
    void aRegressionPrintsItsOutputsAsValues() throws Exception {
        Path out = dir.resolve("values.safetensors");
        Cli r = Cli.run("import", onnx.toString(), "--out", out.toString(), "--regression");
        assertEquals(0, r.code(), r::toString);
        assertEquals("regression", dendrite.nn.io.SafeTensors.read(out).metadata().get("cli.task"));
    }
}
