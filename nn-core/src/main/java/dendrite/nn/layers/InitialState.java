package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.List;

/**
 * Where a recurrent layer's next forward starts (see {@link RecurrentLayer}): zero, a state given by
 * {@link RecurrentLayer#setInitialState}, or the previous forward's final state when the layer is
 * stateful. Held in layer-owned buffers, copied in and out, so neither the caller's tensors nor the
 * layer's per-batch buffers (rewritten by the next forward) need to outlive the call.
 */
final class InitialState {
    private final String layer;
    private final BatchBuffer[] values;
    /** The batch size of the held state, or -1 for the zero state (which fits any batch). */
    private int batch = -1;
    private boolean carried;

    /**
     * @param layer  the layer's name, for messages
     * @param names  the state's names ({@code h}, {@code c}): one buffer each
     * @param be     the layer's backend
     * @param hidden the hidden size
     */
    InitialState(String layer, List<String> names, Backend be, int hidden) {
        this.layer = layer;
        values = new BatchBuffer[names.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = new BatchBuffer(be, Shape.of(hidden));
        }
    }

    /** Back to the zero state. */
    void clear() {
        batch = -1;
    }

    /** Holds copies of {@code state}, one {@code [batch, hidden]} tensor per name, as given by the caller. */
    void give(Tensor[] state, int batchSize) {
        copyIn(state, batchSize);
        carried = false;
    }

    /** Holds copies of the last forward's final state, for a stateful layer's next forward. */
    void carry(Tensor[] state, int batchSize) {
        copyIn(state, batchSize);
        carried = true;
    }

    private void copyIn(Tensor[] state, int batchSize) {
        for (int k = 0; k < values.length; k++) {
            Tensor held = values[k].get(batchSize);
            held.backend().copy(state[k], held);
        }
        batch = batchSize;
    }

    /** Refuses a forward on {@code batchSize} samples when the held state is for another batch size. */
    void check(int batchSize) {
        if (batch >= 0 && batch != batchSize) {
            throw new IllegalArgumentException(layer + ": a batch of " + batchSize + " samples, but its initial state is for "
                    + batch + " (" + (carried ? "carried from the previous batch, as the layer is stateful: row i of a batch"
                    + " continues row i of the one before, so every batch needs the same size" : "given by setInitialState")
                    + "); call resetState() to start new sequences with another batch size");
        }
    }

    /** Writes the state a forward starts from into {@code first}: one {@code [batch, hidden]} view per name. */
    void startFrom(Tensor[] first) {
        for (int k = 0; k < first.length; k++) {
            if (batch < 0) {
                first[k].backend().fill(first[k], 0f);
            } else {
                first[k].backend().copy(values[k].get(batch), first[k]);
            }
        }
    }

    /**
     * The batch size of {@code state} given for {@code slices} slices ({@code [slices, batch, hidden]}, or
     * {@code [batch, hidden]} when {@code slices} is 1), checked against the names, the hidden size and the
     * backend; no tensors give -1 (the zero state).
     *
     * @throws IllegalArgumentException naming the layer and both shapes when one does not fit
     */
    static int batchOf(String layer, List<String> names, int slices, int hidden, Backend be, Tensor[] state) {
        if (state.length == 0) {
            return -1;
        }
        if (state.length != names.size()) {
            throw new IllegalArgumentException(layer + ": an initial state is " + names.size() + " tensor(s) " + names
                    + ", got " + state.length);
        }
        int batch = -1;
        for (int k = 0; k < state.length; k++) {
            Tensor t = state[k];
            String expected = "[" + slices + ", batch, " + hidden + "]" + (slices == 1 ? " or [batch, " + hidden + "]" : "");
            if (t == null) {
                throw new IllegalArgumentException(layer + ": initial state " + names.get(k) + "0 is null; expected " + expected);
            }
            boolean fits = t.rank() == 3 ? t.dim(0) == slices && t.dim(2) == hidden
                    : t.rank() == 2 && slices == 1 && t.dim(1) == hidden;
            if (!fits) {
                throw new IllegalArgumentException(layer + ": initial state " + names.get(k) + "0 must be " + expected
                        + " (layers * directions, batch, hidden size), got " + t.shape());
            }
            int b = t.dim(t.rank() - 2);
            if (batch >= 0 && b != batch) {
                throw new IllegalArgumentException(layer + ": initial states " + names.get(0) + "0 " + state[0].shape()
                        + " and " + names.get(k) + "0 " + t.shape() + " differ in batch size");
            }
            if (t.backend() != be) {
                throw new IllegalArgumentException(layer + ": initial state " + names.get(k) + "0 " + t.shape()
                        + " is on backend '" + t.backend().name() + "', the layer on '" + be.name() + "'");
            }
            batch = b;
        }
        return batch;
    }

    /**
     * Slices {@code [from, to)} of each state {@code [slices, batch, hidden]} (or {@code [batch, hidden]}), as
     * {@code [to - from, batch, hidden]} views: one layer's or one direction's part of a stack's state.
     */
    static Tensor[] slices(Tensor[] state, int batch, int hidden, int from, int to) {
        Tensor[] out = new Tensor[state.length];
        for (int k = 0; k < state.length; k++) {
            int slices = state[k].size() / (batch * hidden);
            out[k] = state[k].reshape(slices * batch, hidden).rows(from * batch, to * batch).reshape(to - from, batch, hidden);
        }
        return out;
    }
}
