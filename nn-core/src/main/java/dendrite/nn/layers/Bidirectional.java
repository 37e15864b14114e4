package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recurrent layer run both ways, PyTorch's {@code bidirectional=True}: one copy reads the sequence
 * forwards, a second (its own weights, named {@code weight_ih_l0_reverse} and so on, as PyTorch names
 * them) reads it backwards, and their outputs are side by side: {@code [time, 2 * hidden]} for every
 * step (forward's state at t, then backward's state at t), or {@code [2 * hidden]} for the last, which
 * is forward's state after the last step and backward's after the first (PyTorch's {@code h_n}).
 *
 * <p>The backward copy gets the input reversed in time, and its outputs are reversed back; with
 * padding skipped ({@link Recurrent#maskZeroSteps()}), a right-padded sequence is left-padded for it,
 * so it starts at each sample's last real step, as PyTorch's packed sequences do.
 *
 * <p>States ({@link RecurrentLayer}) are {@code [2, batch, hidden]}: slice 0 the forward direction's,
 * slice 1 the reverse direction's (whose initial state is where it starts, at the sequence's end), as
 * PyTorch's {@code h_0} and {@code h_n}. It cannot be stateful: the reverse direction would start each
 * batch from where it ended in the batch before, the earlier part of the series, not the later.
 */
public final class Bidirectional implements RecurrentLayer {
    private final Recurrent forward;
    private final Recurrent reverse;

    private Backend be;
    private int features;
    private int hidden;
    private int batch;
    private int steps;
    private int[] reversal = new int[0];
    /** The steps {@link #reversal} was made for (with its length, the batch). */
    private int reversalFor;
    private BatchBuffer reversedInput;
    private BatchBuffer reversedOutput;
    private BatchBuffer out;
    private BatchBuffer sideBySide;
    private BatchBuffer dForward;
    private BatchBuffer dReverse;
    private BatchBuffer dReverseInTime;
    private BatchBuffer dxReversed;
    private BatchBuffer dx;
    private boolean inputGradientNeeded = true;
    /** Per state name, both directions' final states and initial-state gradients as {@code [2 * B, hidden]}. */
    private BatchBuffer[] finals;
    // The views a step takes of its tensors, made once per batch size: a new view every step was
    // 6 KB a step for a two-layer bidirectional stack, and made the directions' own view caches miss.
    private final ViewCache inputRows = new ViewCache();
    private final ViewCache reversedSteps = new ViewCache();
    private final ViewCache reversedOutputRows = new ViewCache();
    private final ViewCache forwardOutputRows = new ViewCache();
    private final ViewCache backwardOutputRows = new ViewCache();
    private final ViewCache outputRows = new ViewCache();
    private final ViewCache sideBySideView = new ViewCache();
    private final ViewCache upperHalf = new ViewCache();
    private final ViewCache lowerHalf = new ViewCache();
    private final ViewCache dOutRows = new ViewCache();
    private final ViewCache dForwardSteps = new ViewCache();
    private final ViewCache dReverseSteps = new ViewCache();
    private final ViewCache dxReverseRows = new ViewCache();
    private final ViewCache dxForwardRows = new ViewCache();
    private final ViewCache dxRows = new ViewCache();
    private BatchBuffer[] gradients;

    /**
     * Runs {@code layer} both ways; the backward copy is made from its description (the same type and
     * options, its own weights). {@code layer} must not be built yet.
     *
     * @param layer the forward direction, an unbuilt {@link LSTM}, {@link GRU} or {@link SimpleRNN} whose type is
     *              registered in {@link LayerRegistry}; this layer takes it over
     * @throws IllegalArgumentException if {@code layer} is stateful (see the class comment)
     */
    public Bidirectional(Recurrent layer) {
        if (layer.isStateful()) {
            throw new IllegalArgumentException("bidirectional: " + layer.type() + " cannot be stateful and run both ways:"
                    + " the reverse direction would start each batch from the state it ended the previous batch in, which"
                    + " is the earlier part of the series, not the later");
        }
        this.forward = layer;
        this.reverse = (Recurrent) LayerRegistry.create(layer.type(), layer.config());
        this.reverse.reverseDirectionNames();
        this.reverse.stackIndex(layer.stackIndex());
    }

    /** The forward direction (whose options both share). */
    Recurrent forwardLayer() {
        return forward;
    }

    /** The reverse direction. */
    Recurrent reverseLayer() {
        return reverse;
    }

    /**
     * Builds one from its {@link #config()}: the wrapped layer's type as {@code cell}, and its options.
     *
     * @param c the config: {@code cell} ({@code lstm}, {@code gru} or {@code rnn}) and that layer's own config
     *          entries
     * @return a new, unbuilt bidirectional layer
     * @throws IllegalArgumentException if {@code cell} is missing or not a recurrent layer's type, or the
     *                                  layer's options are invalid
     */
    public static Bidirectional fromConfig(Map<String, ?> c) {
        String cell = Configs.stringValue(c, "bidirectional", "cell", null);
        if (cell == null) {
            throw new IllegalArgumentException("bidirectional: missing 'cell' (lstm, gru or rnn)");
        }
        Map<String, Object> inner = new LinkedHashMap<>(c);
        inner.remove("cell");
        Layer layer = LayerRegistry.create(cell, inner);
        if (!(layer instanceof Recurrent r)) {
            throw new IllegalArgumentException("bidirectional: cell '" + cell + "' is not a recurrent layer");
        }
        return new Bidirectional(r);
    }

    @Override
    public String type() {
        return "bidirectional";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cell", forward.type());
        c.putAll(forward.config());
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape one = forward.outputShape(in);
        return one.rank() == 2 ? Shape.of(one.dim(0), 2 * one.dim(1)) : Shape.of(2 * one.dim(0));
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        Map<String, int[]> s = new LinkedHashMap<>(forward.stateShapes(in).orElseThrow());
        s.putAll(reverse.stateShapes(in).orElseThrow());
        return Optional.of(s);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        features = inputShape.dim(1);
        hidden = forward.hidden();
        forward.build(backend, inputShape, seed);
        reverse.build(backend, inputShape, seed + 0x632BE59BD9B4E019L);
        Shape row = Shape.of(hidden);
        reversedInput = new BatchBuffer(backend, Shape.of(features));
        reversedOutput = new BatchBuffer(backend, row);
        out = new BatchBuffer(backend, outputShape(inputShape));
        sideBySide = new BatchBuffer(backend, Shape.of(1));
        dForward = new BatchBuffer(backend, row);
        dReverse = new BatchBuffer(backend, row);
        dReverseInTime = new BatchBuffer(backend, row);
        dxReversed = new BatchBuffer(backend, Shape.of(features));
        dx = new BatchBuffer(backend, inputShape);
        finals = new BatchBuffer[stateNames().size()];
        gradients = new BatchBuffer[stateNames().size()];
        for (int k = 0; k < finals.length; k++) {
            finals[k] = new BatchBuffer(backend, row);
            gradients[k] = new BatchBuffer(backend, row);
        }
    }

    @Override
    public List<String> stateNames() {
        return forward.stateNames();
    }

    /** Slice 0 of each state starts the forward direction, slice 1 the reverse direction. */
    @Override
    public void setInitialState(Tensor... state) {
        if (be == null) {
            throw new IllegalStateException("bidirectional: build the layer before giving it an initial state");
        }
        int b = InitialState.batchOf("bidirectional " + forward.type(), stateNames(), 2, hidden, be, state);
        if (b < 0) {
            resetState();
            return;
        }
        forward.setInitialState(InitialState.slices(state, b, hidden, 0, 1));
        reverse.setInitialState(InitialState.slices(state, b, hidden, 1, 2));
    }

    @Override
    public List<Tensor> finalState() {
        return sideBySide(forward.finalState(), reverse.finalState(), finals);
    }

    @Override
    public List<Tensor> initialStateGradient() {
        return sideBySide(forward.initialStateGradient(), reverse.initialStateGradient(), gradients);
    }

    /** Per state, {@code [2, B, hidden]}: the forward direction's {@code [1, B, hidden]} above the reverse's. */
    private List<Tensor> sideBySide(List<Tensor> f, List<Tensor> r, BatchBuffer[] into) {
        List<Tensor> out = new ArrayList<>(f.size());
        for (int k = 0; k < f.size(); k++) {
            int b = f.get(k).dim(1);
            Tensor both = into[k].get(2 * b);
            be.copy(f.get(k), both.rows(0, b));
            be.copy(r.get(k), both.rows(b, 2 * b));
            out.add(both.reshape(2, b, hidden));
        }
        return out;
    }

    /** Never: see the class comment. */
    @Override
    public boolean isStateful() {
        return false;
    }

    @Override
    public void resetState() {
        forward.resetState();
        reverse.resetState();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        batch = x.dim(0);
        steps = x.dim(1);
        if (reversal.length != batch * steps || reversalFor != steps) {
            reversal = new int[batch * steps];
            reversalFor = steps;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    reversal[b * steps + t] = b * steps + steps - 1 - t;
                }
            }
        }
        Tensor xr = reversedInput.get(batch * steps);
        be.gatherRows(inputRows.rows(x, batch * steps, features), reversal, 0, xr);
        Tensor yf = forward.forward(x, training);
        Tensor yr = reverse.forward(reversedSteps.of(xr, batch, steps, features), training);
        int rows = forward.returnSequences() ? batch * steps : batch;
        Tensor ybRows;
        if (forward.returnSequences()) {
            ybRows = reversedOutput.get(rows);
            be.gatherRows(reversedOutputRows.rows(yr, rows, hidden), reversal, 0, ybRows);
        } else {
            ybRows = yr;
        }
        Tensor y = out.get(batch);
        concatColumns(forwardOutputRows.rows(yf, rows, hidden), backwardOutputRows.rows(ybRows, rows, hidden),
                outputRows.rows(y, rows, 2 * hidden));
        return y;
    }

    /** The buffer {@code [2 * hidden, n]} that {@link #concatColumns} and {@link #splitColumns} stack through. */
    private Tensor stacked(int n) {
        return sideBySideView.rows(sideBySide.get(2 * hidden * n), 2 * hidden, n);
    }

    /** {@code out = [a | b]} for a and b of {@code [n, h]}: through their transposes, stacked as rows. */
    private void concatColumns(Tensor a, Tensor b, Tensor out) {
        int n = a.dim(0);
        Tensor t = stacked(n);
        be.transpose(a, upperHalf.rowRange(t, 0, hidden));
        be.transpose(b, lowerHalf.rowRange(t, hidden, 2 * hidden));
        be.transpose(t, out);
    }

    /** The reverse of {@link #concatColumns}: {@code d = [da | db]}. */
    private void splitColumns(Tensor d, Tensor da, Tensor db) {
        int n = d.dim(0);
        Tensor t = stacked(n);
        be.transpose(d, t);
        be.transpose(upperHalf.rowRange(t, 0, hidden), da);
        be.transpose(lowerHalf.rowRange(t, hidden, 2 * hidden), db);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        boolean sequences = forward.returnSequences();
        int rows = sequences ? batch * steps : batch;
        Tensor df = dForward.get(rows);
        Tensor dr = dReverse.get(rows);
        splitColumns(dOutRows.rows(dOut, rows, 2 * hidden), df, dr);
        Tensor drInTime = dr;
        if (sequences) {
            drInTime = dReverseInTime.get(rows);
            be.gatherRows(dr, reversal, 0, drInTime);
        }
        Tensor dxf = forward.backward(sequences ? dForwardSteps.of(df, batch, steps, hidden)
                : dForwardSteps.rows(df, batch, hidden));
        Tensor dxr = reverse.backward(sequences ? dReverseSteps.of(drInTime, batch, steps, hidden)
                : dReverseSteps.rows(drInTime, batch, hidden));
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor back = dxReversed.get(batch * steps);
        be.gatherRows(dxReverseRows.rows(dxr, batch * steps, features), reversal, 0, back);
        Tensor d = dx.get(batch);
        be.binary(dendrite.tensor.op.BinaryOp.ADD, dxForwardRows.rows(dxf, batch * steps, features), back,
                dxRows.rows(d, batch * steps, features));
        return d;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(forward.parameters());
        p.addAll(reverse.parameters());
        return p;
    }

    @Override
    public long parameterCount() {
        return forward.parameterCount() + reverse.parameterCount();
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
        forward.setInputGradientNeeded(needed);
        reverse.setInputGradientNeeded(needed);
    }

    @Override
    public String toString() {
        return "Bidirectional(" + forward + ")";
    }
}
