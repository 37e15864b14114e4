package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.NamedTensor;
import dendrite.nn.io.SafeTensors;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.op.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GELU}'s two forms: exact by default, as PyTorch's {@code nn.GELU()}; the form recorded in
 * the layer's config as PyTorch's {@code approximate} and read back from a model file; a file from
 * before the exact form, whose gelu config has no {@code approximate}, loads as the tanh form it was
 * trained with.
 */
class GeluConfigTest {
    private static final Backend BE = Backends.get("scalar");

    @TempDir
    Path dir;

    @Test
    void theDefaultIsExactAsInPyTorch() {
        GELU g = new GELU();
        assertEquals(GELU.Approximate.NONE, g.approximate());
        assertEquals(Activation.GELU, g.activation());
        assertEquals("gelu", g.type());
        assertEquals(Map.of("approximate", "none"), g.config());
        assertEquals("GELU()", g.toString());
        GELU t = new GELU(GELU.Approximate.TANH);
        assertEquals(Activation.GELU_TANH, t.activation());
        assertEquals("gelu", t.type());
        assertEquals(Map.of("approximate", "tanh"), t.config());
        assertEquals("GELU(approximate='tanh')", t.toString());
    }

    @Test
    void bothFormsRoundTripThroughTheRegistry() {
        for (GELU.Approximate form : GELU.Approximate.values()) {
            GELU g = new GELU(form);
            GELU copy = (GELU) LayerRegistry.create(g.type(), g.config());
            assertEquals(form, copy.approximate());
        }
        assertEquals(GELU.Approximate.TANH,
                ((GELU) LayerRegistry.create("gelu", Map.of("approximate", "TANH"))).approximate());
    }

    @Test
    void aConfigWithoutApproximateIsTheTanhFormOfOlderFiles() {
        assertEquals(GELU.Approximate.TANH, ((GELU) LayerRegistry.create("gelu", Map.of())).approximate());
        assertEquals(GELU.Approximate.TANH, ((GELU) LayerRegistry.create("gelu", null)).approximate());
    }

    @Test
    void anUnknownFormIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.create("gelu", Map.of("approximate", "sigmoid")));
        assertEquals("gelu: 'approximate' must be \"none\" or \"tanh\", not \"sigmoid\"", e.getMessage());
    }

    @Test
    void aMissingFormIsRefusedNamingTheArgument() {
        IllegalArgumentException of = assertThrows(IllegalArgumentException.class, () -> GELU.Approximate.of(null));
        assertEquals("gelu: 'approximate' must be \"none\" or \"tanh\", not null", of.getMessage());
        IllegalArgumentException made = assertThrows(IllegalArgumentException.class, () -> new GELU(null));
        assertEquals("gelu: approximate is null; GELU.Approximate.NONE is the exact form", made.getMessage());
    }

    @Test
    void theBuilderAddsEitherForm() {
        Sequential m = Sequential.builder(3).gelu().gelu(GELU.Approximate.TANH)
                .activation(Activation.GELU).activation(Activation.GELU_TANH).build(BE, 1);
        assertEquals(List.of(GELU.Approximate.NONE, GELU.Approximate.TANH, GELU.Approximate.NONE,
                GELU.Approximate.TANH), List.of(((GELU) m.layer(0)).approximate(), ((GELU) m.layer(1)).approximate(),
                ((GELU) m.layer(2)).approximate(), ((GELU) m.layer(3)).approximate()));
    }

    @Test
    void aModelFileRecordsEachFormAndLoadsIt() throws IOException {
        Sequential m = Sequential.builder(3).dense(4).gelu().dense(4).gelu(GELU.Approximate.TANH).dense(2)
                .build(BE, 7);
        Path f = dir.resolve("gelus.safetensors");
        ModelFile.save(m, f);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ModelFile.readArchitecture(f).get("layers");
        assertEquals(Map.of("approximate", "none"), layers.get(1).get("config"));
        assertEquals(Map.of("approximate", "tanh"), layers.get(3).get("config"));
        Sequential loaded = ModelFile.load(f, BE);
        assertEquals(GELU.Approximate.NONE, ((GELU) loaded.layer(1)).approximate());
        assertEquals(GELU.Approximate.TANH, ((GELU) loaded.layer(3)).approximate());
        float[] x = {-2.5f, 0.3f, 1.7f, 0.9f, -0.4f, -3f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));
    }

    /**
     * The architecture as Dendrite wrote it before the exact form: {@code "config": {}} for gelu.
     * One dense layer of weights 1 and biases 0, so the output is the activation of the input's sum.
     */
    @Test
    void aModelFileFromBeforeTheExactFormLoadsItsGeluAsTheTanhForm() throws IOException {
        String architecture = "{\"input_shape\": [2], \"layers\": ["
                + "{\"type\": \"dense\", \"config\": {\"in_features\": 2, \"units\": 1, \"use_bias\": true}},"
                + " {\"type\": \"gelu\", \"config\": {}}]}";
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(ModelFile.ARCHITECTURE_KEY, architecture);
        meta.put(ModelFile.VERSION_KEY, "1");
        meta.put(ModelFile.KIND_KEY, ModelFile.KIND_MODEL);
        Path f = dir.resolve("old.safetensors");
        SafeTensors.write(f, List.of(SafeTensors.Entry.of(NamedTensor.f32("0.weight", new int[] {1, 2}, new float[] {1, 1})),
                SafeTensors.Entry.of(NamedTensor.f32("0.bias", new int[] {1}, new float[] {0}))), meta);
        Sequential loaded = ModelFile.load(f, BE);
        assertEquals(GELU.Approximate.TANH, ((GELU) loaded.layer(1)).approximate());
        // gelu_tanh(1) = 0.5 (1 + tanh(0.7978846 * 1.044715)) = 0.8411920; the exact gelu(1) is 0.8413447
        assertEquals(0.841192f, loaded.predict(new float[] {0.25f, 0.75f}, 1)[0], 1e-6f);
    }
}
