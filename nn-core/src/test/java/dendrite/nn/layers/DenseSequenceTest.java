package dendrite.nn.layers;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.diag.GradientChecker;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dense on {@code [time, features]} samples: the same weights on every step, as PyTorch's nn.Linear. */
class DenseSequenceTest {

    @OnEveryBackend
    void backwardOnSequencesMatchesFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        GradientChecker.Report plain = new GradientChecker().checkLayer(new Dense(-1, 5), be, Shape.of(3, 4), 2, true);
        assertTrue(plain.passed(2e-3), be.name() + ": " + plain);
        GradientChecker.Report fused = new GradientChecker().checkLayer(
                new Dense(-1, 5, true, null, dendrite.tensor.op.Activation.TANH), be, Shape.of(3, 4), 2, true);
        assertTrue(fused.passed(2e-3), be.name() + ": " + fused);
    }

    @Test
    void eachStepIsTheDenseOfThatStep() {
        Backend be = TestBackend.get();
        Sequential steps = Sequential.builder(3, 4).dense(2).build(be, 7);
        Sequential rows = Sequential.builder(4).dense(2).build(be, 7);
        assertEquals("[3, 2]", steps.outputShape().toString());
        float[] x = new float[2 * 3 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 % 11) / 5f - 1;
        }
        assertArrayEquals(rows.predict(x, 6), steps.predict(x, 2));
    }

    @Test
    void imagesAreStillRefusedWithTheFlattenHint() {
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> new Dense(-1, 5).outputShape(Shape.of(1, 4, 4)));
        assertTrue(e.getMessage().endsWith("likely fix: add flatten() before this layer"), e.getMessage());
    }
}
