package dendrite.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the tensors made on this thread while it is open, and frees them when closed.
 *
 * <pre>{@code
 * Tensor kept;
 * try (Scope scope = Scope.open()) {
 *     Tensor tmp = be.zeros(128, 10);     // freed when the scope closes
 *     kept = scope.detach(be.zeros(10));  // survives: now the caller's (or the outer scope's)
 * }
 * }</pre>
 *
 * <p>Scopes nest per thread; a detached tensor moves to the enclosing scope, or to no scope
 * (the caller then closes it, or, on heap backends, the garbage collector reclaims it).
 * {@link #close()} is idempotent; tensors freed by it throw {@link IllegalStateException}
 * when used again.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    // Identity map as an ordered set: tensors are freed in creation order.
    private final Map<Tensor, Boolean> owned = new IdentityHashMap<>();
    private final List<Tensor> order = new ArrayList<>();
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private Scope() {
    }

    /**
     * Opens a scope on the current thread; close it with try-with-resources.
     *
     * @return the new scope, now the innermost one on this thread; it must be closed on this thread
     */
    public static Scope open() {
        Scope s = new Scope();
        OPEN.get().push(s);
        return s;
    }

    /**
     * Runs {@code body} as if no scope were open on this thread, so the tensors it makes belong to
     * no scope. For long-lived state made lazily inside a user's scope: a layer's reusable buffers,
     * its parameters, an optimizer's moments. Their owner closes them.
     *
     * @param <T> the type of the body's result
     * @param body the code to run; the scopes open on this thread are restored afterwards, even if it throws
     * @return what {@code body} returned
     */
    public static <T> T unscoped(java.util.function.Supplier<T> body) {
        Deque<Scope> saved = OPEN.get();
        OPEN.set(new ArrayDeque<>());
        try {
            return body.get();
        } finally {
            OPEN.set(saved);
        }
    }

    static void registerIfOpen(Tensor t) {
        Scope s = OPEN.get().peek();
        if (s != null) {
            s.add(t);
        }
    }

    private void add(Tensor t) {
        if (owned.put(t, Boolean.TRUE) == null) {
            order.add(t);
        }
    }

    /**
     * Takes {@code t} out of this scope so closing it does not free {@code t}; returns {@code t}.
     *
     * @param t a tensor to keep; if this scope does not own it, nothing changes
     * @return {@code t}, now owned by the enclosing scope if there is one, else by the caller
     */
    public Tensor detach(Tensor t) {
        if (owned.remove(t) != null) {
            order.remove(t);
            Deque<Scope> stack = OPEN.get();
            // The enclosing scope (the one below this in the stack) takes it over.
            boolean seenThis = false;
            for (Scope s : stack) {
                if (seenThis) {
                    s.add(t);
                    break;
                }
                seenThis = s == this;
            }
        }
        return t;
    }

    /**
     * Number of tensors this scope will free.
     *
     * @return the count of tensors registered and not detached; 0 after {@link #close()}
     */
    public int size() {
        return owned.size();
    }

    /**
     * Frees every tensor still owned by this scope. Idempotent.
     *
     * @throws IllegalStateException when called from a thread other than the one that opened it: a
     *         scope belongs to its thread (the tensors that thread makes join it), so another thread
     *         cannot end it without leaving that thread collecting into a dead scope
     */
    @Override
    public void close() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("scope: opened on thread '" + thread.getName() + "' but closed on '"
                    + Thread.currentThread().getName() + "': a scope is closed by the thread that opened it");
        }
        if (closed) {
            return;
        }
        closed = true;
        OPEN.get().remove(this);
        RuntimeException first = null;
        for (Tensor t : order) {
            try {
                t.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        owned.clear();
        order.clear();
        if (first != null) {
            throw first;
        }
    }
}
