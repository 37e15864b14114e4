package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --model "... upsample2d S [nearest|bilinear] ..."}: images grown S times on each side, nearest by
 * default; bad settings refused before any data is read.
 */
class UpsampleSpecTest {
    private static final Backend BE = Backends.get("scalar");

    @Test
    void imagesGrowByTheFactorInEitherMode() {
        Sequential m = ModelOptions.build(new int[] {1, 8, 8}, ModelSpec.parse(
                "conv 4 3 stride 2 pad 1, upsample2d 2, conv 4 3 pad same, upsample2d 3 bilinear, upsample2d 1 nearest,"
                        + " gap, flatten"), 1, BE, 1);
        assertEquals(List.of(Shape.of(4, 4, 4), Shape.of(4, 8, 8), Shape.of(4, 8, 8), Shape.of(4, 24, 24),
                Shape.of(4, 24, 24)), List.of(m.outputShape(0), m.outputShape(1), m.outputShape(2), m.outputShape(3),
                        m.outputShape(4)));
        assertEquals("Upsample2d(2, nearest)", m.layer(1).toString());
        assertEquals("Upsample2d(3, bilinear)", m.layer(3).toString());
        assertEquals("Upsample2d(1, nearest)", m.layer(4).toString());
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        BadInputException zero = assertThrows(BadInputException.class, () -> ModelSpec.parse("upsample2d 0"));
        assertTrue(zero.getMessage().contains("the scale must be at least 1"), zero.getMessage());
        BadInputException none = assertThrows(BadInputException.class, () -> ModelSpec.parse("upsample2d"));
        assertTrue(none.getMessage().contains("'upsample2d' needs its scale"), none.getMessage());
        BadInputException mode = assertThrows(BadInputException.class, () -> ModelSpec.parse("upsample2d 2 bicubic"));
        assertEquals("--model: 'upsample2d 2 bicubic': upsample2d: mode 'bicubic' is unknown; known: nearest, bilinear",
                mode.getMessage());
        BadInputException extra = assertThrows(BadInputException.class,
                () -> ModelSpec.parse("upsample2d 2 bilinear corners"));
        assertTrue(extra.getMessage().contains("'corners' is one word too many"), extra.getMessage());
        BadInputException typo = assertThrows(BadInputException.class, () -> ModelSpec.parse("upsample 2"));
        assertTrue(typo.getMessage().contains("did you mean 'upsample2d'?"), typo.getMessage());
    }
}
