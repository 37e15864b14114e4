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
 */
public final class RecurrentStack implements Layer {
    private final String cell;
    private final int inputSize;
    private final int hidden;
    private final int layers;
    private final boolean bidirectional;
    private final boolean returnSequences;
    private final boolean maskZero;
    private final List<Layer> stack = new ArrayList<>();
    private final List<Shape> inputShapes = new ArrayList<>();

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
     * @throws IllegalArgumentException if {@code layers} is below 1, {@code cell} is unknown or {@code hidden}
     *                                  is below 1
     */
    public RecurrentStack(String cell, int inputSize, int hidden, int layers, boolean bidirectional,
            boolean returnSequences, boolean maskZero) {
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
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code hidden_size} and {@code num_layers}, and optionally {@code cell} (default
     *          {@code lstm}), {@code input_size}, {@code bidirectional}, {@code return_sequences} and
     *          {@code mask_zero} (all three default false)
     * @return a new, unbuilt stack
     * @throws IllegalArgumentException if a required key is missing or a value is invalid
     */
    public static RecurrentStack fromConfig(Map<String, ?> c) {
        String t = "recurrent_stack";
        return new RecurrentStack(Configs.stringValue(c, t, "cell", "lstm"),
                c.containsKey("input_size") ? Configs.intValue(c, t, "input_size") : -1, Configs.intValue(c, t, "hidden_size"),
                Configs.intValue(c, t, "num_layers"), Configs.booleanValue(c, t, "bidirectional", false),
                Configs.booleanValue(c, t, "return_sequences", false), Configs.booleanValue(c, t, "mask_zero", false));
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
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : stack) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        Map<String, int[]> all = new LinkedHashMap<>();
        Shape s = in;
        for (Layer l : stack) {
            all.putAll(l.stateShapes(s).orElseThrow());
            s = l.outputShape(s);
        }
        return Optional.of(all);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        inputShapes.clear();
        Shape s = inputShape;
        for (int i = 0; i < stack.size(); i++) {
            inputShapes.add(s);
            stack.get(i).build(backend, s, seed + 0x9E3779B97F4A7C15L * i);
            s = stack.get(i).outputShape(s);
        }
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor h = x;
        for (Layer l : stack) {
            h = l.forward(h, training);
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor d = dOut;
        for (int i = stack.size() - 1; i >= 0; i--) {
            d = stack.get(i).backward(d);
        }
        return d;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (Layer l : stack) {
            p.addAll(l.parameters());
        }
        return p;
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (Layer l : stack) {
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
                + layers + (bidirectional ? ", bidirectional" : "") + (returnSequences ? ", sequences" : "") + ")";
    }
}
