package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.layers.LayerNorm;
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
}
