package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void sizeRankAndDimensions() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(3, s.rank());
        assertEquals(24, s.size());
        assertEquals(2, s.dim(0));
        assertEquals(4, s.dim(-1), "negative indices count from the end");
        assertEquals(2, s.dim(-3));
        assertEquals(4, s.last());
        assertEquals(6, s.leading(), "rows when seen as a matrix of last() columns");
        assertEquals(12, s.stride0());
        assertEquals("[2, 3, 4]", s.toString());
    }

    @Test
    void aScalarHasRankZeroAndSizeOne() {
        Shape s = Shape.of();
        assertEquals(Shape.scalar(), s);
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(1, s.last());
        assertEquals(1, s.leading());
        assertEquals("[]", s.toString());
        assertThrows(IllegalArgumentException.class, () -> s.withFirst(2));
    }

    @Test
    void dimensionsMustBePositiveAndFitInAnInt() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 0));
        assertTrue(zero.getMessage().contains("[3, 0]"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(-1));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
        assertTrue(huge.getMessage().contains("[65536, 65536]"), huge.getMessage());
    }

    @Test
    void dimOutOfRangeNamesTheShape() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 3).dim(2));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 3).dim(-3));
    }

    @Test
    void dimsIsACopy() {
        Shape s = Shape.of(2, 3);
        int[] d = s.dims();
        d[0] = 99;
        assertArrayEquals(new int[] {2, 3}, s.dims());
    }

    @Test
    void reshapeInfersOneDimension() {
        Shape s = Shape.of(4, 6);
        assertEquals(Shape.of(3, 8), s.reshape(3, -1));
        assertEquals(Shape.of(24), s.reshape(-1));
        assertEquals(Shape.of(2, 3, 4), s.reshape(2, -1, 4));
        assertEquals(Shape.of(1, 24), s.reshape(1, 24));
    }

    @Test
    void reshapeErrorsNameBothShapes() {
        Shape s = Shape.of(4, 6);
        IllegalArgumentException differ = assertThrows(IllegalArgumentException.class, () -> s.reshape(5, 5));
        assertTrue(differ.getMessage().contains("[4, 6]") && differ.getMessage().contains("[5, 5]"), differ.getMessage());
        assertTrue(differ.getMessage().startsWith("reshape"), differ.getMessage());
        IllegalArgumentException indivisible = assertThrows(IllegalArgumentException.class, () -> s.reshape(5, -1));
        assertTrue(indivisible.getMessage().contains("[5, -1]"), indivisible.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.reshape(-1, -1), "only one dimension may be inferred");
        assertThrows(IllegalArgumentException.class, () -> s.reshape(0, 24));
        assertThrows(IllegalArgumentException.class, () -> s.reshape(-2, -12));
    }

    /** Dimensions whose product overflows a long (2^64 wrapped to 0) are named as too many, not as 0. */
    @Test
    void reshapeToDimensionsOfMoreElementsThanATensorHoldsSaysSo() {
        Shape s = Shape.of(4, 6);
        IllegalArgumentException inferred = assertThrows(IllegalArgumentException.class,
                () -> s.reshape(-1, 65536, 65536, 65536, 65536));
        assertEquals("reshape: [4, 6] to [-1, 65536, 65536, 65536, 65536]: the given dimensions hold more than"
                + " 2147483639 elements, and [4, 6] has 24", inferred.getMessage());
        IllegalArgumentException given = assertThrows(IllegalArgumentException.class,
                () -> s.reshape(65536, 65536, 65536, 65536));
        assertEquals("reshape: [4, 6] to [65536, 65536, 65536, 65536]: the given dimensions hold more than"
                + " 2147483639 elements, and [4, 6] has 24", given.getMessage());
    }

    @Test
    void withoutRemovesAnAxis() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(Shape.of(3, 4), s.without(0));
        assertEquals(Shape.of(2, 4), s.without(1));
        assertEquals(Shape.of(2, 3), s.without(-1));
        assertEquals(Shape.scalar(), Shape.of(5).without(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.without(3));
        assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void withFirstReplacesTheBatchDimension() {
        assertEquals(Shape.of(8, 3), Shape.of(100, 3).withFirst(8));
    }

    @Test
    void equalityIsByDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(1, 6), "the same size is not the same shape");
    }
}
