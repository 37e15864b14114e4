package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's architecture is only text in its header: loading compares the shapes it declares
 * with the tensors the file holds before building (allocating) anything.
 */
class ModelFileAllocationTest {
    private static final Backend BE = Backends.get("scalar");
    /** Builds of {@link CountingLayer}: the proof that a refused file allocated nothing. */
    private static final AtomicInteger BUILDS = new AtomicInteger();

    static {
        LayerRegistry.register("test_counting", c -> new CountingLayer(true));
        LayerRegistry.register("test_counting_undeclared", c -> new CountingLayer(false));
    }

    @TempDir
    Path dir;

    /** A file whose header's architecture is {@code architecture}, holding {@code tensors}. */
    private Path file(String architecture, NamedTensor... tensors) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(ModelFile.ARCHITECTURE_KEY, architecture);
        meta.put(ModelFile.VERSION_KEY, "1");
        meta.put(ModelFile.KIND_KEY, ModelFile.KIND_MODEL);
        List<SafeTensors.Entry> entries = new ArrayList<>();
        for (NamedTensor t : tensors) {
            entries.add(SafeTensors.Entry.of(t));
        }
        Path f = dir.resolve("crafted.safetensors");
        SafeTensors.write(f, entries, meta);
        return f;
    }

    private static String dense(int in, int units) {
        return "{\"input_shape\": [" + in + "], \"layers\": [{\"type\": \"dense\", \"config\": {\"in_features\": " + in
                + ", \"units\": " + units + ", \"use_bias\": true}}]}";
    }

    @Test
    void aFileClaimingATerabyteDenseLayerIsRefusedFastWithBothSizes() throws IOException {
        Path f = file(dense(1 << 20, 1 << 20), NamedTensor.f32("0.weight", new int[] {2, 2}, new float[4]),
                NamedTensor.f32("0.bias", new int[] {2}, new float[2]));
        ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE)));
        assertEquals(f + ": the architecture declares 1,099,512,676,352 weight values (4.0 TiB as float32) but the"
                + " file holds only 6; refused before allocating anything", e.getMessage());
    }

    /** 20000 x 20000 floats (1.5 GiB) fit a tensor, so without the check load would try to allocate them. */
    @Test
    void aLayerThatWouldFitATensorButNotTheFileIsRefusedBeforeItIsAllocated() throws IOException {
        Path f = file(dense(20_000, 20_000), NamedTensor.f32("0.weight", new int[] {1, 1}, new float[1]),
                NamedTensor.f32("0.bias", new int[] {1}, new float[1]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertTrue(e.getMessage().contains("declares 400,020,000 weight values (1.5 GiB as float32) but the file"
                + " holds only 2"), e.getMessage());
    }

    @Test
    void aShapeMismatchIsFoundBeforeAnyLayerIsBuilt() throws IOException {
        int before = BUILDS.get();
        Path f = file("{\"input_shape\": [3], \"layers\": [{\"type\": \"test_counting\"}]}",
                NamedTensor.f32("0.weight", new int[] {3}, new float[3]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertEquals(f + ": tensor \"0.weight\": shape [3] in the file does not fit the architecture, which needs [2]",
                e.getMessage());
        assertEquals(before, BUILDS.get(), "nothing was built");
    }

    @Test
    void aLayerThatDeclaresNoShapesIsStillCheckedAfterBuilding() throws IOException {
        Path f = file("{\"input_shape\": [3], \"layers\": [{\"type\": \"test_counting_undeclared\"}]}",
                NamedTensor.f32("0.weight", new int[] {3}, new float[3]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, BE));
        assertEquals(f + ": tensor \"0.weight\": shape [3] in the file does not fit the architecture, which needs [2]",
                e.getMessage());

        Path good = file("{\"input_shape\": [3], \"layers\": [{\"type\": \"test_counting_undeclared\"}]}",
                NamedTensor.f32("0.weight", new int[] {2}, new float[] {4f, 5f}));
        Sequential m = ModelFile.load(good, BE);
        assertEquals(List.of(4f, 5f), List.of(m.stateDict().get("0.weight").toArray()[0],
                m.stateDict().get("0.weight").toArray()[1]));
    }

    @Test
    void theDeclaredShapesOfTheBuiltInLayersAreTheShapesTheyAllocate() {
        Sequential.Builder b = Sequential.builder(1, 4, 3).flatten().dense(8).batchNorm().relu().dropout(0.2)
                .dense(6).gelu().reshape(2, 3).flatten().leakyRelu().dense(2, dendrite.tensor.op.Activation.TANH)
                .sigmoid().softmax();
        Map<String, int[]> declared = b.stateShapes().orElseThrow();
        Sequential built = b.build(BE, 1);
        Map<String, Tensor> state = built.stateDict();
        assertEquals(List.copyOf(state.keySet()), List.copyOf(declared.keySet()));
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            assertEquals(e.getValue().shape(), Shape.of(declared.get(e.getKey())), e.getKey());
        }
    }

    @Test
    void aSavedModelStillLoads() throws IOException {
        Sequential m = Sequential.builder(3).dense(4).batchNorm().relu().dense(2).build(BE, 3);
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(m, f);
        assertFalse(ModelFile.load(f, BE).stateDict().isEmpty());
    }

    /** One parameter {@code weight [2]}; counts its builds; declares its shapes or not. */
    private static final class CountingLayer implements Layer {
        private final boolean declares;
        private Parameter weight;

        CountingLayer(boolean declares) {
            this.declares = declares;
        }

        @Override
        public String type() {
            return declares ? "test_counting" : "test_counting_undeclared";
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public Optional<Map<String, int[]>> stateShapes(Shape in) {
            return declares ? Optional.of(Map.of("weight", new int[] {2})) : Optional.empty();
        }

        @Override
        public void build(Backend backend, Shape in, long seed) {
            BUILDS.incrementAndGet();
            weight = new Parameter("weight", backend, Shape.of(2));
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor d) {
            return d;
        }

        @Override
        public List<Parameter> parameters() {
            return weight == null ? List.of() : List.of(weight);
        }
    }
}
