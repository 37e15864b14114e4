package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;
import org.junit.jupiter.api.Test;

/** Allocation, read/write, views, closing, fill and copy. */
class ScalarMemoryTest {
    private final Backend be = Backend.of(new ScalarKernels());

    @Test
    void allocateIsZeroFilledAndReadsBackWhatWasWritten() {
        Tensor t = be.zeros(2, 2);
        assertArrayEquals(new float[4], t.toArray());
        be.write(t, new float[] {9, 1, 2, 3, 4}, 1);
        float[] dst = new float[6];
        be.read(t, dst, 2);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, dst);
    }

    @Test
    void writeAndReadCheckTheArrayLength() {
        Tensor t = be.zeros(3);
        assertThrows(IllegalArgumentException.class, () -> be.write(t, new float[3], 1));
        assertThrows(IllegalArgumentException.class, () -> be.read(t, new float[2], 0));
    }

    @Test
    void writesThroughRowViewsAreVisibleInTheParent() {
        Tensor parent = be.zeros(4, 3);
        Tensor middle = parent.rows(1, 3);
        be.fill(middle, 7f);
        middle.rows(1, 2).copyFrom(new float[] {1, 2, 3});
        assertArrayEquals(new float[] {0, 0, 0, 7, 7, 7, 1, 2, 3, 0, 0, 0}, parent.toArray());
        assertArrayEquals(new float[] {7, 7, 7, 1, 2, 3}, middle.toArray());
    }

    @Test
    void reshapeSharesMemory() {
        Tensor parent = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor flat = parent.reshape(-1);
        be.unary(UnaryOp.NEG, flat, flat);
        assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, parent.toArray());
        // A view of a view: row 1 of the [3, 2] reshape starts at offset 2.
        Tensor row = parent.reshape(3, 2).rows(1, 2);
        be.fill(row, 0f);
        assertArrayEquals(new float[] {-1, -2, 0, 0, -5, -6}, parent.toArray());
    }

    @Test
    void copyBetweenReshapesAndOverlappingViews() {
        Tensor src = be.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor dst = be.zeros(3, 2);
        be.copy(src, dst);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, dst.toArray());
        // Row 0 onto row 1 of the same tensor.
        be.copy(src.rows(0, 1), src.rows(1, 2));
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, src.toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> be.copy(src, be.zeros(5)));
        assertTrue(e.getMessage().contains("copy"), e.getMessage());
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        Tensor t = be.zeros(2, 2);
        Tensor view = t.rows(0, 1);
        t.close();
        assertFalse(t.isAlive());
        assertThrows(IllegalStateException.class, () -> be.fill(t, 1f));
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalStateException.class, () -> be.fill(view, 1f));
        assertThrows(IllegalStateException.class, () -> be.unary(UnaryOp.EXP, be.zeros(2, 2), t));
        t.close();   // idempotent
    }

    @Test
    void closingAViewLeavesTheParentUsable() {
        Tensor t = be.zeros(2, 2);
        Tensor view = t.rows(0, 1);
        view.close();
        assertThrows(IllegalStateException.class, () -> be.fill(view, 1f));
        be.fill(t, 1f);
        assertArrayEquals(new float[] {1, 1, 1, 1}, t.toArray());
    }

    @Test
    void scopeFreesWhatWasAllocatedInIt() {
        Tensor inner;
        Tensor kept;
        try (Scope scope = Scope.open()) {
            inner = be.zeros(3);
            kept = scope.detach(be.zeros(3));
        }
        assertThrows(IllegalStateException.class, inner::toArray);
        assertEquals(3, kept.toArray().length);
    }

    @Test
    void aTensorOfAnotherBackendIsRejected() {
        Tensor foreign = Backend.of(new ScalarKernels()).zeros(2);
        var e = assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.NEG, foreign, be.zeros(2)));
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }
}
