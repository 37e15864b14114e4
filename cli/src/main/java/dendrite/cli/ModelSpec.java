package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.layers.AvgPool1d;
import dendrite.nn.layers.AvgPool2d;
import dendrite.nn.layers.Conv1d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.MaxPool1d;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.Recurrent;
import dendrite.nn.layers.Upsample2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code --model}: a preset name or a stack of layers written out, the output layer added after it.
 *
 * <pre>
 *   mlp                      the --hidden and --activation layers (the default)
 *   cnn                      conv 32 3, relu, maxpool 2, conv 64 3, relu, maxpool 2, flatten, dense 128, relu
 *   cnn-bn                   cnn with batchnorm2d after each conv (whose bias it makes redundant, so none)
 *   "conv 16 3 pad same, relu, maxpool 2, flatten, dense 64, relu"
 * </pre>
 *
 * Layers are separated by commas; each is a name and its arguments, options as {@code word value}:
 * <ul>
 *   <li>{@code conv OUT K [stride S] [pad P|same] [dilation D] [groups G] [nobias]}</li>
 *   <li>{@code residual IN OUT [stride S]}: a residual block (two 3×3 convolutions with batch norm and the
 *       input added back; a 1×1 projection of the input when the channels or the stride change),
 *       see {@code Blocks.residual}</li>
 *   <li>{@code maxpool K [stride S] [pad P]}, {@code avgpool K [stride S] [pad P]}, {@code gap}
 *       (each channel's mean)</li>
 *   <li>{@code upsample2d S [nearest|bilinear]}: images S times as high and as wide, each pixel repeated
 *       (nearest, the default) or mixed from its neighbours (bilinear), as PyTorch's {@code nn.Upsample}</li>
 *   <li>{@code conv1d OUT K [options as conv]}, {@code maxpool1d K [stride S] [pad P]},
 *       {@code avgpool1d K [stride S] [pad P]}: over time, on {@code [channels, length]} samples;
 *       {@code transpose} swaps a sample's two axes, from the {@code [time, features]} of a series, an
 *       embedding or a recurrent layer to that layout</li>
 *   <li>{@code dense N}, {@code flatten}, {@code dropout P}, {@code batchnorm} (flat features),
 *       {@code batchnorm2d} (per channel of images), {@code groupnorm G} (G groups of channels)</li>
 *   <li>{@code lstm N [seq] [mask] [bi] [layers N [dropout P]]}, {@code gru N ...}, {@code rnn N ...}
 *       (recurrent layers on {@code [time, features]} samples; {@code seq} returns every step's state,
 *       for another recurrent layer after it; {@code mask} skips all-zero steps as padding; {@code bi}
 *       runs it both ways, as PyTorch's {@code bidirectional=True}; {@code layers N} stacks N, as its
 *       {@code num_layers}, and {@code dropout P} drops out between them in training, as its
 *       {@code dropout}), {@code embedding VOCAB DIM [pad ID]} (token ids to vectors)</li>
 *   <li>{@code relu}, {@code tanh}, {@code sigmoid}, {@code gelu} (exact, PyTorch's default),
 *       {@code gelu-tanh} (its tanh approximation), {@code silu} (x sigmoid(x)), {@code softplus},
 *       {@code elu [ALPHA]} (alpha 1 unless given), {@code selu} (the layer before it starts LeCun
 *       normal), {@code mish} (x tanh(softplus(x))), {@code hardswish} (x relu6(x + 3) / 6),
 *       {@code leaky-relu}, {@code prelu [CHANNELS]} (a learned negative slope, one or one per channel),
 *       {@code hardtanh [MIN MAX]} (x clamped to [-1, 1] unless given), {@code relu6} (clamped to [0, 6]),
 *       {@code rescaling SCALE [OFFSET]} (scale x + offset, Keras's Rescaling)</li>
 * </ul>
 * A dense layer of the class count (or the targets) always ends the model.
 */
final class ModelSpec {
    /** The preset CNN of the convolution issue: two conv blocks and a dense head. */
    static final String CNN = "conv 32 3, relu, maxpool 2, conv 64 3, relu, maxpool 2, flatten, dense 128, relu";
    /** The preset CNN with batch normalisation of each convolution's channels. */
    static final String CNN_BN = "conv 32 3 nobias, batchnorm2d, relu, maxpool 2, conv 64 3 nobias, batchnorm2d, relu,"
            + " maxpool 2, flatten, dense 128, relu";
    /** The preset recurrent models: one layer of 64 units, then the output layer. */
    static final String LSTM = "lstm 64";
    static final String GRU = "gru 64";
    private static final List<String> LAYERS = List.of("conv", "residual", "maxpool", "avgpool", "gap", "upsample2d",
            "dense", "flatten", "conv1d", "maxpool1d", "avgpool1d", "transpose", "lstm", "gru", "rnn", "embedding",
            "dropout", "dropout2d", "batchnorm", "batchnorm2d", "groupnorm", "relu", "tanh", "sigmoid", "gelu", "gelu-tanh",
            "silu", "softplus", "elu", "selu", "mish", "hardswish", "leaky-relu", "prelu", "hardtanh", "relu6",
            "rescaling");

    private ModelSpec() {
    }

    /** Whether {@code spec} asks for the MLP built from --hidden and --activation. */
    static boolean isMlp(String spec) {
        return spec == null || spec.trim().equalsIgnoreCase("mlp");
    }

    /** The layers {@code spec} names, each as a step adding it to a builder; checked before any data is read. */
    static List<Consumer<Sequential.Builder>> parse(String spec) {
        String name = spec.trim().toLowerCase(Locale.ROOT);
        String s = switch (name) {
            case "cnn" -> CNN;
            case "cnn-bn" -> CNN_BN;
            case "lstm" -> LSTM;
            case "gru" -> GRU;
            default -> spec.trim();
        };
        if (s.isEmpty()) {
            throw new BadInputException("--model is empty; give mlp, cnn, cnn-bn or layers such as \"conv 16 3, relu, flatten\"");
        }
        List<Consumer<Sequential.Builder>> steps = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            steps.add(layer(spec, part.trim()));
        }
        return steps;
    }

    private static Consumer<Sequential.Builder> layer(String spec, String text) {
        String[] w = text.toLowerCase(Locale.ROOT).split("\\s+");
        String name = w[0];
        try {
            return switch (name) {
                case "conv", "conv1d" -> conv(w);
                case "residual" -> residual(w);
                case "maxpool", "avgpool", "maxpool1d", "avgpool1d" -> pool(w);
                case "transpose" -> noArguments(w, Sequential.Builder::transpose);
                case "gap" -> noArguments(w, Sequential.Builder::globalAvgPool2d);
                case "upsample2d" -> {
                    int scale = number(w, 1, "scale");
                    Upsample2d.Mode mode = w.length > 2 ? Upsample2d.Mode.of(w[2]) : Upsample2d.Mode.NEAREST;
                    only(w, 3);
                    yield b -> b.upsample2d(scale, mode);
                }
                case "dense" -> {
                    int units = number(w, 1, "units");
                    only(w, 2);
                    yield b -> b.dense(units);
                }
                case "dropout" -> {
                    double p = Double.parseDouble(argument(w, 1, "probability"));
                    only(w, 2);
                    yield b -> b.dropout(p);
                }
                case "dropout2d" -> {
                    double p = Double.parseDouble(argument(w, 1, "probability"));
                    only(w, 2);
                    new dendrite.nn.layers.Dropout2d(p);                       // refuses a bad p now
                    yield b -> b.dropout2d(p);
                }
                case "lstm", "gru", "rnn" -> recurrent(w);
                case "embedding" -> {
                    int vocab = number(w, 1, "vocabulary size");
                    int dim = number(w, 2, "dimension");
                    int pad = -1;
                    if (w.length > 3) {
                        if (!w[3].equals("pad")) {
                            throw new BadInputException("--model: embedding option '" + w[3] + "' is unknown; known: pad");
                        }
                        pad = Integer.parseInt(argument(w, 4, "padding id"));
                        only(w, 5);
                    }
                    int p = pad;
                    new dendrite.nn.layers.Embedding(vocab, dim, p);          // refuses bad settings now
                    yield b -> b.embedding(vocab, dim, p);
                }
                case "flatten" -> noArguments(w, Sequential.Builder::flatten);
                case "batchnorm" -> noArguments(w, Sequential.Builder::batchNorm);
                case "batchnorm2d" -> noArguments(w, Sequential.Builder::batchNorm2d);
                case "groupnorm" -> {
                    int groups = number(w, 1, "groups");
                    only(w, 2);
                    new dendrite.nn.layers.GroupNorm(groups);                 // refuses a bad count now
                    yield b -> b.groupNorm(groups);
                }
                case "relu" -> noArguments(w, Sequential.Builder::relu);
                case "tanh" -> noArguments(w, Sequential.Builder::tanh);
                case "sigmoid" -> noArguments(w, Sequential.Builder::sigmoid);
                case "gelu" -> noArguments(w, Sequential.Builder::gelu);
                case "gelu-tanh" -> noArguments(w, b -> b.gelu(GELU.Approximate.TANH));
                case "silu" -> noArguments(w, Sequential.Builder::silu);
                case "softplus" -> noArguments(w, Sequential.Builder::softplus);
                case "elu" -> {
                    float alpha = w.length > 1 ? Float.parseFloat(w[1]) : 1f;
                    only(w, 2);
                    new dendrite.nn.layers.ELU(alpha);                        // refuses a bad alpha now
                    yield b -> b.elu(alpha);
                }
                case "selu" -> noArguments(w, Sequential.Builder::selu);
                case "mish" -> noArguments(w, Sequential.Builder::mish);
                case "hardswish" -> noArguments(w, Sequential.Builder::hardswish);
                case "leaky-relu" -> noArguments(w, Sequential.Builder::leakyRelu);
                case "prelu" -> {
                    int slopes = w.length > 1 ? number(w, 1, "slopes (1, or the channel count)") : 1;
                    only(w, 2);
                    new dendrite.nn.layers.PReLU(slopes, 0.25);              // refuses a bad count now
                    yield b -> b.prelu(slopes);
                }
                case "hardtanh" -> {
                    if (w.length != 1 && w.length != 3) {
                        throw new BadInputException("--model: '" + text + "': hardtanh takes no bounds (-1 and 1) or"
                                + " two, e.g. 'hardtanh -2 2'");
                    }
                    double lo = w.length == 3 ? Double.parseDouble(w[1]) : -1;
                    double hi = w.length == 3 ? Double.parseDouble(w[2]) : 1;
                    new dendrite.nn.layers.Hardtanh(lo, hi);                  // refuses bounds out of order now
                    yield b -> b.hardtanh(lo, hi);
                }
                case "relu6" -> noArguments(w, Sequential.Builder::relu6);
                case "rescaling" -> {
                    if (w.length != 2 && w.length != 3) {
                        throw new BadInputException("--model: '" + text + "': rescaling takes a scale and an optional"
                                + " offset (0 unless given), e.g. 'rescaling 0.00392' or 'rescaling 2 -1'");
                    }
                    double scale = Double.parseDouble(w[1]);
                    double offset = w.length == 3 ? Double.parseDouble(w[2]) : 0;
                    new dendrite.nn.layers.Rescaling(scale, offset);          // refuses non-finite numbers now
                    yield b -> b.rescaling(scale, offset);
                }
                default -> throw new BadInputException("--model: unknown layer '" + name + "'"
                        + didYouMean(name) + "; known: " + String.join(", ", LAYERS));
            };
        } catch (NumberFormatException e) {
            throw new BadInputException("--model: '" + text + "' has a number that is not one: " + e.getMessage());
        } catch (BadInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--model: '" + text + "': " + e.getMessage());
        }
    }

    private static Consumer<Sequential.Builder> recurrent(String[] w) {
        int hidden = number(w, 1, "hidden units");
        boolean sequences = false;
        boolean masked = false;
        boolean both = false;
        int count = 1;
        double drop = 0;
        for (int i = 2; i < w.length; i++) {
            switch (w[i]) {
                case "seq" -> sequences = true;
                case "mask" -> masked = true;
                case "bi" -> both = true;
                case "layers" -> count = number(w, ++i, "layer count");
                case "dropout" -> drop = Double.parseDouble(argument(w, ++i, "dropout probability"));
                default -> throw new BadInputException("--model: " + w[0] + " option '" + w[i] + "' is unknown; known: seq"
                        + " (every step's state, for a recurrent layer after it), mask (all-zero steps are padding), bi (both"
                        + " directions), layers N (a stack of N, as PyTorch's num_layers), dropout P (between stacked layers)");
            }
        }
        boolean seq = sequences;
        boolean mask = masked;
        boolean bi = both;
        int stacked = count;
        double p = drop;
        if (stacked > 1 || p != 0) {
            new dendrite.nn.layers.RecurrentStack(w[0], -1, hidden, stacked, bi, seq, mask).dropout(p);   // refuses bad settings now
            return b -> b.add(new dendrite.nn.layers.RecurrentStack(w[0], -1, hidden, stacked, bi, seq, mask).dropout(p));
        }
        return b -> {
            dendrite.nn.layers.Recurrent layer = switch (w[0]) {
                case "lstm" -> new dendrite.nn.layers.LSTM(-1, hidden, seq);
                case "gru" -> new dendrite.nn.layers.GRU(-1, hidden, seq);
                default -> new dendrite.nn.layers.SimpleRNN(-1, hidden, seq, dendrite.tensor.op.Activation.TANH);
            };
            Recurrent r = mask ? layer.maskZeroSteps() : layer;
            b.add(bi ? new dendrite.nn.layers.Bidirectional(r) : r);
        };
    }

    private static Consumer<Sequential.Builder> conv(String[] w) {
        int out = number(w, 1, "output channels");
        int k = number(w, 2, "kernel size");
        int stride = 1, pad = 0, dilation = 1, groups = 1;
        boolean same = false, bias = true;
        for (int i = 3; i < w.length; i++) {
            switch (w[i]) {
                case "stride" -> stride = number(w, ++i, "stride");
                case "pad" -> {
                    if ("same".equals(argument(w, ++i, "padding"))) {
                        same = true;
                    } else {
                        pad = Integer.parseInt(w[i]);
                    }
                }
                case "dilation" -> dilation = number(w, ++i, "dilation");
                case "groups" -> groups = number(w, ++i, "groups");
                case "nobias" -> bias = false;
                default -> throw new BadInputException("--model: " + w[0] + " option '" + w[i]
                        + "' is unknown; known: stride, pad (a number or same), dilation, groups, nobias");
            }
        }
        int s = stride, p = pad, d = dilation, g = groups;
        boolean sm = same, bs = bias;
        if (w[0].equals("conv1d")) {
            new Conv1d(-1, out, k, s, p, sm, d, g, bs, null);                 // refuses bad settings now
            return b -> b.add(new Conv1d(-1, out, k, s, p, sm, d, g, bs, null));
        }
        new Conv2d(-1, out, k, k, s, s, p, p, sm, d, d, g, bs, null);      // refuses bad settings now
        return b -> b.add(new Conv2d(-1, out, k, k, s, s, p, p, sm, d, d, g, bs, null));
    }

    private static Consumer<Sequential.Builder> residual(String[] w) {
        int in = number(w, 1, "input channels");
        int out = number(w, 2, "output channels");
        int stride = 1;
        for (int i = 3; i < w.length; i++) {
            if (!w[i].equals("stride")) {
                throw new BadInputException("--model: residual option '" + w[i] + "' is unknown; known: stride");
            }
            stride = number(w, ++i, "stride");
        }
        int s = stride;
        return b -> b.add(dendrite.nn.graph.Blocks.residual(in, out, s));
    }

    private static Consumer<Sequential.Builder> pool(String[] w) {
        int k = number(w, 1, "window size");
        int stride = k, pad = 0;
        for (int i = 2; i < w.length; i++) {
            switch (w[i]) {
                case "stride" -> stride = number(w, ++i, "stride");
                case "pad" -> pad = Integer.parseInt(argument(w, ++i, "padding"));
                default -> throw new BadInputException("--model: " + w[0] + " option '" + w[i]
                        + "' is unknown; known: stride, pad");
            }
        }
        int s = stride, p = pad;
        if (w[0].equals("maxpool1d")) {
            new MaxPool1d(k, s, p);                                           // refuses bad settings now
            return b -> b.add(new MaxPool1d(k, s, p));
        }
        if (w[0].equals("avgpool1d")) {
            new AvgPool1d(k, s, p);
            return b -> b.add(new AvgPool1d(k, s, p));
        }
        if (w[0].equals("maxpool")) {
            new MaxPool2d(k, k, s, s, p, p);                                  // refuses bad settings now
            return b -> b.add(new MaxPool2d(k, k, s, s, p, p));
        }
        new AvgPool2d(k, k, s, s, p, p);
        return b -> b.add(new AvgPool2d(k, k, s, s, p, p));
    }

    /** " (did you mean 'conv'?)" for a near miss, else nothing. */
    private static String didYouMean(String word) {
        String best = null;
        int bestDistance = 3;
        for (String known : LAYERS) {
            int d = distance(word, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Consumer<Sequential.Builder> noArguments(String[] w, Consumer<Sequential.Builder> add) {
        only(w, 1);
        return add;
    }

    private static void only(String[] w, int count) {
        if (w.length > count) {
            throw new BadInputException("--model: '" + String.join(" ", w) + "': '" + w[count] + "' is one word too many");
        }
    }

    private static String argument(String[] w, int i, String what) {
        if (i >= w.length) {
            throw new BadInputException("--model: '" + String.join(" ", w) + "' needs its " + what);
        }
        return w[i];
    }

    private static int number(String[] w, int i, String what) {
        int n = Integer.parseInt(argument(w, i, what));
        if (n < 1) {
            throw new BadInputException("--model: '" + String.join(" ", w) + "': the " + what + " must be at least 1");
        }
        return n;
    }
}
