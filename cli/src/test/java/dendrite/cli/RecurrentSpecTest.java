package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.layers.RecurrentStack;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Test;

/** {@code --model "lstm N layers K dropout P"}: a stack with dropout between its layers, as PyTorch's {@code dropout}. */
class RecurrentSpecTest {
    private static final Backend BE = Backends.get("scalar");

    @Test
    void dropoutBetweenStackedLayers() {
        Sequential m = ModelOptions.build(new int[] {6, 3}, ModelSpec.parse("gru 8 layers 3 dropout 0.2"), 2, BE, 1);
        RecurrentStack stack = (RecurrentStack) m.layer(0);
        assertEquals(0.2, stack.dropoutProbability(), 1e-7);
        assertEquals("GRU(8, layers 3, dropout 0.2)", stack.toString());
    }

    @Test
    void dropoutWithoutAStackOrOutOfRangeIsRefusedAtOnce() {
        BadInputException one = assertThrows(BadInputException.class, () -> ModelSpec.parse("lstm 8 dropout 0.3"));
        assertTrue(one.getMessage().contains("dropout 0.3 acts between stacked layers, so it needs at least 2 layers"),
                one.getMessage());
        BadInputException range = assertThrows(BadInputException.class, () -> ModelSpec.parse("lstm 8 layers 2 dropout 1.5"));
        assertTrue(range.getMessage().contains("dropout must be in [0, 1), got 1.5"), range.getMessage());
        BadInputException unknown = assertThrows(BadInputException.class, () -> ModelSpec.parse("lstm 8 drop 0.3"));
        assertTrue(unknown.getMessage().contains("dropout P (between stacked layers)"), unknown.getMessage());
    }
}
