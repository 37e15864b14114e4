package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * An embedding looks rows up by id and sends each position's gradient back into its id's row, ids
 * that repeat collecting all of theirs, the padding row none; compared with PyTorch's
 * {@code nn.Embedding(padding_idx=...)} on every backend.
 */
class EmbeddingTest {
    private static final float[] IDS = {3, 0, 3, 5, 1, 0, 2, 3};      // two samples of four ids; 0 is padding
    private static final int VOCAB = 6;
    private static final int DIM = 3;

    @OnEveryBackend
    void looksUpRowsAndGathersGradientsAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Embedding e = new Embedding(VOCAB, DIM, 0);
        e.build(be, Shape.of(4), 7);
        float[] w = e.parameters().get(0).value().toArray();
        assertArrayEquals(new float[DIM], Arrays.copyOfRange(w, 0, DIM), "the padding row starts at zero");

        Tensor y = e.forward(be.tensor(IDS, 2, 4), true);
        assertArrayEquals(new int[] {2, 4, DIM}, y.shape().dims());
        float[] out = y.toArray();
        for (int p = 0; p < IDS.length; p++) {
            int id = (int) IDS[p];
            assertArrayEquals(Arrays.copyOfRange(w, id * DIM, id * DIM + DIM), Arrays.copyOfRange(out, p * DIM, p * DIM + DIM),
                    "position " + p);
        }
        float[] g = new float[IDS.length * DIM];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.sin(1.3 * i + 0.2);
        }
        e.backward(be.tensor(g, 2, 4, DIM));
        float[] grad = e.parameters().get(0).grad().toArray();

        String code = String.format(Locale.ROOT, """
                import torch
                e = torch.nn.Embedding(%d, %d, padding_idx=0)
                ids = torch.tensor([%s]).long().reshape(2, 4)
                y = e(ids)
                (y * torch.tensor([%s]).reshape(y.shape)).sum().backward()
                print(' '.join(repr(v) for v in e.weight.grad.reshape(-1).tolist()))
                """, VOCAB, DIM, list(IDS), list(g));
        String[] lines = PyTorch.runCode(code).strip().split("\\n");
        String[] parts = lines[lines.length - 1].trim().split(" ");
        for (int i = 0; i < parts.length; i++) {
            assertEquals(Double.parseDouble(parts[i]), grad[i], 1e-6, backend + ": weight gradient " + i);
        }
        assertTrue(grad[3 * DIM] != 0, "id 3 occurs three times and collects all three gradients");
        assertArrayEquals(new float[DIM], Arrays.copyOfRange(grad, 4 * DIM, 5 * DIM), "id 4 does not occur");
    }

    @OnEveryBackend
    void anIdOutsideTheVocabularyIsRefusedNamingItsPlace(String backend) {
        Backend be = EveryBackend.get(backend);
        Embedding e = new Embedding(VOCAB, DIM);
        e.build(be, Shape.of(4), 7);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> e.forward(be.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 2}, 2, 4), false));
        assertEquals("embedding: sample 1, position 1 holds 6.0, which is not a token id in [0, 6); make the vocabulary"
                + " at least 7 or fix the data", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.forward(be.tensor(new float[] {1, 2.5f, 3, 4}, 1, 4), false));
    }

    private static String list(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f);
        }
        return sb.toString();
    }
}
