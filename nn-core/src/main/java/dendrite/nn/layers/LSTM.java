package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;

import java.util.List;
import java.util.Map;

/**
 * Long short-term memory, PyTorch's {@code nn.LSTM} (one layer, {@code batch_first=True}), with its
 * gate order i, f, g, o:
 * <pre>
 *   i = sigmoid(x W_ii^T + b_ii + h W_hi^T + b_hi)      input gate
 *   f = sigmoid(x W_if^T + b_if + h W_hf^T + b_hf)      forget gate
 *   g = tanh   (x W_ig^T + b_ig + h W_hg^T + b_hg)      candidate
 *   o = sigmoid(x W_io^T + b_io + h W_ho^T + b_ho)      output gate
 *   c_t = f * c_(t-1) + i * g
 *   h_t = o * tanh(c_t)
 * </pre>
 * Backward through one step, with dh = dL/dh_t and dc_next = dL/dc_t from step t+1:
 * <pre>
 *   do = dh * tanh(c_t)                 dz_o = do * o (1 - o)
 *   dc = dh * o * (1 - tanh(c_t)^2) + dc_next
 *   di = dc * g    dz_i = di * i (1 - i)
 *   dg = dc * i    dz_g = dg * (1 - g^2)
 *   df = dc * c_(t-1)    dz_f = df * f (1 - f)
 *   dc_(t-1) = dc * f;   dh_(t-1) = sum_k dz_k W_hk
 * </pre>
 * The cell state is what carries gradients over many steps: along it they are multiplied by the
 * forget gate only, not by a weight matrix and a squashing derivative at every step.
 */
public final class LSTM extends Recurrent {
    private static final int I = 0;
    private static final int F = 1;
    private static final int G = 2;
    private static final int O = 3;

    /** c_(-1) (the initial cell state), then c_0 ... c_(T-1), time-major. */
    private BatchBuffer cells;
    /** tanh(c_t), time-major. */
    private BatchBuffer tanhCells;
    private BatchBuffer dc;
    private BatchBuffer dcNext;
    private BatchBuffer dcMasked;
    private BatchBuffer dcPass;

    /**
     * An LSTM of {@code hidden} units returning the last step's state.
     *
     * @param hidden the hidden (and cell) state's size, at least 1; the input size is taken from the previous layer
     */
    public LSTM(int hidden) {
        this(-1, hidden, false);
    }

    /**
     * PyTorch's {@code nn.LSTM(inputSize, hidden, batch_first=True)}, one layer, one direction.
     *
     * @param inputSize       features per step, or -1 to take them from the previous layer
     * @param hidden          the hidden (and cell) state's size
     * @param returnSequences every step's state ({@code [time, hidden]}) or the last one's
     * @throws IllegalArgumentException if {@code hidden} is below 1
     */
    public LSTM(int inputSize, int hidden, boolean returnSequences) {
        super(inputSize, hidden, 4, returnSequences);
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code hidden_size}, and optionally {@code input_size}, {@code return_sequences},
     *          {@code mask_zero} and {@code stateful} (all three default false)
     * @return a new, unbuilt LSTM
     * @throws IllegalArgumentException if {@code hidden_size} is missing or a value is invalid
     */
    public static LSTM fromConfig(Map<String, ?> c) {
        return withOptions(new LSTM(c.containsKey("input_size") ? Configs.intValue(c, "lstm", "input_size") : -1,
                Configs.intValue(c, "lstm", "hidden_size"), Configs.booleanValue(c, "lstm", "return_sequences", false)), c);
    }

    @Override
    public String type() {
        return "lstm";
    }

    @Override
    protected void allocateCellBuffers(Backend backend) {
        Shape row = Shape.of(hidden);
        cells = new BatchBuffer(backend, row);
        tanhCells = new BatchBuffer(backend, row);
        dc = new BatchBuffer(backend, row);
        dcNext = new BatchBuffer(backend, row);
        dcMasked = new BatchBuffer(backend, row);
        dcPass = new BatchBuffer(backend, row);
    }

    /** The hidden state, then the cell state, as PyTorch's {@code (h, c)}. */
    @Override
    public List<String> stateNames() {
        return List.of("h", "c");
    }

    @Override
    protected Tensor carriedState(int k, int t) {
        return k == 1 ? cell(t) : super.carriedState(k, t);
    }

    /** After backward, {@code dcNext} holds dL/dc_(-1). */
    @Override
    protected Tensor carriedStateGradient(int k) {
        return k == 1 ? dcNext.get(batch()) : super.carriedStateGradient(k);
    }

    /** The cell state goes through a padded step unchanged, as h does. */
    @Override
    protected void carryThroughPadding(int t, Tensor m) {
        keepWhereMasked(cell(t), cell(t + 1), m);
    }

    private Tensor cell(int t) {
        int b = batch();
        return block(cells, cells.get((steps() + 1) * b), steps() + 1, t);
    }

    @Override
    protected void stepForward(int t) {
        Tensor h = state(t);
        for (int k = 0; k < 4; k++) {
            be.gemm(false, true, 1f, h, weightHh(k), 1f, gate(k, t));
        }
        Tensor i = gate(I, t);
        Tensor f = gate(F, t);
        Tensor g = gate(G, t);
        Tensor o = gate(O, t);
        be.activation(Activation.SIGMOID, 0f, i, i);
        be.activation(Activation.SIGMOID, 0f, f, f);
        be.activation(Activation.TANH, 0f, g, g);
        be.activation(Activation.SIGMOID, 0f, o, o);
        Tensor c = cell(t + 1);
        Tensor ig = scratch();
        be.binary(BinaryOp.MUL, f, cell(t), c);
        be.binary(BinaryOp.MUL, i, g, ig);
        be.binary(BinaryOp.ADD, c, ig, c);
        Tensor tc = step(tanhCells, t);
        be.activation(Activation.TANH, 0f, c, tc);
        be.binary(BinaryOp.MUL, o, tc, state(t + 1));
    }

    @Override
    protected void startBackward() {
        be.fill(dcNext.get(batch()), 0f);
    }

    @Override
    protected void stepBackward(int t, Tensor dh, Tensor dhPrev) {
        Tensor i = gate(I, t);
        Tensor f = gate(F, t);
        Tensor g = gate(G, t);
        Tensor o = gate(O, t);
        Tensor tc = step(tanhCells, t);
        Tensor dcT = dc.get(batch());
        Tensor dcCarry = dcNext.get(batch());
        Tensor m = mask(t);
        Tensor dcIn = dcCarry;
        if (m != null) {                                     // a padded step passes dL/dc_t on unchanged
            dcIn = dcMasked.get(batch());
            be.binary(BinaryOp.MUL, dcCarry, m, dcIn);
            be.binary(BinaryOp.SUB, dcCarry, dcIn, dcPass.get(batch()));
        }

        Tensor dzo = dGate(O, t);
        be.binary(BinaryOp.MUL, dh, tc, dzo);
        be.activationBackward(Activation.SIGMOID, 0f, null, o, dzo, dzo);
        be.binary(BinaryOp.MUL, dh, o, dcT);
        be.activationBackward(Activation.TANH, 0f, null, tc, dcT, dcT);
        be.binary(BinaryOp.ADD, dcT, dcIn, dcT);
        Tensor dzi = dGate(I, t);
        be.binary(BinaryOp.MUL, dcT, g, dzi);
        be.activationBackward(Activation.SIGMOID, 0f, null, i, dzi, dzi);
        Tensor dzg = dGate(G, t);
        be.binary(BinaryOp.MUL, dcT, i, dzg);
        be.activationBackward(Activation.TANH, 0f, null, g, dzg, dzg);
        Tensor dzf = dGate(F, t);
        be.binary(BinaryOp.MUL, dcT, cell(t), dzf);
        be.activationBackward(Activation.SIGMOID, 0f, null, f, dzf, dzf);
        be.binary(BinaryOp.MUL, dcT, f, dcCarry);
        if (m != null) {
            be.binary(BinaryOp.ADD, dcCarry, dcPass.get(batch()), dcCarry);
        }
        for (int k = 0; k < 4; k++) {
            be.gemm(false, false, 1f, dGate(k, t), weightHh(k), k == 0 ? 0f : 1f, dhPrev);
        }
    }
}
