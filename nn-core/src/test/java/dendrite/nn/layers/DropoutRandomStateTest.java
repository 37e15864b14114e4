package dendrite.nn.layers;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Dropout's seed and pass counter are its whole random stream: restoring them continues its masks. */
class DropoutRandomStateTest {
    private final Backend be = TestBackend.get();

    @Test
    void aDropoutGivenAnothersStateDrawsItsNextMask() {
        Dropout a = new Dropout(0.5);
        a.build(be, Shape.of(64), 1);
        Dropout b = new Dropout(0.5);
        b.build(be, Shape.of(64), 2);
        try (Tensor x = be.full(1f, 4, 64)) {
            a.forward(x, true);
            Map<String, Long> afterOne = a.randomState();
            assertEquals(1L, afterOne.get("passes"));
            float[] secondOfA = a.forward(x, true).toArray();

            assertFalse(java.util.Arrays.equals(secondOfA, b.forward(x, true).toArray()), "another stream");
            b.restoreRandomState(afterOne);
            assertArrayEquals(secondOfA, b.forward(x, true).toArray());
        }
    }

    @Test
    void evaluationPassesDoNotMoveTheCounter() {
        Dropout d = new Dropout(0.5);
        d.build(be, Shape.of(8), 1);
        try (Tensor x = be.full(1f, 2, 8)) {
            d.forward(x, false);
        }
        assertEquals(0L, d.randomState().get("passes"));
    }

    @Test
    void wrongNamesOrANegativeCounterAreRefused() {
        Dropout d = new Dropout(0.5);
        d.build(be, Shape.of(8), 1);
        Map<String, Long> before = d.randomState();
        assertThrows(IllegalArgumentException.class, () -> d.restoreRandomState(Map.of("passes", 3L)));
        assertThrows(IllegalArgumentException.class, () -> d.restoreRandomState(Map.of("seed", 1L, "passes", -1L)));
        assertEquals(before, d.randomState());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReLU().restoreRandomState(Map.of("seed", 1L)));
        assertTrue(e.getMessage().startsWith("relu: keeps no random state"), e.getMessage());
    }

    @Test
    void aModelNamesItsRandomStateByLayerIndexAndRestoresAllOrNothing() {
        Sequential m = Sequential.builder(4).dense(4).dropout(0.2).relu().dropout(0.1).build(be, 3);
        Map<String, Long> state = m.randomState();
        assertEquals(java.util.List.of("1.seed", "1.passes", "3.seed", "3.passes"), java.util.List.copyOf(state.keySet()));

        Map<String, Long> bad = new java.util.LinkedHashMap<>(state);
        bad.put("1.passes", 5L);
        bad.put("3.passes", -1L);                  // the second layer refuses after the first took its value
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.restoreRandomState(bad));
        assertTrue(e.getMessage().startsWith("restoreRandomState: dropout: random state passes -1"), e.getMessage());
        assertEquals(state, m.randomState(), "the first layer is rolled back");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> m.restoreRandomState(Map.of("1.seed", 1L, "1.passes", 0L, "5.seed", 2L)));
        assertEquals("restoreRandomState: missing [3.passes, 3.seed]; unexpected [5.seed]", missing.getMessage());
    }
}
