package dendrite.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dendrite.nn.Sequential;
import dendrite.nn.data.Scaler;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.nn.layers.AvgPool1d;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.Conv1d;
import dendrite.nn.graph.Blocks;
import dendrite.nn.graph.Graph;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ConvTranspose2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Bidirectional;
import dendrite.nn.layers.Dropout2d;
import dendrite.nn.layers.GRU;
import dendrite.nn.layers.GroupNorm;
import dendrite.nn.layers.LSTM;
import dendrite.nn.layers.RecurrentStack;
import dendrite.nn.layers.SimpleRNN;
import dendrite.nn.layers.Upsample2d;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.GlobalAvgPool1d;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.MaxPool1d;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.MultiheadAttention;
import dendrite.nn.layers.PositionEmbedding;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Sigmoid;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported models run in ONNX Runtime (an independent implementation of the operators) give the
 * model's own predictions, on every backend; they import back into the same predictions; and what
 * cannot be exported is refused before anything is written.
 */
class OnnxExportTest {
    private static final int BATCH = 5;
    /** The token model's vocabulary: its inputs are whole numbers below it. */
    private static final int TOKENS = 11;

    /** Every exported layer kind, in models that give each its usual input (token ids where they begin with an embedding). */
    private static final Map<String, Function<Backend, Sequential>> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("mlp", be -> Sequential.builder(20)
                .dense(16).leakyRelu(0.2f).dense(12, Activation.TANH).dense(9, Activation.SIGMOID)
                .dense(10, false).softmax().build(be, 1));
        MODELS.put("cnn", be -> Sequential.builder(3, 13, 11)
                .add(new Conv2d(-1, 8, 3, 2, 1, 2, 1, 0, false, 2, 1, 1, true, null)).batchNorm2d().prelu(8)
                .add(new MaxPool2d(3, 2, 2, 1, 1, 1)).add(new Dropout2d(0.3))
                .add(new Conv2d(-1, 8, 3, 3, 1, 1, 0, 0, true, 1, 1, 4, false, null)).relu6()
                .add(new AvgPool2d(3, 3, 2, 2, 1, 1)).conv2d(6, 1).elu(0.7f)
                .globalAvgPool2d().flatten().dense(4).logSoftmax().build(be, 2));
        MODELS.put("activations", be -> Sequential.builder(24)
                .rescaling(1 / 3.0, -0.25).dense(24).selu().gelu().silu().mish().softplus().hardswish()
                .hardtanh(-0.5, 2).prelu().batchNorm().dropout(0.5).add(new LayerNorm(-1, 1e-3, false))
                .gelu(dendrite.nn.layers.GELU.Approximate.TANH).sigmoid().tanh().reshape(2, 3, 4).flatten()
                .rescaling(2, 0).relu().dense(3).build(be, 3));
        MODELS.put("sequence", be -> Sequential.builder(9, 6)
                .dense(8).add(new LayerNorm()).transpose()
                .add(new Conv1d(-1, 6, 3, 1, 1, false, 1, 2, true, null)).relu()
                .add(new MaxPool1d(2, 2, 1)).conv1dSame(6, 3).add(new AvgPool1d(2, 1, 1)).transpose()
                .add(new GlobalAvgPool1d()).dense(3).build(be, 4));
        MODELS.put("resnet", be -> Sequential.builder(3, 10, 9)
                .conv2d(8, 3, 1, 1).batchNorm2d().relu()
                .add(Blocks.residual(8, 8, 1)).add(Blocks.residual(8, 12, 2))
                .globalAvgPool2d().flatten().dense(5).build(be, 5));
        MODELS.put("graph", be -> Sequential.builder(1 * 6 * 6 + 4).add(Graph.builder()
                .input("image", 1, 6, 6).input("meta", 4)
                .layer("conv", new Conv2d(3, 3), "image").layer("flat", new Flatten(), "conv")
                .layer("metaDense", new Dense(5), "meta").layer("gate", new Sigmoid(), "metaDense")
                .layer("metaValue", new Dense(5), "meta").multiply("gated", "metaValue", "gate")
                .add("sum3", "gated", "metaValue", "gate")
                .concat("both", 0, "flat", "sum3").layer("hidden", new Dense(16), "both")
                .layer("act", new ReLU(), "hidden")
                .layer("class", new Dense(4), "act").layer("value", new Dense(1), "act")
                .outputs("class", "value").build()).build(be, 6));
        MODELS.put("recurrent", be -> Sequential.builder(7, 5)
                .lstm(6, true).gru(5, true).add(new SimpleRNN(-1, 4, true, Activation.RELU))
                .add(new Bidirectional(new LSTM(-1, 3, true))).add(new RecurrentStack("gru", -1, 4, 2, true, true, false))
                .add(new RecurrentStack("rnn", -1, 3, 2, false, false, false)).dense(2).build(be, 7));
        MODELS.put("lastStates", be -> Sequential.builder(6, 3).add(Graph.builder()
                .layer("lstm", new LSTM(-1, 4, false), "input").layer("gru", new Bidirectional(new GRU(-1, 3, false)), "input")
                .layer("rnn", new SimpleRNN(-1, 2, false, Activation.TANH), "input")
                .layer("stack", new RecurrentStack("lstm", -1, 3, 2, true, false, false), "input")
                .concat("states", 0, "lstm", "gru", "rnn", "stack").build()).dense(3).build(be, 8));
        MODELS.put("tokens", be -> Sequential.builder(9)
                .embedding(TOKENS, 6).add(new PositionEmbedding(12, PositionEmbedding.Kind.LEARNED))
                .add(new PositionEmbedding(9, PositionEmbedding.Kind.SINUSOIDAL)).transpose()
                .add(new GroupNorm(3, -1, 1e-4, true)).conv1d(4, 3).add(new GroupNorm(2, -1, 1e-5, false))
                .flatten().dense(3).build(be, 9));
        MODELS.put("decoder", be -> Sequential.builder(4, 5, 6)
                .add(new ConvTranspose2d(-1, 6, 3, 2, 1, 1, 1, 2, true, null)).relu()
                .add(new Upsample2d(2, 1, Upsample2d.Mode.NEAREST, false))
                .add(new Upsample2d(1, 2, Upsample2d.Mode.BILINEAR, false))
                .add(new Upsample2d(2, 2, Upsample2d.Mode.BILINEAR, true))
                .add(new ConvTranspose2d(-1, 2, 2, 1, 0, 0, 2, 1, false, null)).add(new GroupNorm(1))
                .globalAvgPool2d().flatten().build(be, 10));
        MODELS.put("transformer", be -> Sequential.builder(7)
                .embedding(TOKENS, 8).add(new PositionEmbedding(7, PositionEmbedding.Kind.SINUSOIDAL))
                .add(Blocks.transformerEncoder(8, 2, 12, 0.1, true, true, true))
                .add(Blocks.transformerEncoder(8, 4, 10, 0.0, false, false, false))
                .add(new MultiheadAttention(8, 1, false, true, false)).add(new GlobalAvgPool1d()).dense(3).build(be, 11));
    }

    @TempDir
    Path dir;

    @OnEveryBackend
    void onnxRuntimeGivesTheModelsPredictions(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        for (String name : MODELS.keySet()) {
            Sequential model = withRandomState(MODELS.get(name).apply(be), 7);
            int size = model.inputShape().size();
            float[] x = model.layer(0).type().equals("embedding") ? tokens(BATCH * size, 11) : random(BATCH * size, 11);
            float[] expected = model.predict(x, BATCH);
            float[] actual = runInOnnxRuntime(OnnxExport.toBytes(model), x, model.inputShape());
            assertClose(name + " on " + backend, expected, actual, 1e-5);
        }
    }

    /**
     * Every kind of layer nn-core registers is in one of the models above, so each has been run in ONNX
     * Runtime: a layer added to nn-core without its export (in {@code LayerNodes}) and a model here fails this.
     */
    @Test
    void everyLayerNnCoreHasIsInTheseModels() {
        Backend be = EveryBackend.get("scalar");
        java.util.Set<String> exported = new java.util.TreeSet<>();
        for (Function<Backend, Sequential> make : MODELS.values()) {
            make.apply(be).layers().forEach(l -> collectTypes(l, exported));
        }
        java.util.Set<String> missing = new java.util.TreeSet<>(dendrite.nn.layers.LayerRegistry.types());
        missing.removeAll(exported);
        assertEquals(java.util.Set.of(), missing, "registered layer types no model here exports");
    }

    private static void collectTypes(dendrite.nn.layers.Layer layer, java.util.Set<String> types) {
        types.add(layer.type());
        if (layer instanceof Graph g) {
            for (String node : g.nodeNames()) {
                try {
                    collectTypes(g.layer(node), types);
                } catch (IllegalArgumentException notALayer) {
                    // the input node or a merge
                }
            }
        }
    }

    @OnEveryBackend
    void anExportedModelImportsBackToItsPredictions(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        for (String name : new String[] {"mlp", "cnn", "resnet"}) {
            Sequential model = withRandomState(MODELS.get(name).apply(be), 8);
            Path file = dir.resolve(name + ".onnx");
            OnnxExport.save(model, file);
            Sequential back = OnnxImport.load(file, be);
            float[] x = random(BATCH * model.inputShape().size(), 12);
            assertClose(name + " imported on " + backend, model.predict(x, BATCH), back.predict(x, BATCH), 1e-5);
        }
    }

    @Test
    void aSavedModelsScalersAndClassNamesGoIntoTheFile() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential classifier = withRandomState(MODELS.get("mlp").apply(be), 10);
        List<String> names = List.of("t-shirt", "trouser", "say \"cheese\"", "back\\slash", "e", "f", "g", "h", "i", "j");
        SavedModel saved = new SavedModel(classifier, Preprocessing.of(scaler(20, 13), names));
        float[] raw = random(BATCH * 20, 14);
        byte[] onnx = OnnxExport.toBytes(saved);
        assertClose("classifier with its scaler", saved.predict(raw, BATCH), runInOnnxRuntime(onnx, raw, Shape.of(20)),
                1e-5);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals("[\"t-shirt\",\"trouser\",\"say \\\"cheese\\\"\",\"back\\\\slash\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]",
                    s.getMetadata().getCustomMetadata().get(OnnxExport.CLASS_NAMES_KEY));
        }

        Sequential regression = withRandomState(Sequential.builder(20).dense(8).relu().dense(2).build(be, 5), 15);
        SavedModel forecaster = new SavedModel(regression, Preprocessing.forRegression(scaler(20, 16), scaler(2, 17)));
        assertClose("regression with both scalers", forecaster.predict(raw, BATCH),
                runInOnnxRuntime(OnnxExport.toBytes(forecaster), raw, Shape.of(20)), 1e-5);
    }

    private static Scaler scaler(int features, long seed) {
        Random r = new Random(seed);
        float[] offset = new float[features];
        float[] scale = new float[features];
        for (int j = 0; j < features; j++) {
            offset[j] = (float) r.nextGaussian() * 3;
            scale[j] = 0.2f + r.nextFloat() * 2;
        }
        return Scaler.of(Scaler.Kind.STANDARD, offset, scale);
    }

    /**
     * ONNX's own checker ({@code onnx.checker.check_model} with {@code full_check}: the operators' schemas
     * and strict shape inference) accepts every exported file. Needs Debian's {@code python3-onnx}; skipped
     * without it unless {@code -Ddendrite.pytorch.require=true}, as the PyTorch comparisons.
     */
    @Test
    void onnxsCheckerAcceptsTheFiles() throws Exception {
        Backend be = EveryBackend.get("scalar");
        List<String> command = new java.util.ArrayList<>(List.of(System.getProperty("dendrite.pytorch.python",
                "/usr/bin/python3"), "-c", """
                import sys
                try:
                    import onnx
                except ImportError:
                    print("no onnx module")
                    sys.exit(3)
                for f in sys.argv[1:]:
                    onnx.checker.check_model(onnx.load(f), full_check=True)
                    print("checked", f)
                """));
        for (String name : MODELS.keySet()) {
            Path file = dir.resolve(name + ".onnx");
            OnnxExport.save(withRandomState(MODELS.get(name).apply(be), 1), file);
            command.add(file.toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            unavailable("cannot start " + command.get(0) + ": " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc == 3) {
            unavailable(command.get(0) + " has no onnx module (apt-get install python3-onnx)");
        }
        assertEquals(0, rc, "onnx.checker refused a file:\n" + out);
        assertEquals(MODELS.size(), out.lines().filter(l -> l.startsWith("checked ")).count(), out);
    }

    private static void unavailable(String reason) {
        if (Boolean.getBoolean("dendrite.pytorch.require")) {
            fail(reason + " (and -Ddendrite.pytorch.require=true requires it)");
        }
        org.junit.jupiter.api.Assumptions.abort(reason + " (skipped; -Ddendrite.pytorch.require=true makes this a failure)");
    }

    @Test
    void saveWritesTheBytesOfToBytes() throws Exception {
        Sequential model = withRandomState(MODELS.get("mlp").apply(EveryBackend.get("scalar")), 9);
        Path file = dir.resolve("model.onnx");
        OnnxExport.save(model, file);
        assertArrayEquals(OnnxExport.toBytes(model), Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left");
        }
    }

    @Test
    void aLayerItCannotExportIsNamedAndNothingIsWritten() throws IOException {
        Backend be = EveryBackend.get("scalar");
        Sequential model = Sequential.builder(6, 4).dense(3).add(new OwnLayer()).build(be, 1);
        Path file = dir.resolve("model.onnx");
        Files.writeString(file, "the old file");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.save(model, file));
        assertTrue(e.getMessage().equals("ONNX export: layer 1 (own_layer, own layer) is not a layer ONNX export knows: it writes nn-core's own"
                + " layers (see OnnxExport)"),
                e.getMessage());
        assertEquals("the old file", Files.readString(file));

        Sequential stateful = Sequential.builder(6, 4).add(new LSTM(-1, 5, false).stateful()).build(be, 1);
        assertEquals("ONNX export: layer 0 (lstm) is stateful (its state carries over from batch to batch), which the"
                + " exported model would not do", assertThrows(IllegalArgumentException.class,
                        () -> OnnxExport.toBytes(stateful)).getMessage());
        Sequential inGraph = Sequential.builder(6, 4).add(Graph.builder().layer("mine", new OwnLayer(), "input").build())
                .build(be, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(inGraph)).getMessage()
                .startsWith("ONNX export: layer 0.mine (own_layer, "));
    }

    /** A layer of an application's own, which export cannot know. */
    private static final class OwnLayer implements dendrite.nn.layers.Layer {
        @Override
        public String type() {
            return "own_layer";
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public void build(Backend backend, Shape inputShape, long seed) {
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }

        @Override
        public String toString() {
            return "own layer";
        }
    }

    @Test
    void theFileDeclaresOpset17AndNamesItsInputAndOutput() throws Exception {
        Sequential model = MODELS.get("cnn").apply(EveryBackend.get("scalar"));
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(OnnxExport.toBytes(model),
                new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of("input"), s.getInputNames());
            assertEquals(java.util.Set.of("output"), s.getOutputNames());
            assertEquals("Dendrite", s.getMetadata().getProducerName());
        }
    }

    /** Every parameter and buffer set to random values (variances positive), so no layer is near identity. */
    static Sequential withRandomState(Sequential model, long seed) {
        Random r = new Random(seed);
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] v = new float[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getKey().endsWith("running_var") ? 0.5f + r.nextFloat() : (float) (r.nextGaussian() * 0.5);
            }
            e.getValue().copyFrom(v);
        }
        return model;
    }

    private static float[] tokens(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(TOKENS);
        }
        return v;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 1.5);
        }
        return v;
    }

    /** The model's output for {@code x} ({@link #BATCH} samples of {@code sample}) in ONNX Runtime, unoptimized. */
    static float[] runInOnnxRuntime(byte[] onnx, float[] x, Shape sample) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] dims = new long[sample.rank() + 1];
        dims[0] = BATCH;
        for (int i = 0; i < sample.rank(); i++) {
            dims[i + 1] = sample.dim(i);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // The graph as written, operator by operator: no fusions that change the roundings.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(onnx, options);
                    OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
                    OrtSession.Result out = s.run(Map.of("input", in))) {
                FloatBuffer b = ((OnnxTensor) out.get(0)).getFloatBuffer();
                float[] y = new float[b.remaining()];
                b.get(y);
                return y;
            }
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": output size");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tolerance)) {
            fail(what + ": worst difference " + worst + " at " + at + " (" + expected[at] + " vs " + actual[at] + ")");
        }
    }
}
