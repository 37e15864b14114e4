package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.layers.Hardswish;
import dendrite.nn.layers.Mish;
import dendrite.nn.layers.SiLU;
import dendrite.nn.layers.Softplus;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Test;

/**
 * {@code --activation silu}, {@code softplus}, {@code elu}, {@code selu}, {@code mish} and
 * {@code hardswish}, and the layers of those names in {@code --model} ({@code elu [ALPHA]}), add
 * PyTorch's {@code nn.SiLU()}, {@code nn.Softplus()}, {@code nn.ELU(alpha)}, {@code nn.SELU()},
 * {@code nn.Mish()} and {@code nn.Hardswish()}.
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
    void activationEluAddsAnEluOfAlphaOne() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4}, "elu", 2, BE, 1);
        assertEquals("ELU(1.0)", m.layer(1).toString());
    }

    @Test
    void theModelSpecHasEluWithAnAlpha() {
        Sequential m = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, elu, dense 4, elu 0.5"), 2, BE, 1);
        assertEquals("ELU(1.0)", m.layer(1).toString());
        assertEquals("ELU(0.5)", m.layer(3).toString());
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, elu 0.5 2"));
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, elu alpha"));
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, elu 1e39"));
    }

    @Test
    void activationSeluAddsSelusAfterLeCunNormalLayers() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4, 3}, "selu", 2, BE, 1);
        assertEquals("selu", m.layer(1).type());
        assertEquals("selu", m.layer(3).type());
        assertEquals("lecun_normal", m.layer(0).config().get("weight_init"));
        assertEquals("lecun_normal", m.layer(2).config().get("weight_init"));
        Sequential spec = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, selu"), 2, BE, 1);
        assertEquals("selu", spec.layer(1).type());
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, selu 2"));
    }

    @Test
    void activationMishAndTheModelSpecsMishAddMishes() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4}, "mish", 2, BE, 1);
        assertTrue(m.layer(1) instanceof Mish, m.layer(1).toString());
        Sequential spec = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, mish"), 2, BE, 1);
        assertEquals("mish", spec.layer(1).type());
    }

    @Test
    void activationHardswishAndTheModelSpecsHardswishAddHardSwishes() {
        Sequential m = ModelOptions.build(new int[] {2}, new int[] {4}, "HardSwish", 2, BE, 1);
        assertTrue(m.layer(1) instanceof Hardswish, m.layer(1).toString());
        Sequential spec = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, hardswish"), 2, BE, 1);
        assertEquals("hardswish", spec.layer(1).type());
    }

    @Test
    void theModelSpecHasSiluAndSoftplus() {
        Sequential m = ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, silu, dense 4, softplus"), 2, BE, 1);
        assertEquals("silu", m.layer(1).type());
        assertEquals("softplus", m.layer(3).type());
    }

    @Test
    void theModelSpecHasPreluSharedOrPerChannel() {
        Sequential m = ModelOptions.build(new int[] {1, 8, 8}, ModelSpec.parse("conv 4 3, prelu 4, flatten, dense 5, prelu"),
                2, BE, 1);
        assertEquals("PReLU(4, init=0.25)", m.layer(1).toString());
        assertEquals("PReLU(1, init=0.25)", m.layer(4).toString());
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, prelu 0"));
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, prelu 4 2"));
        BadInputException wrong = assertThrows(BadInputException.class,
                () -> ModelOptions.build(new int[] {3}, ModelSpec.parse("dense 4, prelu 3"), 2, BE, 1));
        assertTrue(wrong.getMessage().contains("PReLU(4)"), wrong.getMessage());
    }

    @Test
    void theModelSpecHasHardtanhAndRelu6() {
        Sequential m = ModelOptions.build(new int[] {6}, ModelSpec.parse("dense 8, relu6, dense 4, hardtanh, dense 4,"
                + " hardtanh -0.5 2"), 2, BE, 1);
        assertEquals("ReLU6()", m.layer(1).toString());
        assertEquals("Hardtanh(-1.0, 1.0)", m.layer(3).toString());
        assertEquals("Hardtanh(-0.5, 2.0)", m.layer(5).toString());
        BadInputException one = assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, hardtanh 2"));
        assertTrue(one.getMessage().contains("'hardtanh -2 2'"), one.getMessage());
        BadInputException order = assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, hardtanh 2 -2"));
        assertTrue(order.getMessage().contains("below"), order.getMessage());
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, relu6 2"));
    }

    @org.junit.jupiter.api.Test
    void theModelSpecHasRescaling() {
        Sequential m = ModelOptions.build(new int[] {6}, ModelSpec.parse("rescaling 0.5 -1, dense 4, rescaling 2"), 2,
                BE, 1);
        assertEquals("Rescaling(0.5, -1.0)", m.layer(0).toString());
        assertEquals("Rescaling(2.0, 0.0)", m.layer(2).toString());
        BadInputException none = assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, rescaling"));
        assertTrue(none.getMessage().contains("'rescaling 2 -1'"), none.getMessage());
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, rescaling 1 2 3"));
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, rescaling half"));
        assertThrows(BadInputException.class, () -> ModelSpec.parse("dense 4, rescaling 1e39"));
    }
}
