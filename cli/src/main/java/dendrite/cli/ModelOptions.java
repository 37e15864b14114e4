package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.optim.Adagrad;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.AdamW;
import dendrite.nn.optim.LearningRateSchedule;
import dendrite.nn.optim.Optimizer;
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
    static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "gelu", "leaky-relu");
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad");
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
            if (dropout != null) {
                b.dropout(dropout);
            }
        }
        if (init != null) {
            b.dense(outputs, init);
        } else {
            b.dense(outputs);
        }
        return b.build(backend, seed);
    }

    /** Builds input -> the layers of a {@code --model} spec -> dense(outputs). */
    static Sequential build(int[] sampleShape, List<java.util.function.Consumer<Sequential.Builder>> layers, int outputs,
            Backend backend, long seed) {
        Sequential.Builder b = Sequential.builder(sampleShape);
        for (var layer : layers) {
            layer.accept(b);
        }
        b.dense(outputs);
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
     * The usual learning rate for an optimizer: adaptive methods start at 1e-3, or 1e-2 for the
     * small networks and few samples of the synthetic sets; plain SGD needs a larger step.
     */
    static double defaultLearningRate(String optimizer, boolean synthetic) {
        return switch (checkOptimizer(optimizer)) {
            case "adam", "adamw", "rmsprop" -> synthetic ? 1e-2 : 1e-3;
            case "sgd" -> 0.1;
            case "momentum" -> synthetic ? 0.05 : 0.01;
            case "adagrad" -> 0.05;
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
            default -> throw new AssertionError(name);
        };
        if (weightDecay > 0 && !(o instanceof AdamW)) {
            o.weightDecay(weightDecay);
        }
        return o;
    }

    /**
     * The learning-rate schedule: {@code constant}, or {@code cosine}, which decays the rate to zero
     * over {@code totalSteps}; the small steps at the end settle the weights, typically worth a few
     * tenths of a percent of accuracy over a constant rate in a short run.
     */
    static LearningRateSchedule schedule(String name, long totalSteps) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "constant" -> Schedules.constant();
            case "cosine" -> Schedules.cosine(0, totalSteps, 0.0);
            default -> throw new BadInputException("unknown --schedule '" + name + "'; known: cosine, constant");
        };
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
