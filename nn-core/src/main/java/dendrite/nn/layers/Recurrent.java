package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.ReduceOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link SimpleRNN}, {@link GRU} and {@link LSTM} share: PyTorch's parameters and layout, the
 * input projections done for all time steps at once, and the weight gradients gathered after
 * backpropagation through time. A subclass writes only its cell: one time step forward, and one
 * step backward.
 *
 * <h2>Layout, as PyTorch's {@code batch_first=True}</h2>
 * Input {@code [batch, time, features]}; output {@code [batch, time, hidden]} with
 * {@code returnSequences}, else the last step's {@code [batch, hidden]}. Parameters
 * {@code weight_ih_l0 [gates * hidden, features]}, {@code weight_hh_l0 [gates * hidden, hidden]},
 * {@code bias_ih_l0} and {@code bias_hh_l0 [gates * hidden]}, the gates stacked in PyTorch's order,
 * so a state dict interchanges with {@code nn.RNN}/{@code nn.GRU}/{@code nn.LSTM} unchanged. They
 * start uniform in {@code [-1/sqrt(hidden), 1/sqrt(hidden)]}, as PyTorch's do.
 *
 * <h2>Initial and final state</h2>
 * A forward starts from zero, from a state given with {@link #setInitialState} (PyTorch's
 * {@code h_0}, {@code c_0}), or, in a {@link #stateful()} layer, from where the previous forward ended
 * (see {@link RecurrentLayer}); {@link #finalState()} is PyTorch's {@code h_n} ({@code c_n}), and
 * backward leaves dL/d(initial state) in {@link #initialStateGradient()}: it is the gradient that
 * reaches h_(-1) at the end of backpropagation through time, computed anyway.
 *
 * <h2>How a step is computed</h2>
 * The batch is first copied to time-major order ({@code [time * batch, features]}), so that the
 * rows of one time step are contiguous and each gate's block of rows in the weights is a plain
 * view. Then:
 * <ol>
 *   <li>forward: for each gate k, {@code Z_k = X W_ih_k^T + b_ih_k (+ b_hh_k)} for every step in one
 *       matrix product; then step by step, the cell adds {@code h_(t-1) W_hh_k^T} to its rows of
 *       {@code Z_k} and applies the gate's activation in place, keeping every step's gates and
 *       states for backward;</li>
 *   <li>backward: step by step from the last, the cell turns dL/dh_t (from the output and from step
 *       t+1) into each gate's pre-activation gradient, dL/dh_(t-1) and whatever it carries (an
 *       LSTM's cell state); then, for all steps at once, {@code dW_ih_k = dZ_k^T X},
 *       {@code dW_hh_k = dZh_k^T H_prev}, the biases' sums and {@code dX = sum_k dZ_k W_ih_k}.</li>
 * </ol>
 * {@code dZh_k} is {@code dZ_k} except for a GRU's candidate gate, whose hidden part sits inside
 * the reset gate's product.
 *
 * <h2>Padded batches</h2>
 * With {@link #maskZeroSteps()}, a step whose input is all zeros (padding, which an
 * {@link Embedding} with a padding index gives) is skipped: the state goes through it unchanged
 * ({@code h_t = h_(t-1) + m_t (h'_t - h_(t-1))} with m_t 0 or 1), its output is zero, and no
 * gradient reaches the weights or the input from it, as PyTorch computes a packed sequence. The last
 * step's output is then the state after each sample's last real step.
 */
public abstract class Recurrent implements RecurrentLayer {
    /** The hidden size. */
    protected final int hidden;
    /** Gates stacked in the weights: 1 (RNN), 3 (GRU), 4 (LSTM). */
    protected final int gates;
    private final boolean returnSequences;
    private int inputSize;
    private boolean maskZero;
    private boolean stateful;
    /** Appended to the parameter names: "_reverse" for a bidirectional layer's backward direction. */
    private String nameSuffix = "";
    /** The layer's place in a stack ({@link RecurrentStack}), in its parameter names: weight_ih_l1. */
    private int layerIndex;

    /** The backend, set by {@link #build}. */
    protected Backend be;
    private Parameter weightIh;
    private Parameter weightHh;
    private Parameter biasIh;
    private Parameter biasHh;
    /** {@code [gates * hidden]}: per gate b_ih_k + b_hh_k, or b_ih_k alone where the cell keeps b_hh_k apart. */
    private Tensor projectionBias;

    /** Per gate, time-major {@code [T * B, hidden]}: pre-activations, then the gate's values in place. */
    protected BatchBuffer[] gate;
    /** Per gate, time-major: dL/d(pre-activation) of the input part. */
    protected BatchBuffer[] dGate;
    /** Per gate, time-major: dL/d(pre-activation) of the hidden part; {@link #dGate} where they agree. */
    protected BatchBuffer[] dGateHidden;
    /** Time-major {@code [(T + 1) * B, hidden]}: h_(-1) = 0, then h_0 ... h_(T-1). */
    protected BatchBuffer states;
    /** {@code [B, hidden]} scratch for the cells. */
    protected BatchBuffer scratch;
    private BatchBuffer timeMajorInput;
    private BatchBuffer out;
    private BatchBuffer dStates;
    private BatchBuffer dh;
    private BatchBuffer dhNext;
    private BatchBuffer dTimeMajorInput;
    private BatchBuffer dx;
    /** Which steps are padding (with {@link #maskZeroSteps()}). */
    private PaddingMask padding;
    private BatchBuffer maskedOutput;
    private BatchBuffer dhCell;
    private BatchBuffer dhPass;
    private boolean anyMasked;
    /** Where the next forward starts: zero, given, or carried over (stateful). */
    private InitialState initial;
    /** Per state name, its view at one step: reused so that a forward allocates no array. */
    private Tensor[] stateViews;
    private boolean forwardDone;
    private boolean backwardDone;

    private int batch;
    private int steps;
    /** Row views made once and reused (see {@link RowBlocks}), by what they cut. */
    private final java.util.IdentityHashMap<Object, RowBlocks> blocks = new java.util.IdentityHashMap<>();
    private final ViewCache inputView = new ViewCache();
    private final ViewCache outputView = new ViewCache();
    private final ViewCache dOutView = new ViewCache();
    private final ViewCache dxView = new ViewCache();
    private int permutedBatch;
    private int permutedSteps;
    private int[] toTimeMajor = new int[0];
    private int[] toBatchMajor = new int[0];
    private boolean inputGradientNeeded = true;

    /**
     * Creates the shared part of a recurrent layer; the subclass fixes the number of gates.
     *
     * @param inputSize       features per step, or -1 to take them from the previous layer
     * @param hidden          the hidden state's size, at least 1
     * @param gates           gates stacked in the weights
     * @param returnSequences whether the output is every step's hidden state or only the last one's
     * @throws IllegalArgumentException if {@code hidden} is below 1
     */
    protected Recurrent(int inputSize, int hidden, int gates, boolean returnSequences) {
        if (hidden <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ": hidden size must be positive, got " + hidden);
        }
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gates = gates;
        this.returnSequences = returnSequences;
    }

    /**
     * Treats steps whose input is all zeros as padding, skipped (see the class comment); for batches of
     * sequences of different lengths padded with zeros. Returns this layer; call before building.
     *
     * @return this layer, for chaining
     */
    public Recurrent maskZeroSteps() {
        this.maskZero = true;
        return this;
    }

    /**
     * Makes each forward start from the state the previous forward ended in (Keras' {@code stateful=True}),
     * for training on a long series in consecutive batches (see {@link RecurrentLayer}). Returns this
     * layer; call before building.
     *
     * @return this layer, for chaining
     */
    public Recurrent stateful() {
        this.stateful = true;
        return this;
    }

    @Override
    public boolean isStateful() {
        return stateful;
    }

    /** Reads the options every recurrent layer's config shares ({@code mask_zero}, {@code stateful}) into {@code layer}. */
    static <R extends Recurrent> R withOptions(R layer, Map<String, ?> c) {
        if (Configs.booleanValue(c, layer.type(), "mask_zero", false)) {
            layer.maskZeroSteps();
        }
        if (Configs.booleanValue(c, layer.type(), "stateful", false)) {
            layer.stateful();
        }
        return layer;
    }

    /** Names this layer's parameters as PyTorch names a bidirectional layer's reverse direction. */
    void reverseDirectionNames() {
        nameSuffix = "_reverse";
    }

    /** Names this layer's parameters as PyTorch names layer {@code index} of a multi-layer module. */
    void stackIndex(int index) {
        layerIndex = index;
    }

    int stackIndex() {
        return layerIndex;
    }

    private String name(String base) {
        return base + "_l" + layerIndex + nameSuffix;
    }

    /** The layer's name in messages: its type, and its place when it is part of a stack or the reverse direction. */
    private String label() {
        return type() + (layerIndex > 0 || !nameSuffix.isEmpty() ? " (l" + layerIndex + nameSuffix + ")" : "");
    }

    /** The padding this layer found in its last batch; built layers only. */
    PaddingMask padding() {
        return padding;
    }

    /**
     * Whether all-zero steps are skipped as padding.
     *
     * @return {@code true} once {@link #maskZeroSteps()} was called
     */
    public boolean masksZeroSteps() {
        return maskZero;
    }

    /**
     * Step t's mask {@code [B, 1]} (1 real, 0 padding), or null when no step of the batch is padding.
     *
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @return a view of the mask's rows for step t, valid until the next forward, or {@code null}
     */
    protected final Tensor mask(int t) {
        return anyMasked ? block(padding, padding.tensor(steps * batch), steps, t) : null;
    }

    /**
     * After step t's forward, with padding in the batch: whatever the cell carries besides h (an
     * LSTM's cell state) goes through padded steps unchanged, as h does. {@code m} is step t's mask.
     *
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @param m step t's mask {@code [B, 1]}, 1 for a real step and 0 for padding (never {@code null} here)
     */
    protected void carryThroughPadding(int t, Tensor m) {
    }

    /**
     * {@code next = prev + m (next - prev)}: next where m is 1, prev where it is 0.
     *
     * @param prev the value before the step {@code [B, n]}; left unchanged
     * @param next the value after the step {@code [B, n]}, overwritten with the masked blend; neither it nor
     *             {@code prev} may be {@link #scratch()}, which this method uses
     * @param m    the step's mask {@code [B, 1]}, 1 for a real step and 0 for padding
     */
    protected final void keepWhereMasked(Tensor prev, Tensor next, Tensor m) {
        Tensor tmp = scratch();
        be.binary(dendrite.tensor.op.BinaryOp.SUB, next, prev, tmp);
        be.binary(dendrite.tensor.op.BinaryOp.MUL, tmp, m, tmp);
        be.binary(dendrite.tensor.op.BinaryOp.ADD, prev, tmp, next);
    }

    /**
     * Whether the cell adds {@code b_hh_k} with {@code b_ih_k} into the input projection (all but a GRU's candidate).
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @return {@code true} (the default) to fold the hidden bias into the projection, {@code false} when the
     *         cell adds it itself
     */
    protected boolean foldsHiddenBias(int k) {
        return true;
    }

    /**
     * Whether gate k's hidden-part gradient differs from its input-part gradient (a GRU's candidate).
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @return {@code true} when the cell writes {@link #dGateHidden(int, int)} apart; {@code false} (the default)
     *         when it is the same as {@link #dGate(int, int)}
     */
    protected boolean separateHiddenGradient(int k) {
        return false;
    }

    /**
     * Allocates what the cell keeps beyond the gates and states, for {@code rows = T * B} and {@code B}.
     *
     * @param backend the backend the layer is being built on (also in {@link #be})
     */
    protected void allocateCellBuffers(Backend backend) {
    }

    /**
     * One step forward: {@code gate(k, t)} holds {@code x_t W_ih_k^T + bias}; the cell adds the
     * hidden part, applies its activations, and writes h_t into {@code state(t + 1)}.
     *
     * @param t the time step, from 0 to {@link #steps()} - 1
     */
    protected abstract void stepForward(int t);

    /**
     * One step backward: {@code dh} is dL/dh_t in full; the cell writes each gate's
     * {@code dGate(k, t)} (and {@code dGateHidden(k, t)} where separate), dL/dh_(t-1) into
     * {@code dhPrev}, and updates what it carries itself.
     *
     * @param t      the time step, from {@link #steps()} - 1 down to 0
     * @param dh     dL/dh_t {@code [B, hidden]}, from the output and from step t + 1
     * @param dhPrev where the cell writes dL/dh_(t-1) {@code [B, hidden]}
     */
    protected abstract void stepBackward(int t, Tensor dh, Tensor dhPrev);

    /** Called before the backward steps, to reset what the cell carries between them. */
    protected void startBackward() {
    }

    /**
     * State {@code k} of {@link #stateNames()} before step t: {@code h} is {@link #state(int)}; a cell that
     * carries more (an LSTM's {@code c}) overrides this for its own.
     *
     * @param k the state's index in {@link #stateNames()}
     * @param t the step, from 0 (the initial state) to {@link #steps()} (the final one)
     * @return a view {@code [B, hidden]}
     */
    protected Tensor carriedState(int k, int t) {
        return state(t);
    }

    /**
     * After backward, dL/d(state {@code k} before step 0): {@code h}'s is what the time loop leaves; a cell
     * that carries more overrides this for its own.
     *
     * @param k the state's index in {@link #stateNames()}
     * @return a view {@code [B, hidden]}, valid until the next backward
     */
    protected Tensor carriedStateGradient(int k) {
        return dhNext.get(batch);
    }

    @Override
    public List<String> stateNames() {
        return List.of("h");
    }

    @Override
    public void setInitialState(Tensor... state) {
        if (be == null) {
            throw new IllegalStateException(label() + ": build the layer before giving it an initial state");
        }
        int b = InitialState.batchOf(label(), stateNames(), 1, hidden, be, state);
        if (b < 0) {
            initial.clear();
            return;
        }
        Tensor[] rows = new Tensor[state.length];
        for (int k = 0; k < state.length; k++) {
            rows[k] = state[k].reshape(b, hidden);
        }
        initial.give(rows, b);
    }

    @Override
    public void resetState() {
        if (initial != null) {
            initial.clear();
        }
    }

    @Override
    public List<Tensor> finalState() {
        if (!forwardDone) {
            throw new IllegalStateException(label() + ": no final state before a forward");
        }
        List<Tensor> out = new ArrayList<>(stateViews.length);
        for (int k = 0; k < stateViews.length; k++) {
            out.add(carriedState(k, steps).reshape(1, batch, hidden));
        }
        return out;
    }

    @Override
    public List<Tensor> initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException(label() + ": no initial state gradient before a backward");
        }
        List<Tensor> out = new ArrayList<>(stateViews.length);
        for (int k = 0; k < stateViews.length; k++) {
            out.add(carriedStateGradient(k).reshape(1, batch, hidden));
        }
        return out;
    }

    /** Every state's view before step t, in {@link #stateViews}. */
    private Tensor[] statesAt(int t) {
        for (int k = 0; k < stateViews.length; k++) {
            stateViews[k] = carriedState(k, t);
        }
        return stateViews;
    }

    /**
     * The registry name's options beyond sizes and returnSequences; none by default.
     *
     * @param c the config being written by {@link #config()}, to which the cell adds its own entries
     */
    protected void addConfig(Map<String, Object> c) {
    }

    /**
     * Rows of time step t in a time-major buffer of {@code [T * B, ...]}.
     *
     * @param buffer a time-major buffer with {@code T * B} rows for the last forward's batch
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @return a view of its {@code B} rows for step t
     */
    protected final Tensor step(BatchBuffer buffer, int t) {
        return block(buffer, buffer.get(steps * batch), steps, t);
    }

    /**
     * h_(t-1) for t = 0 ... T: {@code state(0)} is the zero initial state.
     *
     * @param t the state's index, from 0 (the initial state) to {@link #steps()} (the last step's)
     * @return a view {@code [B, hidden]} of that state
     */
    protected final Tensor state(int t) {
        return block(states, states.get((steps + 1) * batch), steps + 1, t);
    }

    /**
     * Block i of {@code tensor}'s rows cut into {@code count}, a view made once per tensor and count.
     *
     * @param key    the identity the views are cached under, usually the buffer or tensor being cut
     * @param tensor the tensor whose rows are cut; its row count must be divisible by {@code count}
     * @param count  the number of equal blocks, at least 1
     * @param i      the block's index, from 0 to {@code count - 1}
     * @return a view of block i's rows
     */
    protected final Tensor block(Object key, Tensor tensor, int count, int i) {
        RowBlocks b = blocks.get(key);
        if (b == null) {
            b = new RowBlocks();
            blocks.put(key, b);
        }
        return b.of(tensor, count, i);
    }

    /** Gate k's rows of a stacked parameter tensor ({@code [gates * hidden, ...]}). */
    private Tensor gateRows(Tensor stacked, int k) {
        return block(stacked, stacked, gates, k);
    }

    /**
     * Gate k's values at step t.
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @return a view {@code [B, hidden]}: the pre-activation, then, once the cell applied it, the gate's value
     */
    protected final Tensor gate(int k, int t) {
        return step(gate[k], t);
    }

    /**
     * Gate k's input-part pre-activation gradient at step t.
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @return a view {@code [B, hidden]} for the cell to write in {@link #stepBackward}
     */
    protected final Tensor dGate(int k, int t) {
        return step(dGate[k], t);
    }

    /**
     * Gate k's hidden-part pre-activation gradient at step t.
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @param t the time step, from 0 to {@link #steps()} - 1
     * @return a view {@code [B, hidden]}, the same as {@link #dGate(int, int)}'s unless
     *         {@link #separateHiddenGradient(int)} says otherwise
     */
    protected final Tensor dGateHidden(int k, int t) {
        return step(dGateHidden[k], t);
    }

    /**
     * Gate k's rows of {@code weight_hh_l0}: {@code [hidden, hidden]}.
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @return a view of the live parameter's rows
     */
    protected final Tensor weightHh(int k) {
        return gateRows(weightHh.value(), k);
    }

    /**
     * Gate k's part of {@code bias_hh_l0}.
     *
     * @param k the gate's index, from 0 to {@code gates - 1}, in PyTorch's order
     * @return a view {@code [hidden]} of the live parameter
     */
    protected final Tensor biasHh(int k) {
        return gateRows(biasHh.value(), k);
    }

    /**
     * {@code [B, hidden]} scratch.
     *
     * @return a layer-owned buffer for the current batch, shared by every use of scratch (including
     *         {@link #keepWhereMasked})
     */
    protected final Tensor scratch() {
        return scratch.get(batch);
    }

    /**
     * Samples in the last forward's batch.
     *
     * @return the batch size {@code B}
     */
    protected final int batch() {
        return batch;
    }

    /**
     * Time steps of the last forward.
     *
     * @return the number of steps {@code T}
     */
    protected final int steps() {
        return steps;
    }

    /**
     * The hidden state's size.
     *
     * @return the number of hidden units, at least 1
     */
    public int hidden() {
        return hidden;
    }

    /**
     * Whether the output is every step's state or only the last one's.
     *
     * @return {@code true} for {@code [time, hidden]} outputs, {@code false} for {@code [hidden]}
     */
    public boolean returnSequences() {
        return returnSequences;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (inputSize > 0) {
            c.put("input_size", inputSize);
        }
        c.put("hidden_size", hidden);
        c.put("return_sequences", returnSequences);
        if (maskZero) {
            c.put("mask_zero", true);
        }
        if (stateful) {
            c.put("stateful", true);
        }
        addConfig(c);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException(inputSize > 0 ? "[time, " + inputSize + "]" : "[time, features]", in,
                    "give each sample as a sequence of feature vectors (an Embedding before it makes one of token ids)");
        }
        if (inputSize > 0 && in.dim(1) != inputSize) {
            throw new LayerShapeException("[time, " + inputSize + "]", in, "make this layer's input size "
                    + in.dim(1) + ", or change the previous layer to " + inputSize + " features");
        }
        return returnSequences ? Shape.of(in.dim(0), hidden) : Shape.of(hidden);
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put(name("weight_ih"), new int[] {gates * hidden, in.dim(1)});
        s.put(name("weight_hh"), new int[] {gates * hidden, hidden});
        s.put(name("bias_ih"), new int[] {gates * hidden});
        s.put(name("bias_hh"), new int[] {gates * hidden});
        return Optional.of(s);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        this.be = backend;
        this.inputSize = inputShape.dim(1);
        weightIh = new Parameter(name("weight_ih"), backend, Shape.of(gates * hidden, inputSize));
        weightHh = new Parameter(name("weight_hh"), backend, Shape.of(gates * hidden, hidden));
        biasIh = new Parameter(name("bias_ih"), backend, Shape.of(gates * hidden));
        biasHh = new Parameter(name("bias_hh"), backend, Shape.of(gates * hidden));
        float bound = (float) (1 / Math.sqrt(hidden));      // PyTorch: U(-1/sqrt(hidden), 1/sqrt(hidden)) for all four
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            backend.randomUniform(seed + 0x9E3779B97F4A7C15L * (i + 1), -bound, bound, ps.get(i).value());
        }
        Shape row = Shape.of(hidden);
        gate = new BatchBuffer[gates];
        dGate = new BatchBuffer[gates];
        dGateHidden = new BatchBuffer[gates];
        projectionBias = dendrite.tensor.Scope.unscoped(() -> backend.allocate(Shape.of(gates * hidden)));
        for (int k = 0; k < gates; k++) {
            gate[k] = new BatchBuffer(backend, row);
            dGate[k] = new BatchBuffer(backend, row);
            dGateHidden[k] = separateHiddenGradient(k) ? new BatchBuffer(backend, row) : dGate[k];
        }
        states = new BatchBuffer(backend, row);
        scratch = new BatchBuffer(backend, row);
        timeMajorInput = new BatchBuffer(backend, Shape.of(inputSize));
        out = new BatchBuffer(backend, outputShape(inputShape));
        dStates = new BatchBuffer(backend, row);
        dh = new BatchBuffer(backend, row);
        dhNext = new BatchBuffer(backend, row);
        dTimeMajorInput = new BatchBuffer(backend, Shape.of(inputSize));
        dx = new BatchBuffer(backend, inputShape);
        padding = new PaddingMask(backend);
        initial = new InitialState(label(), stateNames(), backend, hidden);
        stateViews = new Tensor[stateNames().size()];
        forwardDone = false;
        backwardDone = false;
        maskedOutput = new BatchBuffer(backend, row);
        dhCell = new BatchBuffer(backend, row);
        dhPass = new BatchBuffer(backend, row);
        allocateCellBuffers(backend);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        initial.check(x.dim(0));                             // before anything changes: refuses a batch the state does not fit
        batch = x.dim(0);
        steps = x.dim(1);
        permutations();
        Tensor xs = timeMajorInput.get(steps * batch);
        be.gatherRows(inputView.rows(x, batch * steps, inputSize), toTimeMajor, 0, xs);
        for (int k = 0; k < gates; k++) {
            Tensor bias = gateRows(projectionBias, k);
            Tensor bIh = gateRows(biasIh.value(), k);
            if (foldsHiddenBias(k)) {
                be.binary(dendrite.tensor.op.BinaryOp.ADD, bIh, biasHh(k), bias);
            } else {
                be.copy(bIh, bias);
            }
            be.linear(xs, gateRows(weightIh.value(), k), bias, null, 0f, gate[k].get(steps * batch));
        }
        anyMasked = maskZero && padding.find(xs, steps, batch, inputSize);
        forwardDone = false;
        backwardDone = false;
        initial.startFrom(statesAt(0));
        for (int t = 0; t < steps; t++) {
            stepForward(t);
            if (anyMasked) {
                Tensor m = mask(t);
                keepWhereMasked(state(t), state(t + 1), m);
                carryThroughPadding(t, m);
            }
        }
        if (stateful) {                                      // a copy: the next forward rewrites these buffers
            initial.carry(statesAt(steps), batch);
        }
        forwardDone = true;
        if (!returnSequences) {
            Tensor y = out.get(batch);
            be.copy(state(steps), y);
            return y;
        }
        Tensor y = out.get(batch);
        Tensor all = states.get((steps + 1) * batch);
        Tensor hs = statesAfterFirst(all);
        if (anyMasked) {                                     // padded steps output zero
            Tensor masked = maskedOutput.get(steps * batch);
            be.binary(dendrite.tensor.op.BinaryOp.MUL, hs, padding.tensor(steps * batch), masked);
            hs = masked;
        }
        be.gatherRows(hs, toBatchMajor, 0, outputView.rows(y, batch * steps, hidden));
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dHs = dStates.get(steps * batch);
        if (returnSequences) {
            be.gatherRows(dOutView.rows(dOut, batch * steps, hidden), toTimeMajor, 0, dHs);
            if (anyMasked) {
                be.binary(dendrite.tensor.op.BinaryOp.MUL, dHs, padding.tensor(steps * batch), dHs);
            }
        } else {
            be.fill(dHs, 0f);
            be.copy(dOut, block(dStates, dHs, steps, steps - 1));
        }
        Tensor dhT = dh.get(batch);
        Tensor dhPrev = dhNext.get(batch);
        be.fill(dhPrev, 0f);
        startBackward();
        for (int t = steps - 1; t >= 0; t--) {
            be.binary(dendrite.tensor.op.BinaryOp.ADD, block(dStates, dHs, steps, t), dhPrev, dhT);
            if (!anyMasked) {
                stepBackward(t, dhT, dhPrev);
                continue;
            }
            // A padded step passes dL/dh_t straight to h_(t-1); a real one through its cell.
            Tensor m = mask(t);
            Tensor cell = dhCell.get(batch);
            Tensor pass = dhPass.get(batch);
            be.binary(dendrite.tensor.op.BinaryOp.MUL, dhT, m, cell);
            be.binary(dendrite.tensor.op.BinaryOp.SUB, dhT, cell, pass);
            stepBackward(t, cell, dhPrev);
            be.binary(dendrite.tensor.op.BinaryOp.ADD, dhPrev, pass, dhPrev);
        }
        backwardDone = true;                                 // dhPrev now holds dL/dh_(-1)

        Tensor xs = timeMajorInput.get(steps * batch);
        Tensor hPrev = statesBeforeLast(states.get((steps + 1) * batch));
        int rows = steps * batch;
        for (int k = 0; k < gates; k++) {
            Tensor dz = dGate[k].get(rows);
            Tensor dzh = dGateHidden[k].get(rows);
            be.gemm(true, false, 1f, dz, xs, 0f, gateRows(weightIh.grad(), k));
            be.gemm(true, false, 1f, dzh, hPrev, 0f, gateRows(weightHh.grad(), k));
            be.reduce(ReduceOp.SUM, dz, 0, gateRows(biasIh.grad(), k));
            be.reduce(ReduceOp.SUM, dzh, 0, gateRows(biasHh.grad(), k));
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor dxs = dTimeMajorInput.get(rows);
        for (int k = 0; k < gates; k++) {
            be.gemm(false, false, 1f, dGate[k].get(rows), gateRows(weightIh.value(), k), k == 0 ? 0f : 1f, dxs);
        }
        Tensor d = dx.get(batch);
        be.gatherRows(dxs, toBatchMajor, 0, dxView.rows(d, batch * steps, inputSize));
        return d;
    }

    private Tensor afterFirstSource;
    private Tensor afterFirstView;
    private Tensor beforeLastSource;
    private Tensor beforeLastView;

    /** h_0 ... h_(T-1): the states buffer without the initial state, a view kept while the buffer lasts. */
    private Tensor statesAfterFirst(Tensor all) {
        if (all != afterFirstSource || !afterFirstView.isAlive() || afterFirstView.dim(0) != steps * batch) {
            afterFirstSource = all;
            afterFirstView = all.rows(batch, (steps + 1) * batch);
        }
        return afterFirstView;
    }

    /** h_(-1) ... h_(T-2): the state each step started from. */
    private Tensor statesBeforeLast(Tensor all) {
        if (all != beforeLastSource || !beforeLastView.isAlive() || beforeLastView.dim(0) != steps * batch) {
            beforeLastSource = all;
            beforeLastView = all.rows(0, steps * batch);
        }
        return beforeLastView;
    }

    /** Row indices between batch-major ({@code b * T + t}) and time-major ({@code t * B + b}) order. */
    private void permutations() {
        if (batch == permutedBatch && steps == permutedSteps) {
            return;
        }
        permutedBatch = batch;
        permutedSteps = steps;
        int n = batch * steps;
        toTimeMajor = new int[n];
        toBatchMajor = new int[n];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                toTimeMajor[t * batch + b] = b * steps + t;
                toBatchMajor[b * steps + t] = t * batch + b;
            }
        }
    }

    @Override
    public List<Parameter> parameters() {
        return weightIh == null ? List.of() : List.of(weightIh, weightHh, biasIh, biasHh);
    }

    @Override
    public long parameterCount() {
        return (long) gates * hidden * (Math.max(inputSize, 0) + hidden + 2);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + (inputSize > 0 ? inputSize + ", " : "") + hidden
                + (returnSequences ? ", sequences" : "") + ")";
    }
}
