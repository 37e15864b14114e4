package dendrite.nn.io;

import dendrite.nn.internal.Json;
import static dendrite.nn.io.SafeTensorsBytes.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    private static final Backend BE = Backends.get("scalar");

    @TempDir
    Path dir;

    /** Every kind of layer that has state, plus some that have none. */
    static Sequential mixedModel(long seed) {
        return Sequential.builder(4)
                .dense(8).batchNorm().relu()
                .dropout(0.3)
                .dense(6).tanh()
                .dense(3).softmax()
                .build(BE, seed);
    }

    static float[] inputs(int n, int features) {
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.7) * 2;
        }
        return x;
    }

    @Test
    void savedAndLoadedModelPredictsIdentically() throws IOException {
        Sequential model = mixedModel(7);
        // A training-mode pass moves BatchNorm's running statistics away from their initial values.
        try (Tensor x = BE.tensor(inputs(16, 4), 16, 4)) {
            model.forward(x, true);
        }
        float[] before = model.predict(inputs(10, 4), 10);
        Path f = dir.resolve("model.safetensors");
        ModelFile.save(model, f);

        Sequential loaded = ModelFile.load(f, BE);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(inputs(10, 4), 10), "bit-identical on the scalar backend");
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), loaded.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
    }

    /** A small CNN with every image layer, strides, padding, dilation and groups among them. */
    static Sequential convolutionalModel(long seed) {
        return Sequential.builder(2, 9, 8)
                .conv2dSame(4, 3).relu()
                .add(new dendrite.nn.layers.Conv2d(-1, 6, 3, 2, 2, 1, 1, 0, false, 2, 1, 2, true, null))
                .maxPool2d(2)
                .add(new dendrite.nn.layers.AvgPool2d(2, 2, 1, 1, 1, 1))
                .globalAvgPool2d().flatten()
                .dense(3)
                .build(BE, seed);
    }

    @Test
    void aConvolutionalModelSavesLoadsAndSummarizesWithEveryOption() throws IOException {
        Sequential model = convolutionalModel(11);
        float[] x = inputs(3, 2 * 9 * 8);
        float[] before = model.predict(x, 3);
        Path f = dir.resolve("cnn.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, BE);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(x, 3), "bit-identical on the scalar backend");
        assertEquals(java.util.List.of("0.weight", "0.bias", "2.weight", "2.bias", "7.weight", "7.bias"),
                java.util.List.copyOf(loaded.stateDict().keySet()), "PyTorch's nn.Sequential names");
        assertArrayEquals(new int[] {6, 2, 3, 2}, loaded.stateDict().get("2.weight").shape().dims(),
                "[out, in / groups, kH, kW]");
        String summary = loaded.summary();
        assertTrue(summary.contains("Conv2d(2, 4, 3, same)") && summary.contains("[4, 9, 8]"), summary);
        assertTrue(summary.contains("MaxPool2d(2)") && summary.contains("GlobalAvgPool2d") && summary.contains("[6, 1, 1]"),
                summary);
    }

    /** A 1-D CNN on [channels, length] with strides, padding, dilation, groups, 'same' and both pools. */
    @Test
    void aOneDimensionalConvolutionalModelSavesAndLoadsWithEveryOption() throws IOException {
        Sequential model = Sequential.builder(4, 13)
                .add(new dendrite.nn.layers.Conv1d(-1, 6, 3, 2, 1, false, 2, 2, true, null)).relu()
                .conv1dSame(5, 3)
                .add(new dendrite.nn.layers.MaxPool1d(3, 2, 1))
                .add(new dendrite.nn.layers.AvgPool1d(2, 1, 1))
                .flatten().dense(3)
                .build(BE, 13);
        float[] x = inputs(3, 4 * 13);
        float[] before = model.predict(x, 3);
        Path f = dir.resolve("cnn1d.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, BE);
        assertEquals(model.architecture(), loaded.architecture());
        assertArrayEquals(before, loaded.predict(x, 3), "bit-identical on the scalar backend");
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "6.weight", "6.bias"),
                List.copyOf(loaded.stateDict().keySet()), "PyTorch's nn.Sequential names");
        assertArrayEquals(new int[] {6, 2, 3}, loaded.stateDict().get("0.weight").shape().dims(), "[out, in / groups, k]");
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), loaded.stateDict().get(e.getKey()).toArray(), e.getKey());
        }
        String summary = loaded.summary();
        assertTrue(summary.contains("Conv1d(4, 6, 3, stride 2, pad 1, dilation 2, groups 2)")
                && summary.contains("Conv1d(6, 5, 3, same)") && summary.contains("MaxPool1d(3, stride 2, pad 1)"),
                summary);
    }

    /** A copy of a saved model file with one tensor's values replaced. */
    private Path withValues(Path saved, String tensor, float[] values) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(saved);
        java.util.List<SafeTensors.Entry> entries = new java.util.ArrayList<>();
        for (NamedTensor t : c.tensors().values()) {
            NamedTensor v = t.name().equals(tensor) ? NamedTensor.f32(t.name(), t.shape(), values) : t;
            entries.add(SafeTensors.Entry.of(v));
        }
        Path f = dir.resolve(tensor + "-edited.safetensors");
        SafeTensors.write(f, entries, c.metadata());
        return f;
    }

    @Test
    void nonFiniteWeightsAndANegativeRunningVarianceAreRefusedNamingTheTensor() throws IOException {
        Path saved = dir.resolve("good.safetensors");
        ModelFile.save(mixedModel(3), saved);
        float[] w = SafeTensors.read(saved).tensor("0.weight").values();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] v = w.clone();
            v[5] = bad;
            Path f = withValues(saved, "0.weight", v);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
            assertEquals("0.weight", e.tensor(), e.getMessage());
            assertTrue(e.getMessage().contains("value 5 is " + bad) && e.getMessage().contains("must be finite"),
                    e.getMessage());
        }
        float[] var = SafeTensors.read(saved).tensor("1.running_var").values().clone();
        var[2] = -0.5f;
        Path f = withValues(saved, "1.running_var", var);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertEquals("1.running_var", e.tensor(), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be negative"), e.getMessage());
    }

    @Test
    void aFloat64WeightBeyondFloat32IsRefusedNotMadeInfinite() throws IOException {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.5).putDouble(1e300).putDouble(0.25);
        String header = "{\"0.weight\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
                + "\"0.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}";
        Path f = dir.resolve("f64.safetensors");
        Files.write(f, SafeTensorsBytes.file(header, data.array()));
        Sequential model = Sequential.builder(2).dense(1).build(BE, 1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.loadWeights(model, f));
        assertTrue(e.getMessage().contains("0.weight") && e.getMessage().contains("beyond float32's range"),
                e.getMessage());
    }

    @Test
    void fileIsReadableSafetensorsWithPyTorchNamesAndMetadata() throws IOException {
        Sequential model = mixedModel(1);
        Path f = dir.resolve("names.safetensors");
        ModelFile.save(model, f);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight",
                "4.bias", "4.weight", "6.bias", "6.weight"), List.copyOf(c.tensors().keySet()));
        assertEquals("pt", c.metadata().get("format"));
        assertEquals("1", c.metadata().get(ModelFile.VERSION_KEY));
        Map<String, Object> arch = Json.parseObject(c.metadata().get(ModelFile.ARCHITECTURE_KEY));
        assertEquals(List.of(4L), arch.get("input_shape"));
        assertEquals(ModelFile.readArchitecture(f), arch);
        assertArrayEquals(new int[] {8, 4}, c.tensor("0.weight").shape());
    }

    /**
     * A file as PyTorch writes it for {@code nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))}
     * with {@code safetensors.torch.save_file(model.state_dict(), path)}: no metadata, F32 tensors
     * sorted by name, header padded with spaces to a multiple of 8. Built here byte by byte from the spec.
     */
    static byte[] pytorchFixture() {
        String header = "{"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[12,36]},"
                + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[36,40]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[40,52]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        byte[] data = SafeTensorsBytes.concat(
                f32(0.5f, -1f, 0f),                       // 0.bias
                f32(1f, 2f, -1f, 0.5f, 3f, -2f),          // 0.weight [out=3, in=2], row-major
                f32(0.25f),                               // 2.bias
                f32(1f, -2f, 0.5f));                      // 2.weight [1, 3]
        return SafeTensorsBytes.file(padded, data);
    }

    @Test
    void weightsWrittenByPyTorchLoadIntoTheMatchingModelAndPredictAsByHand() throws IOException {
        Path f = dir.resolve("torch.safetensors");
        Files.write(f, pytorchFixture());
        Sequential model = Sequential.builder(2).dense(3).relu().dense(1).build(BE, 99);
        ModelFile.loadWeights(model, f);

        float[] x = {1f, 2f, -1f, 0.5f};
        float[] y = model.predict(x, 2);
        // Sample (1, 2): h = W0 x + b0 = (1+4+0.5, -1+1-1, 3-4+0) = (5.5, -1, -1); relu -> (5.5, 0, 0);
        //   y = 1*5.5 - 2*0 + 0.5*0 + 0.25 = 5.75.
        // Sample (-1, 0.5): h = (-1+1+0.5, 1+0.25-1, -3-1+0) = (0.5, 0.25, -4); relu -> (0.5, 0.25, 0);
        //   y = 0.5 - 0.5 + 0 + 0.25 = 0.25.
        assertArrayEquals(new float[] {5.75f, 0.25f}, y);
    }

    @Test
    void aPyTorchFileHasNoArchitectureSoLoadSaysToBuildTheModelInCode() throws IOException {
        Path f = dir.resolve("torch.safetensors");
        Files.write(f, pytorchFixture());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("ModelFile.loadWeights"), e.getMessage());
    }

    @Test
    void pytorchBatchNormCounterIsIgnored() throws IOException {
        Sequential model = Sequential.builder(2).batchNorm().build(BE, 1);
        List<SafeTensors.Entry> entries = new java.util.ArrayList<>(ModelFile.entries(model.stateDict(), ""));
        entries.add(SafeTensors.Entry.of(new NamedTensor("0.num_batches_tracked", DType.I64, new int[0], new float[] {12})));
        Path f = dir.resolve("bn.safetensors");
        SafeTensors.write(f, entries, Map.of());
        ModelFile.loadWeights(model, f);
    }

    @Test
    void aTensorWithTheWrongShapeIsRefusedNamingFileTensorAndBothShapesAndTheModelIsUnchanged() throws IOException {
        Path f = dir.resolve("wide.safetensors");
        ModelFile.save(Sequential.builder(2).dense(4).relu().dense(1).build(BE, 1), f);
        Sequential model = Sequential.builder(2).dense(3).relu().dense(1).build(BE, 2);
        float[] weightsBefore = model.stateDict().get("2.bias").toArray();

        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.loadWeights(model, f));
        assertEquals("0.weight", e.tensor());
        assertTrue(e.getMessage().startsWith(f + ": tensor \"0.weight\": shape [4, 2] in the file does not fit the"
                + " architecture, which needs [3, 2]; also"), e.getMessage());
        assertTrue(e.getMessage().contains("\"0.bias\": shape [4] in the file does not fit the architecture, which needs [3]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\"2.weight\": shape [1, 4] in the file does not fit the architecture, which needs [1, 3]"),
                e.getMessage());
        assertArrayEquals(weightsBefore, model.stateDict().get("2.bias").toArray(), "2.bias fitted, but nothing was loaded");
    }

    @Test
    void missingAndUnexpectedTensorsAreRefused() throws IOException {
        Sequential model = Sequential.builder(2).dense(3).build(BE, 1);
        Path missing = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, List.of(SafeTensors.Entry.of("0.weight", model.stateDict().get("0.weight"))), Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.loadWeights(model, missing));
        assertEquals(missing + ": tensor \"0.bias\": missing; the architecture needs it with shape [3]", e.getMessage());

        Path extra = dir.resolve("extra.safetensors");
        List<SafeTensors.Entry> entries = new java.util.ArrayList<>(ModelFile.entries(model.stateDict(), ""));
        entries.add(SafeTensors.Entry.of(NamedTensor.f32("1.weight", new int[] {1}, new float[] {1})));
        SafeTensors.write(extra, entries, Map.of());
        e = assertThrows(ModelFormatException.class, () -> ModelFile.loadWeights(model, extra));
        assertTrue(e.getMessage().startsWith(extra + ": tensor \"1.weight\": unexpected"), e.getMessage());
    }

    @Test
    void anArchitectureThatCannotBeBuiltIsAFormatProblemOfTheFile() throws IOException {
        Sequential model = Sequential.builder(2).dense(3).build(BE, 1);
        Map<String, String> meta = ModelFile.metadata(model, "model");
        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"input_shape\":[2],\"layers\":[{\"type\":\"conv9d\",\"config\":{}}]}");
        Path f = dir.resolve("conv.safetensors");
        SafeTensors.write(f, ModelFile.entries(model.stateDict(), ""), meta);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().startsWith(f + ": the architecture cannot be built: unknown layer type 'conv9d'"),
                e.getMessage());

        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"input_shape\":[2],\"layers\":[{\"type\":\"dense\",\"config\":{\"units\":\"x\"}}]}");
        SafeTensors.write(f, ModelFile.entries(model.stateDict(), ""), meta);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().contains("dense: 'units' must be a whole number, not the text \"x\"")
                && !e.getMessage().contains("ClassCastException") && !e.getMessage().contains("java.lang"), e.getMessage());

        // 4294967360 = 2^32 + 64: it must not wrap to 64 units
        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"input_shape\":[2],\"layers\":[{\"type\":\"dense\",\"config\":{\"units\":4294967360}}]}");
        SafeTensors.write(f, ModelFile.entries(model.stateDict(), ""), meta);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().contains("dense: 'units' is 4294967360, beyond the range of an int"), e.getMessage());

        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"input_shape\":[2.5],\"layers\":[]}");
        SafeTensors.write(f, ModelFile.entries(model.stateDict(), ""), meta);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().contains("must be a whole number, not 2.5"), e.getMessage());

        meta.put(ModelFile.ARCHITECTURE_KEY, "{\"input_shape\":[2],");
        SafeTensors.write(f, ModelFile.entries(model.stateDict(), ""), meta);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    }

    @Test
    void aSaveThatFailsMidWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Sequential good = mixedModel(3);
        ModelFile.save(good, f);
        byte[] old = Files.readAllBytes(f);

        Sequential broken = mixedModel(4);
        broken.stateDict().get("6.weight").close();   // reading it while writing throws
        assertThrows(IllegalStateException.class, () -> ModelFile.save(broken, f));

        assertArrayEquals(old, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        assertArrayEquals(good.predict(inputs(3, 4), 3), ModelFile.load(f, BE).predict(inputs(3, 4), 3));
    }

    @Test
    void savingReplacesAnExistingFileAndKeepsItsPermissions() throws IOException {
        Path f = dir.resolve("perm.safetensors");
        ModelFile.save(mixedModel(1), f);
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        }
        Sequential second = mixedModel(2);
        ModelFile.save(second, f);
        assertArrayEquals(second.predict(inputs(2, 4), 2), ModelFile.load(f, BE).predict(inputs(2, 4), 2));
        assertNotEquals(mixedModel(1).predict(inputs(2, 4), 2)[0], second.predict(inputs(2, 4), 2)[0]);
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }
}
