package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;

import java.util.Map;

/**
 * Gated recurrent unit, PyTorch's {@code nn.GRU} (one layer, {@code batch_first=True}), with its
 * gate order r, z, n and its formula for n (the reset gate multiplies the hidden part after its bias):
 * <pre>
 *   r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)         reset gate
 *   z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)         update gate
 *   n = tanh   (x W_in^T + b_in + r * (h W_hn^T + b_hn))   candidate
 *   h_t = (1 - z) * n + z * h_(t-1)
 * </pre>
 * Backward through one step, with dh = dL/dh_t and hn = h W_hn^T + b_hn kept from forward:
 * <pre>
 *   dz_n = dh * (1 - z) * (1 - n^2)
 *   dz_z = dh * (h_(t-1) - n) * z (1 - z)
 *   d(hn) = dz_n * r               (the candidate's hidden-part gradient)
 *   dz_r = dz_n * hn * r (1 - r)
 *   dh_(t-1) = dh * z + dz_r W_hr + dz_z W_hz + d(hn) W_hn
 * </pre>
 */
public final class GRU extends Recurrent {
    private static final int R = 0;
    private static final int Z = 1;
    private static final int N = 2;

    /** h W_hn^T + b_hn per step, time-major. */
    private BatchBuffer hiddenCandidate;

    /**
     * A GRU of {@code hidden} units returning the last step's state.
     *
     * @param hidden the hidden state's size, at least 1; the input size is taken from the previous layer
     */
    public GRU(int hidden) {
        this(-1, hidden, false);
    }

    /**
     * PyTorch's {@code nn.GRU(inputSize, hidden, batch_first=True)}, one layer, one direction.
     *
     * @param inputSize       features per step, or -1 to take them from the previous layer
     * @param hidden          the hidden state's size
     * @param returnSequences every step's state ({@code [time, hidden]}) or the last one's
     * @throws IllegalArgumentException if {@code hidden} is below 1
     */
    public GRU(int inputSize, int hidden, boolean returnSequences) {
        super(inputSize, hidden, 3, returnSequences);
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code hidden_size}, and optionally {@code input_size}, {@code return_sequences},
     *          {@code mask_zero} and {@code stateful} (all three default false)
     * @return a new, unbuilt GRU
     * @throws IllegalArgumentException if {@code hidden_size} is missing or a value is invalid
     */
    public static GRU fromConfig(Map<String, ?> c) {
        return withOptions(new GRU(c.containsKey("input_size") ? Configs.intValue(c, "gru", "input_size") : -1,
                Configs.intValue(c, "gru", "hidden_size"), Configs.booleanValue(c, "gru", "return_sequences", false)), c);
    }

    @Override
    public String type() {
        return "gru";
    }

    @Override
    protected boolean foldsHiddenBias(int k) {
        return k != N;
    }

    @Override
    protected boolean separateHiddenGradient(int k) {
        return k == N;
    }

    @Override
    protected void allocateCellBuffers(Backend backend) {
        hiddenCandidate = new BatchBuffer(backend, Shape.of(hidden));
    }

    @Override
    protected void stepForward(int t) {
        Tensor h = state(t);
        Tensor r = gate(R, t);
        Tensor z = gate(Z, t);
        Tensor n = gate(N, t);
        be.gemm(false, true, 1f, h, weightHh(R), 1f, r);
        be.gemm(false, true, 1f, h, weightHh(Z), 1f, z);
        be.activation(Activation.SIGMOID, 0f, r, r);
        be.activation(Activation.SIGMOID, 0f, z, z);
        Tensor hn = step(hiddenCandidate, t);
        be.linear(h, weightHh(N), biasHh(N), null, 0f, hn);
        Tensor tmp = scratch();
        be.binary(BinaryOp.MUL, r, hn, tmp);
        be.binary(BinaryOp.ADD, n, tmp, n);
        be.activation(Activation.TANH, 0f, n, n);
        be.binary(BinaryOp.SUB, h, n, tmp);                 // h_t = n + z * (h_(t-1) - n)
        be.binary(BinaryOp.MUL, z, tmp, tmp);
        be.binary(BinaryOp.ADD, n, tmp, state(t + 1));
    }

    @Override
    protected void stepBackward(int t, Tensor dh, Tensor dhPrev) {
        Tensor h = state(t);
        Tensor r = gate(R, t);
        Tensor z = gate(Z, t);
        Tensor n = gate(N, t);
        Tensor hn = step(hiddenCandidate, t);
        Tensor tmp = scratch();

        be.binary(BinaryOp.MUL, dh, z, dhPrev);             // the direct path: dh * z
        Tensor dzn = dGate(N, t);
        be.binary(BinaryOp.SUB, dh, dhPrev, dzn);           // dh * (1 - z)
        be.activationBackward(Activation.TANH, 0f, null, n, dzn, dzn);
        Tensor dzz = dGate(Z, t);
        be.binary(BinaryOp.SUB, h, n, tmp);
        be.binary(BinaryOp.MUL, dh, tmp, dzz);
        be.activationBackward(Activation.SIGMOID, 0f, null, z, dzz, dzz);
        Tensor dhn = dGateHidden(N, t);
        be.binary(BinaryOp.MUL, dzn, r, dhn);
        Tensor dzr = dGate(R, t);
        be.binary(BinaryOp.MUL, dzn, hn, dzr);
        be.activationBackward(Activation.SIGMOID, 0f, null, r, dzr, dzr);
        be.gemm(false, false, 1f, dzr, weightHh(R), 1f, dhPrev);
        be.gemm(false, false, 1f, dzz, weightHh(Z), 1f, dhPrev);
        be.gemm(false, false, 1f, dhn, weightHh(N), 1f, dhPrev);
    }
}
