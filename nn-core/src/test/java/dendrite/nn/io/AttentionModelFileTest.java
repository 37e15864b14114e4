package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.MultiheadAttention;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.Backend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers of issue 16's attention blocks are described in a model file well enough to come back
 * as they were: their options, their parameters under PyTorch's names, and the same predictions.
 */
class AttentionModelFileTest {
    @TempDir
    Path dir;

    private static float[] inputs(int n) {
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i) * 2 + (i % 4 == 0 ? 3 : 0);
        }
        return x;
    }

    /** Moves every parameter away from its start, so a parameter lost on the way would show. */
    private static void perturb(Sequential m) {
        int k = 0;
        for (var p : m.namedParameters().values()) {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1f * (float) Math.cos(++k);
            }
            p.value().copyFrom(v);
        }
    }

    @OnEveryBackend
    void layerNormsSaveAndLoadWithTheirOptions(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential m = Sequential.builder(4, 6).add(new LayerNorm()).add(new LayerNorm(6, 1e-3, false)).flatten()
                .dense(3).build(be, 5);
        perturb(m);
        Path file = dir.resolve("norm.safetensors");
        ModelFile.save(m, file);
        Sequential back = ModelFile.load(file, be);
        assertEquals(m.architecture(), back.architecture());
        assertEquals(m.summary(), back.summary());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias"), List.copyOf(back.namedParameters().keySet()),
                "PyTorch's names; the second LayerNorm has no elementwise affine");
        float[] x = inputs(2 * 24);
        assertArrayEquals(m.predict(x, 2), back.predict(x, 2));
    }

    /**
     * A transformer-style block (attention, then a LayerNorm) with a causal, padding-aware attention
     * and one without biases: options, PyTorch's parameter names (out_proj's with its dot, as
     * {@code nn.Sequential}'s state dict writes them) and predictions come back.
     */
    @OnEveryBackend
    void attentionSavesAndLoadsWithItsOptions(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential m = Sequential.builder(4, 6).add(new MultiheadAttention(6, 2, true, true, true)).add(new LayerNorm())
                .add(new MultiheadAttention(6, 3, false, false, false)).flatten().dense(2).build(be, 5);
        perturb(m);
        Path file = dir.resolve("attention.safetensors");
        ModelFile.save(m, file);
        Sequential back = ModelFile.load(file, be);
        assertEquals(m.architecture(), back.architecture());
        assertEquals(m.summary(), back.summary());
        assertEquals(List.of("0.in_proj_weight", "0.in_proj_bias", "0.out_proj.weight", "0.out_proj.bias", "1.weight",
                "1.bias", "2.in_proj_weight", "2.out_proj.weight", "4.weight", "4.bias"),
                List.copyOf(back.namedParameters().keySet()));
        MultiheadAttention first = (MultiheadAttention) back.layer(0);
        assertEquals(true, first.causal() && first.masksZeroSteps(), "causal and mask_zero are in the file");
        float[] x = inputs(3 * 24);
        java.util.Arrays.fill(x, 24 + 12, 48, 0f);                     // the second sample's last two steps: padding
        assertArrayEquals(m.predict(x, 3), back.predict(x, 3));
    }

    /** A copy for predicting on another thread shares the weights and computes what the layer computes. */
    @OnEveryBackend
    void aReplicaPredictsAsTheLayer(String backend) {
        Backend be = EveryBackend.get(backend);
        Shape in = Shape.of(4, 6);
        for (Layer layer : new Layer[] {new MultiheadAttention(6, 2, true, true, true), new LayerNorm()}) {
            layer.build(be, in, 3);
            Layer copy = layer.replicaForInference(be, in).orElseThrow();
            try (Tensor x = be.tensor(inputs(2 * 24), 2, 4, 6)) {
                assertArrayEquals(layer.forward(x, false).toArray(), copy.forward(x, false).toArray(), layer.toString());
            }
            assertEquals(layer.parameters(), copy.parameters(), "the same parameter objects");
        }
    }
}
