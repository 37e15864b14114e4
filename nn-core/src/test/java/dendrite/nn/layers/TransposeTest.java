package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.ModelShapeException;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.io.ModelFile;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Transpose}: each sample's two axes swapped, forward and backward, on every backend and for
 * batches of several sizes; the errors; and its job, a text CNN (embedding, transpose, Conv1d) that
 * trains and round-trips through a model file.
 */
class TransposeTest {
    @TempDir
    Path dir;

    @OnEveryBackend
    void eachSampleIsTransposedForwardAndBackward(String backend) {
        Backend be = EveryBackend.get(backend);
        Transpose t = new Transpose();
        t.build(be, Shape.of(3, 5), 1);
        for (int n : new int[] {4, 1, 4, 7}) {            // a smaller batch, then the first again, then a larger
            float[] x = new float[n * 15];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            float[] expected = new float[x.length];
            for (int s = 0; s < n; s++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 5; c++) {
                        expected[s * 15 + c * 3 + r] = x[s * 15 + r * 5 + c];
                    }
                }
            }
            try (Tensor xs = be.tensor(x, n, 3, 5)) {
                Tensor y = t.forward(xs, true);
                assertEquals(Shape.of(n, 5, 3), y.shape());
                assertArrayEquals(expected, y.toArray(), backend + ", batch " + n);
            }
            try (Tensor dy = be.tensor(expected, n, 5, 3)) {
                Tensor dx = t.backward(dy);
                assertEquals(Shape.of(n, 3, 5), dx.shape());
                assertArrayEquals(x, dx.toArray(), backend + ", batch " + n + ": backward swaps back");
            }
        }
    }

    @Test
    void aSampleWithoutTwoAxesIsRefusedNamingTheFix() {
        Backend be = TestBackend.get();
        ModelShapeException e = assertThrows(ModelShapeException.class,
                () -> Sequential.builder(12).transpose().build(be, 1));
        assertEquals("layer 0 (transpose): expected input [a, b] (two axes to swap) per sample, got [12]; likely"
                + " fix: a flat sample has one axis: reshape it first, or drop the transpose", e.getMessage());
        Transpose t = new Transpose();
        t.build(be, Shape.of(3, 5), 1);
        try (Tensor x = be.zeros(2, 5, 3)) {
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> t.forward(x, false));
            assertEquals("transpose forward: input [2, 5, 3] is not a batch of [3, 5] samples, the shape it was"
                    + " built for", f.getMessage());
        }
    }

    /** Token sequences whose class is which of four tokens they hold most: an embedding, then Conv1d over time. */
    @Test
    void aTextCnnTrainsAndRoundTripsThroughAModelFile() throws IOException {
        Backend be = TestBackend.get();
        int n = 32;
        int steps = 12;
        float[] x = new float[n * steps];
        float[] labels = new float[n];
        java.util.Random r = new java.util.Random(5);
        for (int s = 0; s < n; s++) {
            int cls = s % 4;
            labels[s] = cls;
            for (int t = 0; t < steps; t++) {
                x[s * steps + t] = t % 3 == 0 ? cls : 4 + r.nextInt(6);
            }
        }
        Sequential model = Sequential.builder(steps).embedding(10, 8).transpose().conv1d(16, 3).silu()
                .maxPool1d(2).flatten().dense(4).build(be, 3);
        assertEquals(List.of(Shape.of(12, 8), Shape.of(8, 12), Shape.of(16, 10)),
                List.of(model.outputShape(0), model.outputShape(1), model.outputShape(2)));
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).build();
        float first;
        float last;
        try (Tensor xs = be.tensor(x, n, steps); Tensor ys = be.tensor(labels, n)) {
            first = trainer.step(xs, ys);
            last = first;
            for (int i = 0; i < 40; i++) {
                last = trainer.step(xs, ys);
            }
        }
        assertTrue(last < 0.2 * first, "loss from " + first + " to " + last);
        Path f = dir.resolve("textcnn.safetensors");
        ModelFile.save(model, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals("transpose", loaded.layer(1).type());
        assertArrayEquals(model.predict(x, n), loaded.predict(x, n), "bit-identical on one backend");
        assertArrayEquals(model.predict(x, n), loaded.predictor().predict(x, n), "a predictor's copy too");
    }
}
