package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.conformance.StorageOnlyKernels;
import org.junit.jupiter.api.Test;

class ScopeTest {
    private final Backend be = StorageOnlyKernels.backend("heap");

    @Test
    void closingAScopeFreesTheTensorsMadeInIt() {
        Tensor a;
        Tensor b;
        try (Scope scope = Scope.open()) {
            a = be.zeros(2);
            b = be.zeros(3);
            assertEquals(2, scope.size());
        }
        assertFalse(a.isAlive());
        assertFalse(b.isAlive());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::toArray);
        assertTrue(e.getMessage().contains("after close"), e.getMessage());
    }

    @Test
    void unscopedTensorsSurviveTheOpenScopeAndLaterOnesAreTrackedAgain() {
        Tensor longLived;
        Tensor temporary;
        try (Scope scope = Scope.open()) {
            longLived = Scope.unscoped(() -> be.zeros(3));
            temporary = be.zeros(2);
            assertEquals(1, scope.size(), "only the tensor made outside unscoped() belongs to the scope");
        }
        assertTrue(longLived.isAlive());
        assertFalse(temporary.isAlive());
    }

    @Test
    void tensorsMadeOutsideAnyScopeAreNotTracked() {
        Tensor free = be.zeros(2);
        try (Scope scope = Scope.open()) {
            assertEquals(0, scope.size());
        }
        assertTrue(free.isAlive());
    }

    @Test
    void viewsAreNotOwnedByTheScope() {
        Tensor owner = be.zeros(4, 2);
        try (Scope scope = Scope.open()) {
            owner.rows(0, 2);
            owner.reshape(8);
            assertEquals(0, scope.size(), "a view does not own memory, so there is nothing to free");
        }
        assertTrue(owner.isAlive());
    }

    @Test
    void aDetachedTensorSurvivesItsScope() {
        Tensor kept;
        try (Scope scope = Scope.open()) {
            Tensor t = be.zeros(2);
            kept = scope.detach(t);
            assertSame(t, kept);
            assertEquals(0, scope.size());
        }
        assertTrue(kept.isAlive());
    }

    @Test
    void detachMovesATensorToTheEnclosingScope() {
        Tensor moved;
        Tensor inner;
        try (Scope outer = Scope.open()) {
            try (Scope nested = Scope.open()) {
                inner = be.zeros(1);
                moved = nested.detach(be.zeros(2));
                assertEquals(1, outer.size(), "the outer scope took it over");
            }
            assertFalse(inner.isAlive(), "the nested scope freed its own tensor");
            assertTrue(moved.isAlive(), "the detached one lives as long as the outer scope");
        }
        assertFalse(moved.isAlive(), "and is freed with it");
    }

    @Test
    void nestedScopesFreeOnlyTheirOwnTensors() {
        try (Scope outer = Scope.open()) {
            Tensor a = be.zeros(1);
            Scope nested = Scope.open();
            Tensor b = be.zeros(1);
            assertEquals(1, nested.size());
            nested.close();
            assertFalse(b.isAlive());
            assertTrue(a.isAlive());
            Tensor c = be.zeros(1);
            assertEquals(2, outer.size(), "after the nested scope closes, new tensors go to the outer one again");
            assertTrue(c.isAlive());
        }
    }

    @Test
    void closeIsIdempotentAndToleratesTensorsClosedEarlier() {
        Scope scope = Scope.open();
        Tensor a = be.zeros(2);
        a.close();
        scope.close();
        scope.close();
        assertFalse(a.isAlive());
        Tensor after = be.zeros(1);
        try (Scope next = Scope.open()) {
            assertEquals(0, next.size());
        }
        assertTrue(after.isAlive(), "a closed scope no longer collects tensors");
    }

    @Test
    void detachingATensorTheScopeDoesNotOwnChangesNothing() {
        Tensor outside = be.zeros(1);
        try (Scope scope = Scope.open()) {
            assertSame(outside, scope.detach(outside));
            assertEquals(0, scope.size());
        }
        assertTrue(outside.isAlive());
    }

    @Test
    void anotherThreadCannotCloseAScopeAndTheOwnersTensorsStayCollected() throws Exception {
        Scope scope = Scope.open();
        try {
            Tensor before = be.zeros(2);
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    scope.close();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "intruder");
            other.start();
            other.join();
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("intruder"), thrown.get().getMessage());
            assertTrue(before.isAlive(), "the refused close freed nothing");
            Tensor after = be.zeros(2);
            assertEquals(2, scope.size(), "the scope still collects this thread's tensors");
            scope.close();
            assertFalse(before.isAlive());
            assertFalse(after.isAlive());
        } finally {
            scope.close();
        }
        try (Scope next = Scope.open()) {
            be.zeros(1);
            assertEquals(1, next.size(), "the thread's current scope is the new one, never the closed one");
        }
    }
}
