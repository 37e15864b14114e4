package dendrite.nn.layers;

import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;

import java.util.Locale;
import java.util.Map;

/**
 * The plain recurrent layer, PyTorch's {@code nn.RNN}: {@code h_t = act(x_t W_ih^T + b_ih + h_(t-1)
 * W_hh^T + b_hh)} with act tanh (the default) or ReLU. Layout and parameters as in
 * {@link Recurrent}.
 *
 * <p>Backward through one step: {@code dz = dh_t * act'(h_t)} (from the output alone), then
 * {@code dh_(t-1) = dz W_hh}; the products with the weights are gathered over all steps by
 * {@link Recurrent}. Gradients through many tanh steps shrink (or, with ReLU, can grow): the
 * reason LSTM and GRU exist.
 */
public final class SimpleRNN extends Recurrent {
    private final Activation nonlinearity;

    /**
     * A tanh RNN of {@code hidden} units returning the last step's state.
     *
     * @param hidden the hidden state's size, at least 1; the input size is taken from the previous layer
     */
    public SimpleRNN(int hidden) {
        this(-1, hidden, false, Activation.TANH);
    }

    /**
     * PyTorch's {@code nn.RNN(inputSize, hidden, nonlinearity, batch_first=True)}, one layer, one direction.
     *
     * @param inputSize       features per step, or -1 to take them from the previous layer
     * @param hidden          the hidden state's size
     * @param returnSequences every step's state ({@code [time, hidden]}) or the last one's
     * @param nonlinearity    {@link Activation#TANH} or {@link Activation#RELU}, as PyTorch offers
     * @throws IllegalArgumentException if {@code hidden} is below 1 or the nonlinearity is another
     */
    public SimpleRNN(int inputSize, int hidden, boolean returnSequences, Activation nonlinearity) {
        super(inputSize, hidden, 1, returnSequences);
        if (nonlinearity != Activation.TANH && nonlinearity != Activation.RELU) {
            throw new IllegalArgumentException("rnn: nonlinearity must be tanh or relu, as in PyTorch, got "
                    + nonlinearity.label());
        }
        this.nonlinearity = nonlinearity;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code hidden_size}, and optionally {@code input_size}, {@code nonlinearity}
     *          ({@code tanh}, the default, or {@code relu}), {@code return_sequences}, {@code mask_zero} and {@code stateful}
     * @return a new, unbuilt RNN
     * @throws IllegalArgumentException if {@code hidden_size} is missing or a value is invalid
     */
    public static SimpleRNN fromConfig(Map<String, ?> c) {
        String act = Configs.stringValue(c, "rnn", "nonlinearity", "tanh");
        if (!act.equals("tanh") && !act.equals("relu")) {
            throw new IllegalArgumentException("rnn: nonlinearity must be tanh or relu, got '" + act + "'");
        }
        return withOptions(new SimpleRNN(c.containsKey("input_size") ? Configs.intValue(c, "rnn", "input_size") : -1,
                Configs.intValue(c, "rnn", "hidden_size"), Configs.booleanValue(c, "rnn", "return_sequences", false),
                Activation.valueOf(act.toUpperCase(Locale.ROOT))), c);
    }

    @Override
    public String type() {
        return "rnn";
    }

    @Override
    protected void addConfig(Map<String, Object> c) {
        c.put("nonlinearity", nonlinearity.label());
    }

    @Override
    protected void stepForward(int t) {
        Tensor z = gate(0, t);
        be.gemm(false, true, 1f, state(t), weightHh(0), 1f, z);
        be.activation(nonlinearity, 0f, z, z);
        be.copy(z, state(t + 1));
    }

    @Override
    protected void stepBackward(int t, Tensor dh, Tensor dhPrev) {
        Tensor dz = dGate(0, t);
        be.activationBackward(nonlinearity, 0f, null, gate(0, t), dh, dz);
        be.gemm(false, false, 1f, dz, weightHh(0), 0f, dhPrev);
    }
}
