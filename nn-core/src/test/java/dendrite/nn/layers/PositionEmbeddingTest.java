package dendrite.nn.layers;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.diag.GradientChecker;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Position vectors added to each step: learned (a trained table) or Vaswani et al.'s sinusoids. */
class PositionEmbeddingTest {

    @OnEveryBackend
    void learnedPositionsBackwardMatchesFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        GradientChecker.Report r = new GradientChecker().checkLayer(
                new PositionEmbedding(6, PositionEmbedding.Kind.LEARNED), be, Shape.of(4, 3), 3, true);
        assertEquals(List.of("input", "weight"), List.copyOf(r.maxRelativeError().keySet()));
        assertTrue(r.passed(2e-3), be.name() + ": " + r);
    }

    @Test
    void sinusoidsAreVaswanisTable() {
        float[] p = PositionEmbedding.sinusoids(3, 4);
        // t = 2: sin(2), cos(2), sin(2 / 100), cos(2 / 100)
        assertArrayEquals(new float[] {(float) Math.sin(2), (float) Math.cos(2), (float) Math.sin(0.02),
            (float) Math.cos(0.02)}, java.util.Arrays.copyOfRange(p, 8, 12), 1e-7f);
        Backend be = TestBackend.get();
        Sequential m = Sequential.builder(3, 4).add(new PositionEmbedding(10, PositionEmbedding.Kind.SINUSOIDAL))
                .build(be, 1);
        float[] x = new float[24];
        float[] y = m.predict(x, 2);
        assertArrayEquals(p, java.util.Arrays.copyOfRange(y, 12, 24));
        assertTrue(m.stateDict().isEmpty(), "nothing to save");
    }

    @Test
    void theArchitectureRoundTripsAndBadShapesAreRefused() {
        PositionEmbedding learned = new PositionEmbedding(8, PositionEmbedding.Kind.LEARNED);
        Layer back = LayerRegistry.create(learned.type(), learned.config());
        assertEquals(learned.config(), back.config());
        LayerShapeException e = assertThrows(LayerShapeException.class, () -> learned.outputShape(Shape.of(9, 4)));
        assertTrue(e.getMessage().contains("make max_length at least 9"), e.getMessage());
        assertThrows(LayerShapeException.class,
                () -> new PositionEmbedding(8, PositionEmbedding.Kind.SINUSOIDAL).outputShape(Shape.of(4, 5)));
        Sequential m = Sequential.builder(5, 4).add(learned).build(TestBackend.get(), 3);
        assertEquals("[8, 4]", m.stateDict().get("0.weight").shape().toString());
    }

    @OnEveryBackend
    void theMeanOverTimeBackwardMatchesFiniteDifferences(String backend) {
        Backend be = EveryBackend.get(backend);
        GradientChecker.Report r = new GradientChecker().checkLayer(new GlobalAvgPool1d(), be, Shape.of(4, 3), 3, true);
        assertTrue(r.passed(2e-3), be.name() + ": " + r);
        Sequential m = Sequential.builder(2, 3).add(new GlobalAvgPool1d()).build(be, 1);
        assertArrayEquals(new float[] {2, 3, 4, -1, 0, 1}, m.predict(new float[] {1, 2, 3, 3, 4, 5, -2, -1, 0, 0, 1, 2}, 2));
    }
}
