package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.spi.Broadcast;
import org.junit.jupiter.api.Test;

class BroadcastTest {

    @Test
    void theSameShapeIsElementwise() {
        assertEquals(Broadcast.SAME, Check.broadcast("add", Shape.of(2, 3), Shape.of(2, 3)));
        assertEquals(Broadcast.SAME, Check.broadcast("add", Shape.of(1), Shape.of(1)));
    }

    @Test
    void aRowHasTheLastDimension() {
        assertEquals(Broadcast.ROW, Check.broadcast("add", Shape.of(2, 3), Shape.of(3)));
        assertEquals(Broadcast.ROW, Check.broadcast("add", Shape.of(2, 3), Shape.of(1, 3)));
        assertEquals(Broadcast.ROW, Check.broadcast("add", Shape.of(4, 2, 3), Shape.of(3)), "down all rows of a rank-3 tensor");
    }

    @Test
    void aColumnHasOneValuePerRow() {
        assertEquals(Broadcast.COLUMN, Check.broadcast("mul", Shape.of(2, 3), Shape.of(2, 1)));
        assertEquals(Broadcast.COLUMN, Check.broadcast("mul", Shape.of(4, 2, 3), Shape.of(8, 1)));
    }

    @Test
    void aSingleValueIsScalarWhateverItsRank() {
        assertEquals(Broadcast.SCALAR, Check.broadcast("div", Shape.of(2, 3), Shape.scalar()));
        assertEquals(Broadcast.SCALAR, Check.broadcast("div", Shape.of(2, 3), Shape.of(1)));
        assertEquals(Broadcast.SCALAR, Check.broadcast("div", Shape.of(2, 3), Shape.of(1, 1)));
    }

    @Test
    void anythingElseThrowsNamingTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Check.broadcast("sub", Shape.of(2, 3), Shape.of(4)));
        assertTrue(e.getMessage().startsWith("sub: "), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Check.broadcast("sub", Shape.of(2, 3), Shape.of(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Check.broadcast("sub", Shape.of(2, 3), Shape.of(3, 1)),
                "a column must have one value per row");
        assertThrows(IllegalArgumentException.class, () -> Check.broadcast("sub", Shape.of(3), Shape.of(3, 1)),
                "a vector has no columns to broadcast along");
    }
}
