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
 * {@code --model "transpose, conv1d OUT K ..., maxpool1d K, avgpool1d K"}: convolutions over time on a
 * series window {@code [time, features]} turned channels first, with conv's options; bad settings
 * refused before any data is read.
 */
class TimeConvolutionSpecTest {
    private static final Backend BE = Backends.get("scalar");

    @Test
    void aSeriesWindowIsTransposedThenConvolvedAndPooled() {
        Sequential m = ModelOptions.build(new int[] {48, 5}, ModelSpec.parse(
                "transpose, conv1d 16 5 pad same, relu, maxpool1d 2, conv1d 8 3 stride 2 dilation 2 nobias, avgpool1d 2,"
                        + " groupnorm 2, flatten"), 1, BE, 1);
        assertEquals(List.of(Shape.of(5, 48), Shape.of(16, 48), Shape.of(16, 48), Shape.of(16, 24), Shape.of(8, 10),
                Shape.of(8, 5), Shape.of(8, 5)), List.of(m.outputShape(0), m.outputShape(1), m.outputShape(2),
                        m.outputShape(3), m.outputShape(4), m.outputShape(5), m.outputShape(6)));
        assertEquals("Conv1d(5, 16, 5, same)", m.layer(1).toString());
        assertEquals("Conv1d(16, 8, 3, stride 2, dilation 2, no bias)", m.layer(4).toString());
        assertEquals("MaxPool1d(2)", m.layer(3).toString());
        assertEquals("GroupNorm(2, 8, eps=1.0E-5)", m.layer(6).toString());
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        BadInputException even = assertThrows(BadInputException.class, () -> ModelSpec.parse("conv1d 8 4 pad same"));
        assertTrue(even.getMessage().contains("conv1d: padding 'same' with a kernel of 4"), even.getMessage());
        BadInputException option = assertThrows(BadInputException.class, () -> ModelSpec.parse("conv1d 8 3 wide"));
        assertTrue(option.getMessage().contains("conv1d option 'wide' is unknown"), option.getMessage());
        BadInputException pad = assertThrows(BadInputException.class, () -> ModelSpec.parse("maxpool1d 2 pad 2"));
        assertTrue(pad.getMessage().contains("max_pool1d: padding 2 must be at most half the window of 2"),
                pad.getMessage());
        BadInputException groups = assertThrows(BadInputException.class, () -> ModelSpec.parse("groupnorm 0"));
        assertTrue(groups.getMessage().contains("the groups must be at least 1"), groups.getMessage());
        BadInputException typo = assertThrows(BadInputException.class, () -> ModelSpec.parse("transpos, conv1d 8 3"));
        assertTrue(typo.getMessage().contains("did you mean 'transpose'?"), typo.getMessage());
    }
}
