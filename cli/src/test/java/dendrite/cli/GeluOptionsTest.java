package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.layers.GELU;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --activation gelu} and the {@code gelu} layer of {@code --model} are the exact GELU, as
 * PyTorch's {@code nn.GELU()}; {@code gelu-tanh} is its tanh approximation.
 */
class GeluOptionsTest {
    private static final Backend BE = Backends.get("scalar");

    private static GELU.Approximate form(Sequential m, int layer) {
        return ((GELU) m.layer(layer)).approximate();
    }

    @Test
    void activationGeluIsExactAndGeluTanhTheApproximation() {
        Sequential exact = ModelOptions.build(new int[] {2}, new int[] {4}, "gelu", 2, BE, 1);
        assertEquals(GELU.Approximate.NONE, form(exact, 1));
        Sequential tanh = ModelOptions.build(new int[] {2}, new int[] {4}, "gelu-tanh", 2, BE, 1);
        assertEquals(GELU.Approximate.TANH, form(tanh, 1));
        assertEquals("gelu-tanh", ModelOptions.checkActivation("GELU_TANH"));
    }

    @Test
    void anUnknownActivationListsBothGelus() {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelOptions.checkActivation("swiglu"));
        assertTrue(e.getMessage().contains("gelu, gelu-tanh"), e.getMessage());
    }

    @Test
    void theModelSpecHasBothGelus() {
        Sequential m = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, gelu, dense 4, gelu-tanh"), 2, BE, 1);
        assertEquals(List.of(GELU.Approximate.NONE, GELU.Approximate.TANH), List.of(form(m, 1), form(m, 3)));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, gelu-tanh 2"));
        assertTrue(e.getMessage().contains("one word too many"), e.getMessage());
        BadInputException typo = assertThrows(BadInputException.class, () -> ModelSpec.parse("gelu-tahn"));
        assertTrue(typo.getMessage().contains("did you mean 'gelu-tanh'?"), typo.getMessage());
    }
}
