package dendrite.tensor.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A geometry whose input, weight or output would hold more values than a tensor can is refused when
 * it is made: its sizes are ints, and such a geometry made them wrap (a negative output height, a
 * negative patch size).
 */
class Conv2dGeometryTest {
    private static void assertRefused(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void theSizesOfAnOrdinaryGeometry() {
        Conv2dGeometry g = Conv2dGeometry.conv(2, 4, 9, 7, 6, 3, 3, 2, 1, 1, 2);
        assertEquals(5, g.outH());
        assertEquals(4, g.outW());
        assertEquals(2 * 3 * 3, g.patchSize());
        assertEquals(4 * 9 * 7, g.imageSize());
        assertEquals(6 * 5 * 4, g.outImageSize());
    }

    /** 2 padH = 2^31 does not fit an int: the output size is worked out in long, as the constructor checks it. */
    @Test
    void theOutputSizeOfAPaddingBeyondHalfAnIntIsRight() {
        Conv2dGeometry g = new Conv2dGeometry(1, 1, 1, 1, 1, 1, 1, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1, 1, 1);
        assertEquals(3, g.outH());   // (1 + 2^31 - 1) / 2^30 + 1
        assertEquals(3, g.outW());
        assertEquals(9, g.outImageSize());
    }

    @Test
    void anOutputOfMoreValuesThanATensorHoldsIsRefused() {
        // height + 2 padH = 3 * 2^30: outH wrapped to a negative int
        assertRefused("conv2d: the output [1, 1, 3221225472, 2147483649] holds more values than a tensor can (at most"
                + " 2147483639)", () -> Conv2dGeometry.conv(1, 1, 1 << 30, 1, 1, 1, 1, 1, 1 << 30, 1, 1));
    }

    @Test
    void anInputOfMoreValuesThanATensorHoldsIsRefused() {
        assertRefused("conv2d: the input [2, 1, 65536, 32768] holds more values than a tensor can (at most 2147483639)",
                () -> Conv2dGeometry.pool(2, 1, 65536, 32768, 2, 2, 2, 2, 0, 0));
    }

    @Test
    void aWeightOfMoreValuesThanATensorHoldsIsRefused() {
        // a 60001 x 60001 window over a 1 x 1 image padded by 30000: the patch size wrapped to a negative int
        assertRefused("conv2d: the weight [1, 1, 60001, 60001] holds more values than a tensor can (at most"
                + " 2147483639)", () -> Conv2dGeometry.conv(1, 1, 1, 1, 1, 60001, 60001, 1, 30000, 1, 1));
    }
}
