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
 * Several recurrent layers as one, PyTorch's {@code num_layers}: layer i reads every step of layer
 * i - 1 (both directions side by side when bidirectional), and its parameters are named as PyTorch
 * names them in one module ({@code weight_ih_l1}, {@code weight_ih_l1_reverse}, ...), so the state
 * dict of an {@code nn.LSTM(..., num_layers=2)} loads unchanged. The last layer returns every step or
 * the last, as asked.
 *
 * <p>Options beyond PyTorch's constructor arguments, set before building: {@link #dropout(double)}
 * (its {@code dropout}: in training, on the outputs of every layer but the last) and
 * {@link #stateful()} (each forward starts where the previous one ended; see {@link RecurrentLayer}).
 * States are PyTorch's {@code [num_layers * directions, batch, hidden]}. With padding skipped, every
 * layer skips the steps the first layer found to be padding, so that a real step whose input dropout
 * made all zeros is not taken for padding.
 */
public final class RecurrentStack implements RecurrentLayer {
    private final String cell;
    private final int inputSize;
    private final int hidden;
    private final int layers;
    private final boolean bidirectional;
    private final boolean returnSequences;
    private final boolean maskZero;
    private final List<RecurrentLayer> stack = new ArrayList<>();
    private final List<Shape> inputShapes = new ArrayList<>();
    private StackDropout dropout = new StackDropout(0);
    private boolean stateful;
    private Backend be;
    /** Per state name, every layer's final states and initial-state gradients as {@code [layers * dirs * B, hidden]}. */
    private BatchBuffer[] finals;
    private BatchBuffer[] gradients;

    /**
     * A stack of {@code layers} recurrent layers of one kind, each with {@code hidden} units per direction.
     *
     * @param cell            {@code lstm}, {@code gru} or {@code rnn} (tanh)
     * @param inputSize       features per step, or -1 to take them from the previous layer
     * @param hidden          each layer's hidden size (per direction)
     * @param layers          how many layers, at least 1
     * @param bidirectional   whether each layer runs both ways
     * @param returnSequences whether the last layer gives every step's state or the last one's
     * @param maskZero        whether all-zero steps are padding ({@link Recurrent#maskZeroSteps()})
     * @throws IllegalArgumentException if {@code layers} is below 1, {@code cell} is unknown or null, or
     *                                  {@code hidden} is below 1
     */
    public RecurrentStack(String cell, int inputSize, int hidden, int layers, boolean bidirectional,
            boolean returnSequences, boolean maskZero) {
        if (cell == null) {
            throw new IllegalArgumentException("recurrent stack: cell must be lstm, gru or rnn, got null");
        }
        if (layers < 1) {
            throw new IllegalArgumentException(cell + ": num_layers must be at least 1, got " + layers);
        }
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.layers = layers;
        this.bidirectional = bidirectional;
        this.returnSequences = returnSequences;
        this.maskZero = maskZero;
        for (int i = 0; i < layers; i++) {
            boolean sequences = i < layers - 1 || returnSequences;
            Recurrent r = switch (cell) {
                case "lstm" -> new LSTM(i == 0 ? inputSize : -1, hidden, sequences);
                case "gru" -> new GRU(i == 0 ? inputSize : -1, hidden, sequences);
                case "rnn" -> new SimpleRNN(i == 0 ? inputSize : -1, hidden, sequences, dendrite.tensor.op.Activation.TANH);
                default -> throw new IllegalArgumentException("recurrent stack: cell must be lstm, gru or rnn, got '"
                        + cell + "'");
            };
            if (maskZero) {
                r.maskZeroSteps();
            }
            r.stackIndex(i);
            stack.add(bidirectional ? new Bidirectional(r) : r);
        }
    }

    /**
     * PyTorch's {@code dropout}: in training, each layer's output but the last one's goes through inverted
     * dropout of probability {@code p} on its way to the next layer; evaluation is unaffected. The masks are
     * seeded by the layer's seed and a pass counter, its {@link #randomState()}. Call before building.
     *
     * @param p the probability of dropping a value, in [0, 1); 0 (the default) for none
     * @return this stack, for chaining
     * @throws IllegalArgumentException if {@code p} is outside [0, 1), or above 0 with a single layer (where
     *                                  it would have no effect)
     */
    public RecurrentStack dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(cell + " stack: dropout must be in [0, 1), got " + p);
        }
        if (p > 0 && layers < 2) {
            throw new IllegalArgumentException(cell + " stack: dropout " + p + " acts between stacked layers, so it needs"
                    + " at least 2 layers, got " + layers);
        }
        dropout = new StackDropout(p);
        return this;
    }

    /**
     * The dropout between layers.
     *
     * @return the probability given to {@link #dropout(double)}, 0 for none
     */
    public double dropoutProbability() {
        return dropout.p();
    }

    /**
     * Makes every layer stateful: each forward starts from the states the previous one ended in (see
     * {@link RecurrentLayer}). Call before building.
     *
     * @return this stack, for chaining
     * @throws IllegalArgumentException for a bidirectional stack (see {@link Bidirectional})
     */
    public RecurrentStack stateful() {
        if (bidirectional) {
            throw new IllegalArgumentException(cell + " stack: a bidirectional stack cannot be stateful: the reverse"
                    + " direction would start each batch from the state it ended the previous batch in, the earlier part of"
                    + " the series");
        }
        for (RecurrentLayer l : stack) {
            ((Recurrent) l).stateful();
        }
        stateful = true;
        return this;
    }

    @Override
    public boolean isStateful() {
        return stateful;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code hidden_size} and {@code num_layers}, and optionally {@code cell} (default
     *          {@code lstm}), {@code input_size}, {@code bidirectional}, {@code return_sequences},
     *          {@code mask_zero}, {@code stateful} (these four default false) and {@code dropout} (default 0)
     * @return a new, unbuilt stack
     * @throws IllegalArgumentException if a required key is missing or a value is invalid
     */
    public static RecurrentStack fromConfig(Map<String, ?> c) {
        String t = "recurrent_stack";
        RecurrentStack s = new RecurrentStack(Configs.stringValue(c, t, "cell", "lstm"),
                c.containsKey("input_size") ? Configs.intValue(c, t, "input_size") : -1, Configs.intValue(c, t, "hidden_size"),
                Configs.intValue(c, t, "num_layers"), Configs.booleanValue(c, t, "bidirectional", false),
                Configs.booleanValue(c, t, "return_sequences", false), Configs.booleanValue(c, t, "mask_zero", false));
        s.dropout(Configs.doubleValue(c, t, "dropout", 0));
        if (Configs.booleanValue(c, t, "stateful", false)) {
            s.stateful();
        }
        return s;
    }

    @Override
    public String type() {
        return "recurrent_stack";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cell", cell);
        if (inputSize > 0) {
            c.put("input_size", inputSize);
        }
        c.put("hidden_size", hidden);
        c.put("num_layers", layers);
        c.put("bidirectional", bidirectional);
        c.put("return_sequences", returnSequences);
        if (maskZero) {
            c.put("mask_zero", true);
        }
        if (dropout.p() > 0) {
            c.put("dropout", (double) dropout.p());
        }
        if (stateful) {
            c.put("stateful", true);
        }
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (RecurrentLayer l : stack) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        Map<String, int[]> all = new LinkedHashMap<>();
        Shape s = in;
        for (RecurrentLayer l : stack) {
            all.putAll(l.stateShapes(s).orElseThrow());
            s = l.outputShape(s);
        }
        return Optional.of(all);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        inputShapes.clear();
        List<Shape> gaps = new ArrayList<>();
        Shape s = inputShape;
        for (int i = 0; i < stack.size(); i++) {
            inputShapes.add(s);
            stack.get(i).build(backend, s, seed + 0x9E3779B97F4A7C15L * i);
            s = stack.get(i).outputShape(s);
            if (i < stack.size() - 1) {
                gaps.add(s);
            }
        }
        dropout.build(backend, gaps, seed + 0x5851F42D4C957F2DL);
        if (maskZero) {
            PaddingMask first = direction(0, false).padding();
            for (int i = 1; i < stack.size(); i++) {
                direction(i, false).padding().follow(first, false);
                if (bidirectional) {
                    direction(i, true).padding().follow(first, true);
                }
            }
        }
        finals = new BatchBuffer[stateNames().size()];
        gradients = new BatchBuffer[stateNames().size()];
        for (int k = 0; k < finals.length; k++) {
            finals[k] = new BatchBuffer(backend, Shape.of(hidden));
            gradients[k] = new BatchBuffer(backend, Shape.of(hidden));
        }
    }

    /** Layer i's forward or reverse direction. */
    private Recurrent direction(int i, boolean reverse) {
        RecurrentLayer l = stack.get(i);
        if (l instanceof Bidirectional b) {
            return reverse ? b.reverseLayer() : b.forwardLayer();
        }
        return (Recurrent) l;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        dropout.begin(training);
        Tensor h = x;
        for (int i = 0; i < stack.size(); i++) {
            h = stack.get(i).forward(h, training);
            if (i < stack.size() - 1) {
                h = dropout.forward(i, h);
            }
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor d = dOut;
        for (int i = stack.size() - 1; i >= 0; i--) {
            if (i < stack.size() - 1) {
                d = dropout.backward(i, d);
            }
            d = stack.get(i).backward(d);
        }
        return d;
    }

    /** The dropout stream's seed and passes, when the stack drops out between layers; empty otherwise. */
    @Override
    public Map<String, Long> randomState() {
        return dropout.state();
    }

    @Override
    public void restoreRandomState(Map<String, Long> state) {
        dropout.restore(state);
    }

    @Override
    public List<String> stateNames() {
        return stack.get(0).stateNames();
    }

    /** Slices {@code [i * dirs, (i + 1) * dirs)} of each state start layer i (dirs: 2 when bidirectional, else 1). */
    @Override
    public void setInitialState(Tensor... state) {
        if (be == null) {
            throw new IllegalStateException(cell + " stack: build the layer before giving it an initial state");
        }
        int dirs = bidirectional ? 2 : 1;
        int b = InitialState.batchOf(cell + " stack", stateNames(), layers * dirs, hidden, be, state);
        if (b < 0) {
            resetState();
            return;
        }
        for (int i = 0; i < layers; i++) {
            stack.get(i).setInitialState(InitialState.slices(state, b, hidden, i * dirs, (i + 1) * dirs));
        }
    }

    @Override
    public List<Tensor> finalState() {
        List<List<Tensor>> each = new ArrayList<>();
        for (RecurrentLayer l : stack) {
            each.add(l.finalState());
        }
        return stacked(each, finals);
    }

    @Override
    public List<Tensor> initialStateGradient() {
        List<List<Tensor>> each = new ArrayList<>();
        for (RecurrentLayer l : stack) {
            each.add(l.initialStateGradient());
        }
        return stacked(each, gradients);
    }

    /** Per state, every layer's {@code [dirs, B, hidden]} one above the other: {@code [layers * dirs, B, hidden]}. */
    private List<Tensor> stacked(List<List<Tensor>> each, BatchBuffer[] into) {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < into.length; k++) {
            int slices = each.get(0).get(k).dim(0);
            int b = each.get(0).get(k).dim(1);
            Tensor all = into[k].get(layers * slices * b);
            for (int i = 0; i < layers; i++) {
                be.copy(each.get(i).get(k), all.rows(i * slices * b, (i + 1) * slices * b));
            }
            out.add(all.reshape(layers * slices, b, hidden));
        }
        return out;
    }

    @Override
    public void resetState() {
        for (RecurrentLayer l : stack) {
            l.resetState();
        }
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (RecurrentLayer l : stack) {
            p.addAll(l.parameters());
        }
        return p;
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (RecurrentLayer l : stack) {
            n += l.parameterCount();
        }
        return n;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        stack.get(0).setInputGradientNeeded(needed);
    }

    @Override
    public String toString() {
        return cell.toUpperCase(java.util.Locale.ROOT) + "(" + (inputSize > 0 ? inputSize + ", " : "") + hidden + ", layers "
                + layers + (bidirectional ? ", bidirectional" : "") + (returnSequences ? ", sequences" : "")
                + (dropout.p() > 0 ? ", dropout " + dropout.p() : "") + (stateful ? ", stateful" : "") + ")";
    }
}
