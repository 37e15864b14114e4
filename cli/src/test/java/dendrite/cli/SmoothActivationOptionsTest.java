package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.layers.SiLU;
import dendrite.nn.layers.Softplus;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Test;

/**
 * {@code --activation silu} and {@code softplus}, and the {@code silu} and {@code softplus} layers of
 * {@code --model}, add PyTorch's {@code nn.SiLU()} and {@code nn.Softplus()}.
 */
class SmoothActivationOptionsTest {
    private static final Backend BE = Backends.get("scalar");

    @Test
    void activationSiluAddsASiluAfterEachHiddenLayer() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4, 3}, "SiLU", 2, BE, 1);
        assertTrue(m.layer(1) instanceof SiLU, m.layer(1).toString());
        assertTrue(m.layer(3) instanceof SiLU, m.layer(3).toString());
        assertEquals("silu", ModelOptions.checkActivation("silu"));
    }

    @Test
    void activationSoftplusAddsASoftplus() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4}, "softplus", 2, BE, 1);
        assertTrue(m.layer(1) instanceof Softplus, m.layer(1).toString());
    }

    @Test
    void theModelSpecHasSiluAndSoftplus() {
        Sequential m = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, silu, dense 4, softplus"), 2, BE, 1);
        assertEquals("silu", m.layer(1).type());
        assertEquals("softplus", m.layer(3).type());
    }
}
