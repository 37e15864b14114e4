package dendrite.nn.graph;

import dendrite.nn.EveryBackend;
import dendrite.nn.ModelShapeException;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.StateDictLoad;
import dendrite.nn.TestBackend;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.io.ModelFile;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.layers.Tanh;
import dendrite.nn.losses.MeanSquaredError;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer graph: gradients through fan-out and merges, checks at build time, files, reuse and freezing. */
class GraphTest {
    /** As ModelGradientTest's: a whole model's float32 loss, rounded in each backend's own order. */
    private static final double TOLERANCE = 5e-3;

    private static final float[] X = {0.5f, -1f, 0.3f, 0.8f, -0.2f, 0.1f, 1.2f, -0.7f, 0.9f, 0.4f, -0.3f, 0.2f,
        -0.6f, 0.25f, 0.7f, -0.45f, 0.15f, 1.1f};

    /**
     * The input feeds three nodes, {@code t1} feeds two, and add, multiply and concat all appear, so
     * every gradient that reaches the input is a sum over paths.
     */
    static Graph branchy() {
        return Graph.builder()
                .layer("d1", new Dense(5), "input")
                .layer("t1", new Tanh(), "d1")
                .layer("d2", new Dense(5), "input")
                .layer("s", new Sigmoid(), "d2")
                .multiply("gate", "t1", "s")
                .layer("d3", new Dense(5), "gate")
                .add("sum", "d3", "t1")
                .concat("joined", 0, "sum", "input")
                .layer("out", new Dense(3), "joined")
                .build();
    }

    @OnEveryBackend
    void gradientsThroughFanOutAndEveryMergeMatchFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = Sequential.builder(6).add(branchy()).build(be, 5);
        Tensor x = be.tensor(X, 3, 6);
        Tensor labels = be.tensor(new float[] {0, 2, 1}, 3);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x, labels, true);
        assertEquals(List.of("input", "0.d1.weight", "0.d1.bias", "0.d2.weight", "0.d2.bias", "0.d3.weight",
                "0.d3.bias", "0.out.weight", "0.out.bias"), List.copyOf(r.maxRelativeError().keySet()));
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }

    @OnEveryBackend
    void imagesConcatenatedAlongChannelsAndAResidualConvolutionMatchFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        Graph g = Graph.builder()
                .layer("conv", new Conv2d(2, 2, 3, 3, 1, 1, 1, 1, false, 1, 1, 1, true, null), "input")
                .layer("relu", new ReLU(), "conv")
                .add("residual", "relu", "input")
                .concat("channels", 0, "residual", "input")
                .layer("flat", new Flatten(), "channels")
                .layer("out", new Dense(3), "flat")
                .build();
        Sequential model = Sequential.builder(2, 3, 3).add(g).build(be, 11);
        assertEquals("[4, 3, 3]", g.shapeOf("channels").toString());
        Tensor x = be.tensor(X, 1, 2, 3, 3);
        Tensor labels = be.tensor(new float[] {1}, 1);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x, labels, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }

    /** A residual block with a projection shortcut (channels 2 -> 3, stride 2) and batch norm in training mode. */
    @OnEveryBackend
    void aResidualBlockWithAProjectionMatchesFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        Graph block = Blocks.residual(2, 3, 2);
        Sequential model = Sequential.builder(2, 3, 3).add(block).flatten().dense(3).build(be, 13);
        assertEquals("[3, 2, 2]", block.shapeOf("sum").toString());
        assertTrue(block.nodeNames().contains("shortcut_conv"));
        assertFalse(Blocks.residual(3, 3, 1).nodeNames().contains("shortcut_conv"), "identity shortcut");
        float[] values = new float[36];
        for (int i = 0; i < values.length; i++) {
            values[i] = X[i % X.length] * (1 + i / 18);
        }
        Tensor x = be.tensor(values, 2, 2, 3, 3);
        Tensor labels = be.tensor(new float[] {1, 2}, 2);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x, labels, true);
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }

    /** A graph that is a line computes what the Sequential of the same layers computes, bit for bit. */
    @OnEveryBackend
    void aLineGraphEqualsTheSequentialOfItsLayers(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential plain = Sequential.builder(6).dense(4).relu().dense(3).build(be, 1);
        Sequential graph = Sequential.builder(6).add(Graph.builder()
                .layer("fc1", new Dense(4), "input").layer("act", new ReLU(), "fc1").layer("fc2", new Dense(3), "act")
                .build()).build(be, 2);
        Map<String, float[]> renamed = new HashMap<>();
        plain.stateDict().forEach((k, v) -> renamed.put(k.replace("0.", "0.fc1.").replace("2.", "0.fc2."), v.toArray()));
        graph.loadStateDict(renamed);
        Tensor x = be.tensor(X, 3, 6);
        float[] a = plain.forward(x, true).toArray();
        float[] b = graph.forward(x, true).toArray();
        assertArrayEquals(a, b);
        Tensor dOut = be.tensor(new float[] {1, -2, 0.5f, 0.3f, 0.2f, -1, 2, 1, 0}, 3, 3);
        plain.backward(dOut);
        graph.backward(dOut);
        assertArrayEquals(plain.stateDict().get("0.weight").toArray(), graph.stateDict().get("0.fc1.weight").toArray());
        assertArrayEquals(plain.namedParameters().get("0.weight").grad().toArray(),
                graph.namedParameters().get("0.fc1.weight").grad().toArray());
        assertArrayEquals(plain.namedParameters().get("2.bias").grad().toArray(),
                graph.namedParameters().get("0.fc2.bias").grad().toArray());
    }

    @Test
    void badGraphsAreRefusedNamingTheNodes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Graph.builder()
                .layer("a", new Dense(3), "c").layer("b", new ReLU(), "a").add("c", "b", "input").build());
        assertEquals("graph has a cycle: 'a' <- 'c' <- 'b' <- 'a' (each node takes the next one's value)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder().layer("a", new Dense(3), "nope").build());
        assertEquals("graph node 'a': input 'nope' is not a node; nodes: input, a", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder()
                .layer("a", new Dense(3), "input").layer("a", new Dense(3), "input").build());
        assertEquals("graph node name 'a' is used twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder()
                .layer("a", new Dense(3), "input").layer("b", new Dense(3), "input").outputs("b").build());
        assertEquals("graph node 'a' feeds no output, so its layer would never learn: remove it or list it in"
                + " outputs(...)", e.getMessage());
        Dense shared = new Dense(3);
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder()
                .layer("a", shared, "input").layer("b", shared, "a").build());
        assertEquals("graph nodes 'a' and 'b' hold the same layer object; give each node its own layer", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder().add("s", "input").build());
        assertEquals("graph node 's': add joins two or more inputs, got [input]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graph.builder().layer("a.b", new ReLU(), "input"));
        assertTrue(e.getMessage().startsWith("graph node name 'a.b' must be non-empty and without dots"), e.getMessage());
    }

    @Test
    void shapesThatDoNotFitAreRefusedAtBuildNamingBothNodesAndShapes() {
        Graph g = Graph.builder().layer("wide", new Dense(8), "input").layer("narrow", new Dense(4), "input")
                .add("sum", "wide", "narrow").build();
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(6).add(g).build(TestBackend.get(), 1));
        assertTrue(e.getMessage().contains("'narrow' gives [4] but 'wide' gives [8]"), e.getMessage());
        assertTrue(e.getMessage().contains("add node 'sum'"), e.getMessage());
        Graph c = Graph.builder().layer("a", new Dense(8), "input").concat("j", 1, "a", "input").build();
        ModelShapeException e2 = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(6).add(c).build(TestBackend.get(), 1));
        assertTrue(e2.getMessage().contains("axis 1 does not exist in 'a''s [8]"), e2.getMessage());
        Graph d = Graph.builder().layer("conv", new Conv2d(4, 3), "input").build();
        ModelShapeException e3 = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(6).add(d).build(TestBackend.get(), 1));
        assertTrue(e3.getMessage().contains("at graph node 'conv' (conv2d, fed by 'input')"), e3.getMessage());
    }

    @Test
    void aGraphModelRoundTripsThroughItsModelFile(@TempDir Path dir) throws Exception {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(6).add(branchy()).build(be, 9);
        Path file = dir.resolve("graph.safetensors");
        ModelFile.save(model, file);
        Sequential back = ModelFile.load(file, be);
        assertEquals(model.architecture(), back.architecture());
        Tensor x = be.tensor(X, 3, 6);
        assertArrayEquals(model.forward(x, false).toArray(), back.forward(x, false).toArray());
        assertEquals(model.stateDict().keySet(), back.stateDict().keySet());
        assertTrue(back.summary().contains("| gate"), back.summary());
    }

    /** An autoencoder's encoder, taken out after training, gives the codes the whole model computed. */
    @OnEveryBackend
    void aSubgraphSharesTheTrainedWeights(String backend) {
        Backend be = EveryBackend.get(backend);
        Graph autoencoder = Graph.builder()
                .layer("enc", new Dense(3), "input").layer("code", new Tanh(), "enc")
                .layer("dec", new Dense(6), "code").build();
        Sequential model = Sequential.builder(6).add(autoencoder).build(be, 4);
        Tensor x = be.tensor(X, 3, 6);
        MeanSquaredError mse = new MeanSquaredError();
        Sgd sgd = new Sgd(0.1);
        float first = 0;
        float last = 0;
        for (int step = 0; step < 30; step++) {
            Tensor out = model.forward(x, true);
            last = mse.forward(out, x).item();
            first = step == 0 ? last : first;
            model.backward(mse.backward());
            sgd.step(model.namedParameters());
        }
        assertTrue(last < first, "the autoencoder learns: " + first + " -> " + last);
        model.forward(x, false);
        float[] codes = autoencoder.lastValue("code").toArray();
        Sequential encoder = Sequential.builder(6).add(autoencoder.subgraph("input", "code")).build(be, 99);
        assertArrayEquals(codes, encoder.predict(X, 3));
        assertEquals(List.of("0.enc.weight", "0.enc.bias"), List.copyOf(encoder.stateDict().keySet()));
        Sequential decoder = Sequential.builder(3).add(autoencoder.subgraph("code", "dec")).build(be, 99);
        assertArrayEquals(model.predict(X, 3), decoder.predict(codes, 3), 1e-6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> branchyBuilt(be).subgraph("t1", "joined"));
        assertTrue(e.getMessage().contains("also depends on the input 'input'"), e.getMessage());
    }

    private static Graph branchyBuilt(Backend be) {
        Graph g = branchy();
        Sequential.builder(6).add(g).build(be, 1);
        return g;
    }

    @Test
    void frozenParametersKeepTheirValuesAndGetNoOptimizerState() {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(6).add(branchy()).build(be, 3);
        model.freeze("0.d1").freeze("0.out.bias");
        assertEquals(List.of("0.d2.weight", "0.d2.bias", "0.d3.weight", "0.d3.bias", "0.out.weight"),
                List.copyOf(model.namedParameters().keySet()));
        float[] d1 = model.stateDict().get("0.d1.weight").toArray();
        float[] d2 = model.stateDict().get("0.d2.weight").toArray();
        Sgd sgd = new Sgd(0.5);
        Tensor x = be.tensor(X, 3, 6);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(model.forward(x, true), be.tensor(new float[] {0, 1, 2}, 3));
        model.backward(loss.backward());
        sgd.step(model.namedParameters());
        assertArrayEquals(d1, model.stateDict().get("0.d1.weight").toArray());
        assertFalse(java.util.Arrays.equals(d2, model.stateDict().get("0.d2.weight").toArray()));
        assertFalse(sgd.state().keySet().stream().anyMatch(k -> k.contains("d1") || k.contains("out.bias")),
                sgd.state().keySet().toString());
        model.unfreeze("0.d1");
        assertEquals(List.of("0.d1.weight", "0.d1.bias"), List.copyOf(model.namedParameters().keySet()).subList(0, 2));
        assertEquals(java.util.Set.of("0.out.bias"), model.frozenParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.freeze("0.d"));
        assertTrue(e.getMessage().startsWith("freeze: no parameter is named '0.d' or starts with '0.d.'"));
    }

    /**
     * A frozen backbone (every parameter of the leading layers frozen) is not run backward: its
     * gradients are never computed, and the head's are those of the same model unfrozen.
     */
    @OnEveryBackend
    void backwardStopsAtTheFirstLayerWithATrainableParameter(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential frozen = Sequential.builder(6).dense(8).relu().dense(5).tanh().dense(3).build(be, 12);
        Sequential open = Sequential.builder(6).dense(8).relu().dense(5).tanh().dense(3).build(be, 12);
        frozen.freeze("0").freeze("2");
        Tensor x = be.tensor(X, 3, 6);
        Tensor y = be.tensor(new float[] {0, 1, 2}, 3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(frozen.forward(x, true), y);
        assertEquals(null, frozen.backward(loss.backward()));
        loss.forward(open.forward(x, true), y);
        open.backward(loss.backward());
        for (int layer : new int[] {0, 2}) {
            for (dendrite.nn.layers.Parameter p : frozen.layer(layer).parameters()) {
                float[] g = p.grad().toArray();
                assertArrayEquals(new float[g.length], g, layer + "." + p.name() + " of the frozen backbone got a gradient");
            }
        }
        assertArrayEquals(open.namedParameters().get("4.weight").grad().toArray(),
                frozen.namedParameters().get("4.weight").grad().toArray());
        frozen.unfreeze("2");
        loss.forward(frozen.forward(x, true), y);
        frozen.backward(loss.backward());
        assertArrayEquals(open.namedParameters().get("2.weight").grad().toArray(),
                frozen.namedParameters().get("2.weight").grad().toArray());
        float[] g0 = frozen.layer(0).parameters().get(0).grad().toArray();
        assertArrayEquals(new float[g0.length], g0, "layer 0 is still frozen");
    }

    /**
     * A frozen layer in the middle still passes the gradient down, unchanged, but its own weights get
     * none: in a Sequential and, through the graph's names for them, inside a graph.
     */
    @OnEveryBackend
    void aFrozenLayerInTheMiddlePassesTheGradientButGetsNone(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential frozen = Sequential.builder(6).dense(8).relu().add(branchy()).build(be, 12);
        Sequential open = Sequential.builder(6).dense(8).relu().add(branchy()).build(be, 12);
        frozen.freeze("2.d3").freeze("2.out.weight");
        Tensor x = be.tensor(X, 3, 6);
        Tensor y = be.tensor(new float[] {0, 1, 2}, 3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(frozen.forward(x, true), y);
        frozen.backward(loss.backward());
        loss.forward(open.forward(x, true), y);
        open.backward(loss.backward());
        for (String name : List.of("0.weight", "2.d1.weight", "2.d2.bias", "2.out.bias")) {
            assertArrayEquals(open.namedParameters().get(name).grad().toArray(),
                    frozen.namedParameters().get(name).grad().toArray(), name);
        }
        Graph g = (Graph) frozen.layer(2);
        for (dendrite.nn.layers.Parameter p : g.parameters()) {
            if (p.name().startsWith("d3.") || p.name().equals("out.weight")) {
                assertFalse(p.requiresGrad(), p.name());
                float[] grad = p.grad().toArray();
                assertArrayEquals(new float[grad.length], grad, p.name() + " is frozen but got a gradient");
            }
        }
        frozen.unfreeze("2.d3");
        assertTrue(g.parameters().stream().filter(p -> p.name().startsWith("d3.")).allMatch(
                dendrite.nn.layers.Parameter::requiresGrad));
    }

    @Test
    void partOfAModelLoadsFromAnotherByName() {
        Backend be = TestBackend.get();
        Sequential source = Sequential.builder(6).add(branchy()).build(be, 3);
        Sequential target = Sequential.builder(6).add(Graph.builder()
                .layer("d1", new Dense(5), "input").layer("t1", new Tanh(), "d1").layer("head", new Dense(2), "t1")
                .build()).build(be, 4);
        Map<String, float[]> values = new HashMap<>();
        source.stateDict().forEach((k, v) -> values.put(k, v.toArray()));
        float[] head = target.stateDict().get("0.head.weight").toArray();
        StateDictLoad r = target.loadStateDict(values, false);
        assertEquals(List.of("0.d1.weight", "0.d1.bias"), r.loaded());
        assertEquals(List.of("0.head.weight", "0.head.bias"), r.missing());
        assertTrue(r.unexpected().contains("0.out.weight"), r.unexpected().toString());
        assertArrayEquals(values.get("0.d1.weight"), target.stateDict().get("0.d1.weight").toArray());
        assertArrayEquals(head, target.stateDict().get("0.head.weight").toArray());
        values.put("0.d1.bias", new float[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(values, false));
        assertTrue(e.getMessage().contains("0.d1.bias has 2 values"), e.getMessage());
    }

    /** Predictions from several threads run on replicas of the graph and agree with one thread's. */
    @Test
    void concurrentPredictionsAgree() throws Exception {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(6).add(branchy()).build(be, 3);
        float[] expected = model.predict(X, 3);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> model.predict(X, 3)));
            }
            for (java.util.concurrent.Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertNotEquals(0f, expected[0]);
    }

    /** An image input and a metadata input: a convolution reads one, a dense layer the other, then they join. */
    static Graph twoInputs() {
        return Graph.builder()
                .input("image", 1, 3, 3)
                .input("meta", 2)
                .layer("conv", new Conv2d(1, 2, 2, 2, 1, 1, 0, 0, false, 1, 1, 1, true, null), "image")
                .layer("flat", new Flatten(), "conv")
                .layer("m", new Dense(3), "meta")
                .layer("m_act", new Tanh(), "m")
                .concat("joined", 0, "flat", "m_act")
                .layer("out", new Dense(3), "joined")
                .build();
    }

    @OnEveryBackend
    void twoNamedInputsMatchFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = Sequential.builder(11).add(twoInputs()).build(be, 21);
        Tensor x = be.tensor(java.util.Arrays.copyOf(X, 22), 2, 11);
        Tensor labels = be.tensor(new float[] {2, 0}, 2);
        GradientChecker.Report r = new GradientChecker().checkModel(model, new SoftmaxCrossEntropy(), x, labels, true);
        assertTrue(r.maxRelativeError().containsKey("input"), r.toString());
        assertTrue(r.passed(TOLERANCE), be.name() + ": " + r);
    }

    /** Each named input reads its own block: the image branch never sees the metadata, nor the other way round. */
    @Test
    void eachNamedInputReadsItsOwnBlock() {
        Backend be = TestBackend.get();
        Graph g = twoInputs();
        Sequential model = Sequential.builder(11).add(g).build(be, 4);
        assertEquals("[1, 3, 3]", g.shapeOf("image").toString());
        assertEquals("[2]", g.shapeOf("meta").toString());
        float[] image = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
        float[] meta = {-1f, 2f};
        float[] joined = Graph.sideBySide(1, image, meta);
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, -1f, 2f}, joined);
        float[] base = model.predict(joined, 1);
        Sequential metaBlock = Sequential.builder(11).add(new dendrite.nn.layers.Columns(9, 11, 2)).build(be, 1);
        assertArrayEquals(meta, metaBlock.predict(joined, 1));
        Sequential imageBlock = Sequential.builder(11).add(new dendrite.nn.layers.Columns(0, 11, 1, 3, 3)).build(be, 1);
        assertArrayEquals(image, imageBlock.predict(joined, 1));
        // The output's dependence on each block: change one value of a block, and only paths from it move.
        Sequential imageOnly = Sequential.builder(1, 3, 3).add(Graph.builder()
                .layer("conv", new Conv2d(1, 2, 2, 2, 1, 1, 0, 0, false, 1, 1, 1, true, null), "input")
                .layer("flat", new Flatten(), "conv").build()).build(be, 4);
        Map<String, float[]> convWeights = new HashMap<>();
        convWeights.put("0.conv.weight", model.stateDict().get("0.conv.weight").toArray());
        convWeights.put("0.conv.bias", model.stateDict().get("0.conv.bias").toArray());
        imageOnly.loadStateDict(convWeights);
        Graph conv = g.subgraph("image", "flat");
        Sequential viaSubgraph = Sequential.builder(1, 3, 3).add(conv).build(be, 4);
        assertArrayEquals(imageOnly.predict(image, 1), viaSubgraph.predict(image, 1));
        float[] moved = joined.clone();
        moved[9] = 3f;
        assertNotEquals(base[0], model.predict(moved, 1)[0]);
    }

    @Test
    void namedInputsThatDoNotFitAreRefused() {
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(12).add(twoInputs()).build(TestBackend.get(), 1));
        assertTrue(e.getMessage().contains("a sample of 11 values"), e.getMessage());
        assertTrue(e.getMessage().contains("[12]"), e.getMessage());
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class, () -> Graph.builder()
                .input("a", 2).input("b", 3).layer("d", new Dense(2), "a").build());
        assertEquals("graph input 'b' feeds no output: use it or remove it", unused.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> Graph.builder().input("input", 2));
        assertTrue(clash.getMessage().contains("already called 'input'"), clash.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Graph.sideBySide(2, new float[4], new float[3]));
        assertEquals("sideBySide: input 1 has 3 values, not a multiple of 2 samples", ragged.getMessage());
    }

    @Test
    void aModelWithNamedInputsRoundTripsThroughItsModelFile(@TempDir Path dir) throws Exception {
        Backend be = TestBackend.get();
        Sequential model = Sequential.builder(11).add(twoInputs()).build(be, 8);
        Path file = dir.resolve("two-inputs.safetensors");
        ModelFile.save(model, file);
        Sequential back = ModelFile.load(file, be);
        assertEquals(model.architecture(), back.architecture());
        float[] x = java.util.Arrays.copyOf(X, 11);
        assertArrayEquals(model.predict(x, 1), back.predict(x, 1));
        assertTrue(back.summary().contains("| meta"), back.summary());
    }
}
