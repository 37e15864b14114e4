package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.layers.GELU;
import dendrite.nn.optim.Adadelta;
import dendrite.nn.optim.Adagrad;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.AdamW;
import dendrite.nn.optim.Adamax;
import dendrite.nn.optim.LearningRateSchedule;
import dendrite.nn.optim.NAdam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.RAdam;
import dendrite.nn.optim.Schedules;
import dendrite.nn.optim.RmsProp;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turning the model options' words into objects: {@code --hidden 256,128} into layer sizes,
 * {@code --activation} into layers, {@code --optimizer} into an {@link Optimizer}. Every bad
 * value is a {@link BadInputException} naming the option, the value and what would do.
 */
final class ModelOptions {
    /**
     * gelu is the exact GELU, PyTorch's default; gelu-tanh its tanh approximation; silu is x sigmoid(x);
     * elu has PyTorch's default alpha, 1; selu makes the layers before it start LeCun normal; mish is
     * x tanh(softplus(x)); hardswish x relu6(x + 3) / 6.
     */
    static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "gelu", "gelu-tanh", "silu",
            "softplus", "elu", "selu", "mish", "hardswish", "leaky-relu");
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad", "nadam",
            "radam", "adamax", "adadelta");
    /** Far beyond any dense layer this command trains well; refuses a typo like 1000000. */
    static final int MAX_UNITS = 65_536;

    private ModelOptions() {
    }

    /**
     * Parses {@code 256,128} into layer sizes; {@code none} or an empty value means no hidden
     * layer (a linear model).
     */
    static int[] hidden(String spec) {
        String s = spec.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("none")) {
            return new int[0];
        }
        String[] parts = s.split(",", -1);
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            long v;
            try {
                v = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new BadInputException("--hidden '" + spec + "': '" + p
                        + "' is not a layer size; expected positive whole numbers like 256,128");
            }
            if (v < 1 || v > MAX_UNITS) {
                throw new BadInputException("--hidden '" + spec + "': a layer of " + v + " units is impossible; sizes must be 1.."
                        + MAX_UNITS);
            }
            sizes[i] = (int) v;
        }
        return sizes;
    }

    /**
     * Builds input -> (dense, activation)* -> dense(outputs). The model takes each sample flat (images
     * as their pixels in a row): no flatten layer, so the dense layers keep indices 0, 2, ... and their
     * seeds whatever shape the dataset gives its samples.
     */
    static Sequential build(int[] sampleShape, int[] hidden, String activation, int outputs, Backend backend, long seed) {
        return build(sampleShape, hidden, activation, outputs, backend, seed, null, false, null);
    }

    /**
     * As above, with each hidden layer optionally followed by batch normalization (before the
     * activation) and dropout (after it), and every dense layer started by {@code init} (null: the
     * default for the activation that follows).
     */
    static Sequential build(int[] sampleShape, int[] hidden, String activation, int outputs, Backend backend, long seed,
            Double dropout, boolean batchNorm, dendrite.nn.init.Initializer init) {
        return build(sampleShape, hidden, activation, outputs, backend, seed, dropout, batchNorm, init, null);
    }

    /** As above, with {@code head} (null: none) adding the layer a loss needs after the output layer. */
    static Sequential build(int[] sampleShape, int[] hidden, String activation, int outputs, Backend backend, long seed,
            Double dropout, boolean batchNorm, dendrite.nn.init.Initializer init,
            java.util.function.Consumer<Sequential.Builder> head) {
        int size = 1;
        for (int d : sampleShape) {
            size *= d;
        }
        Sequential.Builder b = Sequential.builder(size);
        for (int h : hidden) {
            if (init != null) {
                b.dense(h, init);
            } else {
                b.dense(h);
            }
            if (batchNorm) {
                b.batchNorm();
            }
            addActivation(b, activation);
            if (dropout != null && dropout > 0) {
                b.dropout(dropout);
            }
        }
        if (init != null) {
            b.dense(outputs, init);
        } else {
            b.dense(outputs);
        }
        if (head != null) {
            head.accept(b);
        }
        return b.build(backend, seed);
    }

    /** Builds input -> the layers of a {@code --model} spec -> dense(outputs). */
    static Sequential build(int[] sampleShape, List<java.util.function.Consumer<Sequential.Builder>> layers, int outputs,
            Backend backend, long seed) {
        return build(sampleShape, layers, outputs, backend, seed, null);
    }

    /** As above, with {@code head} (null: none) adding the layer a loss needs after the output layer. */
    static Sequential build(int[] sampleShape, List<java.util.function.Consumer<Sequential.Builder>> layers, int outputs,
            Backend backend, long seed, java.util.function.Consumer<Sequential.Builder> head) {
        Sequential.Builder b = Sequential.builder(sampleShape);
        for (var layer : layers) {
            layer.accept(b);
        }
        b.dense(outputs);
        if (head != null) {
            head.accept(b);
        }
        try {
            return b.build(backend, seed);
        } catch (dendrite.nn.ModelShapeException e) {
            throw new BadInputException("--model does not fit samples of " + java.util.Arrays.toString(sampleShape) + ": "
                    + e.getMessage(), e);
        }
    }

    static String checkActivation(String name) {
        String a = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!ACTIVATIONS.contains(a)) {
            throw new BadInputException("unknown activation '" + name + "'; known: " + String.join(", ", ACTIVATIONS));
        }
        return a;
    }

    private static void addActivation(Sequential.Builder b, String activation) {
        switch (checkActivation(activation)) {
            case "relu" -> b.relu();
            case "tanh" -> b.tanh();
            case "sigmoid" -> b.sigmoid();
            case "gelu" -> b.gelu();
            case "gelu-tanh" -> b.gelu(GELU.Approximate.TANH);
            case "silu" -> b.silu();
            case "softplus" -> b.softplus();
            case "elu" -> b.elu();
            case "selu" -> b.selu();
            case "mish" -> b.mish();
            case "hardswish" -> b.hardswish();
            case "leaky-relu" -> b.leakyRelu();
            default -> throw new AssertionError(activation);
        }
    }

    static String checkOptimizer(String name) {
        String o = name.trim().toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(o)) {
            throw new BadInputException("unknown optimizer '" + name + "'; known: " + String.join(", ", OPTIMIZERS));
        }
        return o;
    }

    /**
     * The usual learning rate for an optimizer: adaptive methods start at PyTorch's default (1e-3;
     * 2e-3 for NAdam and Adamax), or 1e-2 for the small networks and few samples of the synthetic
     * sets; plain SGD needs a larger step. Adadelta's step is in the parameters' own units, so its
     * rate is a factor on it, 1 (the paper's method, PyTorch's default) everywhere.
     */
    static double defaultLearningRate(String optimizer, boolean synthetic) {
        return switch (checkOptimizer(optimizer)) {
            case "adam", "adamw", "rmsprop", "radam" -> synthetic ? 1e-2 : 1e-3;
            case "nadam", "adamax" -> synthetic ? 1e-2 : 2e-3;
            case "sgd" -> 0.1;
            case "momentum" -> synthetic ? 0.05 : 0.01;
            case "adagrad" -> 0.05;
            case "adadelta" -> 1.0;
            default -> throw new AssertionError(optimizer);
        };
    }

    static Optimizer optimizer(String name, double lr, double weightDecay) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new BadInputException("--lr " + lr + ": the learning rate must be a positive number");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new BadInputException("--weight-decay " + weightDecay + ": must be zero or positive");
        }
        Optimizer o = switch (checkOptimizer(name)) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new Sgd(lr, 0.9, false);
            case "adam" -> new Adam(lr);
            case "adamw" -> new AdamW(lr, weightDecay > 0 ? weightDecay : 0.01);
            case "rmsprop" -> new RmsProp(lr);
            case "adagrad" -> new Adagrad(lr);
            case "nadam" -> new NAdam(lr);
            case "radam" -> new RAdam(lr);
            case "adamax" -> new Adamax(lr);
            case "adadelta" -> new Adadelta(lr);
            default -> throw new AssertionError(name);
        };
        if (weightDecay > 0 && !(o instanceof AdamW)) {
            o.weightDecay(weightDecay);
        }
        return o;
    }

    /**
     * The learning-rate schedule: {@code cosine} decays the rate to zero over {@code totalSteps} (the
     * small steps at the end settle the weights, typically worth a few tenths of a percent of accuracy
     * over a constant rate in a short run); {@code constant}; {@code step} (times 0.1 every third of
     * the epochs, or {@code step:<epochs>:<gamma>}); {@code exponential} (down to 1 % by the last
     * epoch, or {@code exponential:<gamma>} per epoch); {@code plateau} (times 0.1 when the validation
     * loss has not improved for 2 epochs, or {@code plateau:<patience>:<factor>}); {@code cosine:<f>} and
     * {@code linear[:<f>]} warm up over the fraction f of the steps first; {@code onecycle[:<pct>]} (PyTorch's
     * OneCycleLR, the rate the peak, the momentum cycled when {@code cycleMomentum}, as PyTorch does for an
     * optimizer that has one); {@code restarts[:<epochs>[:<mult>]]} (SGDR, the first cycle a third of
     * the run unless given); {@code multistep:<e1>,<e2>,...[:<gamma>]} (times gamma, 0.1, at each epoch listed).
     */
    static LearningRateSchedule schedule(String name, long totalSteps, int epochs, boolean cycleMomentum) {
        String spec = name.trim().toLowerCase(Locale.ROOT);
        String[] parts = spec.split(":", -1);
        try {
            return switch (parts[0]) {
                case "constant" -> noArguments(parts, Schedules.constant());
                case "cosine" -> Schedules.cosine(warmup(parts, totalSteps), Math.max(1, totalSteps), 0.0);
                case "linear" -> Schedules.linear(warmup(parts, totalSteps), Math.max(1, totalSteps), 0.0);
                case "onecycle" -> {
                    double pct = parts.length == 1 ? 0.3 : Double.parseDouble(arg(parts, 1, 2));
                    yield cycleMomentum ? Schedules.oneCycle(Math.max(1, totalSteps), pct, 25, 1e4, 0.85, 0.95)
                            : Schedules.oneCycle(Math.max(1, totalSteps), pct, 25, 1e4);
                }
                case "restarts" -> {
                    long perEpoch = Math.max(1, totalSteps / Math.max(1, epochs));
                    int first = parts.length == 1 ? Math.max(1, epochs / 3) : Integer.parseInt(parts[1]);
                    int mult = parts.length <= 2 ? 1 : Integer.parseInt(arg(parts, 2, 3));
                    if (first < 1) {
                        throw new BadInputException("--schedule " + name + ": the first cycle must last at least 1 epoch");
                    }
                    yield Schedules.cosineWarmRestarts(first * perEpoch, mult, 0.0);
                }
                case "multistep" -> {
                    if (parts.length == 1 || parts.length > 3) {
                        throw new BadInputException("--schedule multistep needs its epochs: multistep:<e1>,<e2>,..."
                                + " or multistep:<e1>,<e2>,...:<gamma>");
                    }
                    int[] milestones = java.util.Arrays.stream(parts[1].split(",")).map(String::trim)
                            .mapToInt(Integer::parseInt).toArray();
                    yield Schedules.multiStep(parts.length == 3 ? Double.parseDouble(parts[2]) : 0.1, milestones);
                }
                case "step" -> parts.length == 1 ? Schedules.stepDecay(Math.max(1, epochs / 3), 0.1)
                        : Schedules.stepDecay(Integer.parseInt(arg(parts, 1, 3)), Double.parseDouble(arg(parts, 2, 3)));
                case "exponential" -> Schedules.exponential(parts.length == 1 ? Math.pow(0.01, 1.0 / Math.max(1, epochs))
                        : Double.parseDouble(arg(parts, 1, 2)));
                case "plateau" -> parts.length == 1 ? Schedules.reduceOnPlateau(0.1, 2, 1e-4, 0)
                        : Schedules.reduceOnPlateau(Double.parseDouble(arg(parts, 2, 3)), Integer.parseInt(arg(parts, 1, 3)),
                                1e-4, 0);
                default -> throw new BadInputException("unknown --schedule '" + name
                        + "'; known: cosine, constant, step, exponential, plateau, linear, onecycle, restarts,"
                        + " multistep");
            };
        } catch (NumberFormatException e) {
            throw new BadInputException("--schedule '" + name + "': expected numbers, as in step:3:0.5, exponential:0.9,"
                    + " plateau:2:0.1, cosine:0.05, onecycle:0.3, restarts:2:2 or multistep:5,8:0.1");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--schedule '" + name + "': " + e.getMessage());
        }
    }

    /** The warm-up steps of {@code cosine:<fraction>} or {@code linear:<fraction>}: none without a fraction. */
    private static long warmup(String[] parts, long totalSteps) {
        if (parts.length == 1) {
            return 0;
        }
        double fraction = Double.parseDouble(arg(parts, 1, 2));
        if (!(fraction >= 0 && fraction < 1)) {
            throw new BadInputException("--schedule " + String.join(":", parts) + ": the warm-up is a fraction of the"
                    + " steps, at least 0 and below 1");
        }
        return Math.min(Math.round(fraction * totalSteps), Math.max(0, totalSteps - 1));
    }

    private static LearningRateSchedule noArguments(String[] parts, LearningRateSchedule s) {
        if (parts.length > 1) {
            throw new BadInputException("--schedule " + parts[0] + " takes no arguments");
        }
        return s;
    }

    private static String arg(String[] parts, int i, int count) {
        if (parts.length != count) {
            throw new BadInputException("--schedule " + parts[0] + ": expected " + (count - 1) + " numbers after it,"
                    + " separated by ':'");
        }
        return parts[i];
    }

    /** "64 -> dense 128, relu -> dense 10" for the header line. */
    static String describe(Sequential model) {
        List<String> parts = new ArrayList<>();
        parts.add(model.inputShape().toString());
        for (int i = 0; i < model.size(); i++) {
            var layer = model.layer(i);
            parts.add(layer.type().equals("dense") ? "dense " + model.outputShape(i).size()
                    : layer.type().equals("flatten") || layer.type().endsWith("relu") ? layer.type() : layer.toString());
        }
        return String.join(" -> ", parts);
    }
}
