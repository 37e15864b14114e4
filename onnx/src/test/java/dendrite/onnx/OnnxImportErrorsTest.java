package dendrite.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.tensor.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What import says about files it cannot take: each message names the file and the problem, and for
 * unsupported content the node and its op_type. The files PyTorch exports need it (see
 * {@link TorchExports}: skipped without it unless required); the damaged and foreign ones are made here
 * from {@link TinyOnnx}, which needs nothing.
 */
class OnnxImportErrorsTest {
    @TempDir
    Path dir;

    private static OnnxImportException refused(Path file) {
        return assertThrows(OnnxImportException.class, () -> OnnxImport.load(file, Backends.get("scalar")));
    }

    private static void says(OnnxImportException e, String... parts) {
        System.out.println(e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' is not in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    /** The hand-written file loads and computes relu(x W^T + b): the files the other tests damage are good. */
    @Test
    void handWrittenModelLoadsAndComputes() throws Exception {
        Path file = dir.resolve("tiny.onnx");
        Files.write(file, TinyOnnx.gemmThen("Relu"));
        Sequential m = OnnxImport.load(file, Backends.get("scalar"));
        float[] x = {1f, 2f, -3f, 0.5f};
        float[] expected = new float[6];
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                float v = TinyOnnx.BIAS[o] + x[2 * n] * TinyOnnx.WEIGHT[2 * o] + x[2 * n + 1] * TinyOnnx.WEIGHT[2 * o + 1];
                expected[3 * n + o] = Math.max(0, v);
            }
        }
        assertArrayEquals(expected, m.predict(x, 2), 1e-6f);
        assertArrayEquals(new int[] {2}, m.inputShape().dims());
    }

    /** Dropout and Identity on the data (which torch leaves out in eval mode) import as nothing. */
    @Test
    void dropoutAndIdentityAreNothing() throws Exception {
        float[] x = {1f, 2f, -3f, 0.5f};
        float[] expected = new float[6];
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                expected[3 * n + o] = TinyOnnx.BIAS[o] + x[2 * n] * TinyOnnx.WEIGHT[2 * o]
                        + x[2 * n + 1] * TinyOnnx.WEIGHT[2 * o + 1];
            }
        }
        for (String op : new String[] {"Dropout", "Identity"}) {
            Path file = dir.resolve(op + ".onnx");
            Files.write(file, TinyOnnx.gemmThen(op));
            Sequential m = OnnxImport.load(file, Backends.get("scalar"));
            assertEquals(1, m.size(), op);
            assertArrayEquals(expected, m.predict(x, 2), 1e-6f, op);
        }
    }

    /** Weights in float_data (packed floats) rather than raw_data: the same model. */
    @Test
    void weightsInFloatDataLoadAsInRawData() throws Exception {
        Path raw = dir.resolve("raw.onnx");
        Path packed = dir.resolve("packed.onnx");
        Files.write(raw, TinyOnnx.gemmThen("Relu", true, 2));
        Files.write(packed, TinyOnnx.gemmThen("Relu", false, 2));
        assertTrue(Files.size(raw) != Files.size(packed) || !Arrays.equals(Files.readAllBytes(raw), Files.readAllBytes(packed)));
        assertEquals(OnnxImport.load(raw, Backends.get("scalar")).stateDict().keySet(),
                OnnxImport.load(packed, Backends.get("scalar")).stateDict().keySet());
        float[] x = {1f, 2f, -3f, 0.5f};
        assertArrayEquals(OnnxImport.load(raw, Backends.get("scalar")).predict(x, 2),
                OnnxImport.load(packed, Backends.get("scalar")).predict(x, 2));
    }

    @Test
    void onlyTheBatchDimensionMayVary() throws Exception {
        Path file = dir.resolve("dynamic.onnx");
        Files.write(file, TinyOnnx.gemmThen("Relu", true, -1));
        says(refused(file), file + ": dimension 1 of input 'x' is 'features' (not fixed); only the batch dimension (0) may vary");
    }

    @Test
    void unsupportedOperatorNamesFileNodeAndOp() throws Exception {
        Path file = TorchExports.dir().resolve("mul-constant.onnx");
        OnnxImportException e = refused(file);
        says(e, file.toString(), "node '/1/Mul' (Mul)", "Mul is supported only of two data values of one shape",
                "not with a constant of more values (broadcasting)");
        assertEquals(file, e.file());
        assertEquals(Optional.of("node '/1/Mul' (Mul)"), e.node());
    }

    /** torch.clamp(min=1, max=-1): ONNX makes every output the max; refused rather than guessed at. */
    @Test
    void clipWithBoundsOutOfOrder() throws Exception {
        Path file = TorchExports.dir().resolve("clip-reversed.onnx");
        says(refused(file), file + ": node '/1/Clip' (Clip): Clip to [1.0, -1.0] is not supported (the min must be"
                + " below the max)");
    }

    /** Div of two data values, outside GELU's pattern: refused, naming what Div is taken in. */
    @Test
    void patternOperatorAlone() throws Exception {
        Path file = TorchExports.dir().resolve("div.onnx");
        says(refused(file), file + ": node '/1/Div' (Div): Div is supported only with a one-element constant (the data"
                + " divided by it) and in the patterns torch writes for nn.GELU() (Div by sqrt 2, Erf, Add 1, Mul, Mul"
                + " by 0.5) and for nn.LayerNorm below opset 17");
    }

    /** ReduceMean and Sub as LayerNorm's pattern begins, without the rest of it. */
    @Test
    void partOfLayerNormsPattern() throws Exception {
        Path file = TorchExports.dir().resolve("center.onnx");
        says(refused(file), file + ": node '/1/ReduceMean' (ReduceMean): ReduceMean is supported only in the patterns "
                + "torch writes for", "which this node does not begin or is not a part of");
    }

    @Test
    void handWrittenUnsupportedOperator() throws Exception {
        Path file = dir.resolve("hardsigmoid.onnx");
        Files.write(file, TinyOnnx.gemmThen("HardSigmoid"));
        says(refused(file), file + ": node 'HardSigmoid_1' (HardSigmoid): HardSigmoid is not supported; supported ops:");
    }

    /** x + fc(x): a graph (the Gemm and the sum), then the ReLU. Once refused, as every branch was. */
    @Test
    void skipConnectionIsAGraph() throws Exception {
        Sequential m = OnnxImport.load(TorchExports.dir().resolve("residual.onnx"), Backends.get("scalar"));
        assertEquals(java.util.List.of("graph", "relu"), m.layers().stream().map(l -> l.type()).toList());
    }

    /** x [N, 6] + fc(x) [N, 1]: broadcasting one data value over another. */
    @Test
    void addOfDifferentShapes() throws Exception {
        Path file = TorchExports.dir().resolve("broadcast-add.onnx");
        says(refused(file), file + ": node '/0/Add' (Add): input '/0/fc/Gemm_output_0' is [N, 1] and 'input' is "
                + "[N, 6]: Add of data values of different shapes (broadcasting) is not supported, only of one shape");
    }

    @Test
    void concatAlongTheBatch() throws Exception {
        Path file = TorchExports.dir().resolve("batch-cat.onnx");
        says(refused(file), file + ": node '/0/Concat' (Concat): axis=0 on inputs [N, 6] is not supported: only a "
                + "per-sample axis (1 to 1;", "not the batch");
    }

    @Test
    void averagePoolThatDoesNotCountPadding() throws Exception {
        Path file = TorchExports.dir().resolve("exclude-pad.onnx");
        says(refused(file), file + ": node '/1/AveragePool' (AveragePool): count_include_pad=0 with padding is not supported");
    }

    /** Cut anywhere inside: every cut says truncated or names what is missing, never a stack trace alone. */
    @Test
    void truncatedFile() throws Exception {
        byte[] good = TinyOnnx.gemmThen("Relu");
        Path file = dir.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(good, good.length / 2));
        says(refused(file), file + ": not a valid ONNX model: the file ends in the middle of a field (truncated?)");
        for (int n = 1; n < good.length; n++) {
            Files.write(file, Arrays.copyOf(good, n));
            OnnxImportException e = refused(file);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        }
    }

    @Test
    void textFileIsNotOnnx() throws Exception {
        Path file = dir.resolve("notes.onnx");
        Files.write(file, TinyOnnx.text("these are not the weights you are looking for\n"));
        says(refused(file), file + ": not a", "ONNX model");
    }

    @Test
    void zipFileIsNotOnnx() throws Exception {
        Path file = dir.resolve("model.pt");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0});
        says(refused(file), file + ": not a valid ONNX model", "a PyTorch .pt/.pth file?");
    }

    @Test
    void emptyAndMissingFiles() throws Exception {
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        says(refused(empty), empty + ": the file is empty, not an ONNX model");
        Path missing = dir.resolve("missing.onnx");
        says(refused(missing), missing + ": no such file");
    }
}
