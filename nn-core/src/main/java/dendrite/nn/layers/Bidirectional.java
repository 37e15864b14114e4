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
 */
public final class Bidirectional implements Layer {
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

    /**
     * Runs {@code layer} both ways; the backward copy is made from its description (the same type and
     * options, its own weights). {@code layer} must not be built yet.
     *
     * @param layer the forward direction, an unbuilt {@link LSTM}, {@link GRU} or {@link SimpleRNN} whose type is
     *              registered in {@link LayerRegistry}; this layer takes it over
     */
    public Bidirectional(Recurrent layer) {
        this.forward = layer;
        this.reverse = (Recurrent) LayerRegistry.create(layer.type(), layer.config());
        this.reverse.reverseDirectionNames();
        this.reverse.stackIndex(layer.stackIndex());
    }

    /** The forward direction (whose options both share). */
    Recurrent forwardLayer() {
        return forward;
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
        be.gatherRows(x.reshape(batch * steps, features), reversal, 0, xr);
        Tensor yf = forward.forward(x, training);
        Tensor yr = reverse.forward(xr.reshape(batch, steps, features), training);
        int rows = forward.returnSequences() ? batch * steps : batch;
        Tensor ybRows;
        if (forward.returnSequences()) {
            ybRows = reversedOutput.get(rows);
            be.gatherRows(yr.reshape(rows, hidden), reversal, 0, ybRows);
        } else {
            ybRows = yr;
        }
        Tensor y = out.get(batch);
        concatColumns(yf.reshape(rows, hidden), ybRows.reshape(rows, hidden), y.reshape(rows, 2 * hidden));
        return y;
    }

    /** {@code out = [a | b]} for a and b of {@code [n, h]}: through their transposes, stacked as rows. */
    private void concatColumns(Tensor a, Tensor b, Tensor out) {
        int n = a.dim(0);
        Tensor t = sideBySide.get(2 * hidden * n).reshape(2 * hidden, n);
        be.transpose(a, t.rows(0, hidden));
        be.transpose(b, t.rows(hidden, 2 * hidden));
        be.transpose(t, out);
    }

    /** The reverse of {@link #concatColumns}: {@code d = [da | db]}. */
    private void splitColumns(Tensor d, Tensor da, Tensor db) {
        int n = d.dim(0);
        Tensor t = sideBySide.get(2 * hidden * n).reshape(2 * hidden, n);
        be.transpose(d, t);
        be.transpose(t.rows(0, hidden), da);
        be.transpose(t.rows(hidden, 2 * hidden), db);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        boolean sequences = forward.returnSequences();
        int rows = sequences ? batch * steps : batch;
        Tensor df = dForward.get(rows);
        Tensor dr = dReverse.get(rows);
        splitColumns(dOut.reshape(rows, 2 * hidden), df, dr);
        Tensor drInTime = dr;
        if (sequences) {
            drInTime = dReverseInTime.get(rows);
            be.gatherRows(dr, reversal, 0, drInTime);
        }
        int[] oneStep = {batch, hidden};
        int[] allSteps = {batch, steps, hidden};
        Tensor dxf = forward.backward(df.reshape(sequences ? allSteps : oneStep));
        Tensor dxr = reverse.backward(drInTime.reshape(sequences ? allSteps : oneStep));
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor back = dxReversed.get(batch * steps);
        be.gatherRows(dxr.reshape(batch * steps, features), reversal, 0, back);
        Tensor d = dx.get(batch);
        be.binary(dendrite.tensor.op.BinaryOp.ADD, dxf.reshape(batch * steps, features), back,
                d.reshape(batch * steps, features));
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
