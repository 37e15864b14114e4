package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.conformance.StorageOnlyKernels;
import org.junit.jupiter.api.Test;

class TensorTest {
    private final Backend be = StorageOnlyKernels.backend("heap");

    @Test
    void madeFromAndReadBackToFloatArrays() {
        Tensor t = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(2, t.rank());
        assertEquals(6, t.size());
        assertEquals(3, t.dim(-1));
        assertSame(be, t.backend());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toArray());
        t.copyFrom(new float[] {6, 5, 4, 3, 2, 1});
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, t.toArray());
    }

    @Test
    void wrongValueCountsThrowNamingTheShape() {
        IllegalArgumentException made = assertThrows(IllegalArgumentException.class,
                () -> be.tensor(new float[5], 2, 3));
        assertTrue(made.getMessage().contains("[2, 3]"), made.getMessage());
        IllegalArgumentException copied = assertThrows(IllegalArgumentException.class,
                () -> be.zeros(2, 3).copyFrom(new float[7]));
        assertTrue(copied.getMessage().contains("[2, 3]"), copied.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> be.zeros(2, 3).copyFrom(null));
        assertEquals("copyFrom: values is null (tensor [2, 3])", none.getMessage());
    }

    @Test
    void itemReadsATensorOfOneValue() {
        assertEquals(2.5f, be.full(2.5f).item());
        assertEquals(3f, be.tensor(new float[] {3}, 1, 1).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.zeros(2).item());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void reshapeIsAViewOverTheSameMemory() {
        Tensor t = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, -1);
        assertEquals(Shape.of(3, 2), r.shape());
        assertTrue(r.isView());
        assertFalse(t.isView());
        r.copyFrom(new float[] {0, 0, 0, 0, 0, 9});
        assertEquals(9f, t.toArray()[5], "written through the view");
        assertEquals(Shape.of(6), t.reshape(Shape.of(6)).shape());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
    }

    @Test
    void rowsIsAViewOfAMiniBatch() {
        Tensor data = be.tensor(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        Tensor batch = data.rows(1, 3);
        assertEquals(Shape.of(2, 2), batch.shape());
        assertEquals(2, batch.offset(), "starts one row of 2 values in");
        assertArrayEquals(new float[] {2, 3, 4, 5}, batch.toArray());
        batch.copyFrom(new float[] {-1, -1, -1, -1});
        assertArrayEquals(new float[] {0, 1, -1, -1, -1, -1, 6, 7}, data.toArray());
        assertArrayEquals(new float[] {-1, -1}, batch.rows(1, 2).toArray(), "a view of a view adds the offsets");
    }

    @Test
    void rowsRejectsEmptyOrOutOfRangeSlices() {
        Tensor data = be.zeros(4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.rows(3, 5));
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> data.rows(2, 2));
        assertThrows(IllegalArgumentException.class, () -> data.rows(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> be.zeros().rows(0, 1), "a scalar has no rows");
    }

    @Test
    void closingAViewLeavesItsOwnerAlive() {
        Tensor owner = be.zeros(4, 2);
        Tensor view = owner.rows(0, 2);
        view.close();
        assertFalse(view.isAlive());
        assertTrue(owner.isAlive());
        assertThrows(IllegalStateException.class, view::toArray);
    }

    @Test
    void closingTheOwnerKillsItsViews() {
        Tensor owner = be.zeros(4, 2);
        Tensor view = owner.reshape(8);
        owner.close();
        assertFalse(view.isAlive());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> view.requireAlive("relu"));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("[8]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> owner.reshape(8));
        assertThrows(IllegalStateException.class, () -> owner.copyFrom(new float[8]));
    }

    @Test
    void closeIsIdempotentAndShowsInToString() {
        Tensor t = be.zeros(2);
        assertEquals("Tensor[2] on heap", t.toString());
        t.close();
        t.close();
        assertTrue(t.toString().endsWith("(closed)"), t.toString());
    }
}
