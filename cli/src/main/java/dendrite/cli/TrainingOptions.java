package dendrite.cli;

import dendrite.nn.data.Dataset;
import dendrite.nn.Sequential;
import dendrite.nn.init.Initializer;
import dendrite.nn.init.Initializers;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Optimizer;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code train}'s options for what the Java API offers beyond the architecture: dropout and batch
 * norm in the dense preset, the weight initializer, the loss (and the layer it needs after the output),
 * label smoothing and gradient clipping, so that each technique (and each textbook failure, such as zero
 * initialization) can be tried from the command line. Every bad value is a {@link BadInputException} naming the option.
 */
final class TrainingOptions {
    static final List<String> CLASSIFICATION_LOSSES = List.of("cross-entropy", "nll", "focal");
    static final List<String> REGRESSION_LOSSES = List.of("mse", "mae", "huber", "smooth-l1", "poisson");

    @Option(names = "--dropout", paramLabel = "<p>",
            description = "Dense preset: dropout with probability p after each hidden layer's activation (default: none; 0.3 for a"
                    + " CSV regression; 0 for none).")
    Double dropout;

    @Option(names = "--batch-norm",
            description = "Dense preset: batch normalization after each hidden dense layer, before its activation.")
    boolean batchNorm;

    @Option(names = "--init", paramLabel = "<name>",
            description = "Dense preset: weight initializer: he, xavier, lecun (uniform; he-normal, xavier-normal, lecun-normal),"
                    + " normal:<std> (plain small random numbers), pytorch (PyTorch's default, biases too), zeros (shows the symmetry problem) (default: he before"
                    + " ReLU-like activations, xavier otherwise).")
    String init;

    @Option(names = "--loss", paramLabel = "<name>",
            description = "Loss. Classification: cross-entropy (default), nll (PyTorch's LogSoftmax + NLLLoss: a"
                    + " log_softmax layer ends the model), focal (torchvision's sigmoid focal loss, alpha 0.25, gamma 2,"
                    + " each class a binary problem). Regression: mse (default), mae, huber (delta 1), smooth-l1"
                    + " (beta 1), poisson (PyTorch's PoissonNLLLoss for counts: a softplus layer ends the model, which"
                    + " predicts the rate; targets are counts, at least 0, and are not standardized).")
    String loss;

    @Option(names = "--label-smoothing", paramLabel = "<eps>", defaultValue = "0",
            description = "Classification: cross-entropy against targets smoothed by eps (PyTorch's label_smoothing; default: 0).")
    double labelSmoothing;

    @Option(names = "--class-weights", paramLabel = "<weights>",
            description = "Classification: how much each class's samples count in the loss: balanced"
                    + " (samples / (classes x the class's count), scikit-learn's and Keras's usual choice for rare"
                    + " classes) or one weight per class, comma-separated (PyTorch's CrossEntropyLoss weight;"
                    + " default: all 1).")
    String classWeights;

    /** The weights --class-weights resolved to, for the "training:" line; null for none. */
    private float[] resolvedWeights;

    @Option(names = "--clip-norm", paramLabel = "<max>",
            description = "Scale the gradients down when their global L2 norm exceeds max (default: no clipping).")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "<max>",
            description = "Clamp every gradient value to [-max, max] (default: no clipping).")
    Double clipValue;

    @Option(names = "--ema", paramLabel = "<decay>", defaultValue = "0",
            description = "Keep an exponential moving average of the weights with this decay (e.g. 0.999, about the last"
                    + " 1000 steps): validated after each epoch and kept as the model at the end (Keras's use_ema; default: 0, none).")
    double ema;

    @Option(names = "--accumulate", paramLabel = "<k>", defaultValue = "1",
            description = "Step the optimizer once every k batches, on the mean of their gradients: the training of"
                    + " a batch k times larger in the memory of one batch (PyTorch Lightning's"
                    + " accumulate_grad_batches; default: 1).")
    int accumulate;

    /** Refuses the options that only the dense preset takes when a layer spec is given. */
    void checkFitsModel(boolean densePreset) {
        if (densePreset) {
            return;
        }
        String given = dropout != null ? "--dropout" : batchNorm ? "--batch-norm" : init != null ? "--init" : null;
        if (given != null) {
            throw new BadInputException(given + " applies to the dense preset (--hidden); with --model, write the layers"
                    + " into the spec instead, e.g. \"conv 32 3, batchnorm2d, relu, maxpool 2, flatten, dropout 0.3, dense 128\"");
        }
    }

    /** The dropout probability, checked; null for none. */
    Double dropout() {
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new BadInputException("--dropout " + dropout + ": the probability must be at least 0 and below 1");
        }
        return dropout == null || dropout == 0 ? null : dropout;
    }

    /** The initializer named by --init, or null for the default. */
    Initializer initializer() {
        if (init == null) {
            return null;
        }
        String n = init.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        String name = switch (n) {
            case "he", "kaiming" -> "he_uniform";
            case "xavier", "glorot" -> "xavier_uniform";
            case "lecun" -> "lecun_uniform";
            default -> n;
        };
        try {
            return Initializers.byName(name);
        } catch (RuntimeException e) {
            throw new BadInputException("--init '" + init + "': known: he, xavier, lecun, he-normal, xavier-normal, pytorch,"
                    + " lecun-normal, normal:<std> (e.g. normal:0.01), zeros");
        }
    }

    /** The --loss name in lower case, or null when it is not given. */
    private String lossName() {
        return loss == null ? null : loss.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the loss takes the regression targets as they are, so they must not be standardized: Poisson's
     * targets are counts.
     */
    boolean keepsTargets() {
        return "poisson".equals(lossName());
    }

    /**
     * The layer the loss needs after the model's output layer, or null: log-softmax before nll (which takes
     * log-probabilities), softplus before poisson (a rate above 0, which the model then predicts).
     */
    Consumer<Sequential.Builder> outputLayer() {
        String n = lossName();
        return "nll".equals(n) ? Sequential.Builder::logSoftmax : "poisson".equals(n) ? Sequential.Builder::softplus
                : null;
    }

    /**
     * The loss for the task: cross-entropy (with label smoothing and class weights), nll (with class
     * weights) or focal for classes, mse/mae/huber/smooth-l1/poisson for values; {@code train} is what
     * balanced class weights are counted on, and what Poisson's counts are checked on.
     */
    Loss loss(boolean classification, Dataset train) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new BadInputException("--label-smoothing " + labelSmoothing + ": must be at least 0 and below 1");
        }
        String n = loss == null ? (classification ? "cross-entropy" : "mse") : lossName();
        List<String> allowed = classification ? CLASSIFICATION_LOSSES : REGRESSION_LOSSES;
        if (!allowed.contains(n)) {
            throw new BadInputException("--loss '" + loss + "' does not suit " + (classification ? "classification" : "regression")
                    + "; use " + String.join(", ", allowed));
        }
        if (labelSmoothing > 0 && !classification) {
            throw new BadInputException("--label-smoothing applies to classification only");
        }
        if (labelSmoothing > 0 && !n.equals("cross-entropy")) {
            throw new BadInputException("--label-smoothing applies to --loss cross-entropy only, not " + n);
        }
        if (classWeights != null && !classification) {
            throw new BadInputException("--class-weights applies to classification only");
        }
        if (classWeights != null && n.equals("focal")) {
            throw new BadInputException("--class-weights applies to --loss cross-entropy and nll, not focal (its alpha"
                    + " weighs positives against negatives)");
        }
        if (n.equals("poisson")) {
            checkCounts(train);
        }
        resolvedWeights = classWeights == null ? null : classWeights(train);
        return switch (n) {
            case "cross-entropy" -> resolvedWeights != null
                    ? Losses.softmaxCrossEntropy(resolvedWeights, labelSmoothing)
                    : labelSmoothing > 0 ? Losses.softmaxCrossEntropy(labelSmoothing) : Losses.softmaxCrossEntropy();
            case "nll" -> resolvedWeights != null ? Losses.nll(resolvedWeights, -100) : Losses.nll();
            case "focal" -> Losses.sigmoidFocal();
            case "mse" -> Losses.mse();
            case "mae" -> Losses.mae();
            case "huber" -> Losses.huber(1.0);
            case "smooth-l1" -> Losses.smoothL1(1.0);
            // The model ends in softplus, so its outputs are rates, not their logarithms.
            case "poisson" -> Losses.poissonNll(false, false, 1e-8);
            default -> throw new AssertionError(n);
        };
    }

    /** Poisson's targets are counts: none may be negative (or NaN). */
    private static void checkCounts(Dataset train) {
        float[] targets = train.targets();
        for (float t : targets) {
            if (!(t >= 0)) {
                throw new BadInputException("--loss poisson: the targets are counts, at least 0, but " + train.name()
                        + " has " + t + "; use mse, mae, huber or smooth-l1");
            }
        }
    }

    /** --class-weights read: balanced from the training set's counts, or the listed weights, one per class. */
    private float[] classWeights(Dataset train) {
        String spec = classWeights.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("balanced")) {
            try {
                return train.balancedClassWeights();
            } catch (IllegalStateException e) {
                throw new BadInputException("--class-weights balanced: " + e.getMessage());
            }
        }
        String[] parts = spec.split(",");
        if (parts.length != train.numClasses()) {
            throw new BadInputException("--class-weights '" + classWeights + "': " + parts.length + " weights for "
                    + train.numClasses() + " classes; give one per class, or balanced");
        }
        float[] weights = new float[parts.length];
        for (int c = 0; c < parts.length; c++) {
            try {
                weights[c] = Float.parseFloat(parts[c].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--class-weights '" + classWeights + "': '" + parts[c].trim()
                        + "' is not a number");
            }
            if (!(weights[c] >= 0) || !Float.isFinite(weights[c])) {
                throw new BadInputException("--class-weights '" + classWeights + "': class " + c + "'s weight "
                        + parts[c].trim() + " must be a finite number, at least 0");
            }
        }
        return weights;
    }

    /** Applies --clip-norm and --clip-value to the optimizer. */
    void clip(Optimizer optimizer) {
        if (clipNorm != null) {
            if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
                throw new BadInputException("--clip-norm " + clipNorm + ": must be a positive number");
            }
            optimizer.clipGradNorm(clipNorm);
        }
        if (clipValue != null) {
            if (!(clipValue > 0) || !Double.isFinite(clipValue)) {
                throw new BadInputException("--clip-value " + clipValue + ": must be a positive number");
            }
            optimizer.clipGradValue(clipValue);
        }
    }

    /** The --accumulate batch count, checked: 1 for a step per batch. */
    int accumulate() {
        if (accumulate < 1) {
            throw new BadInputException("--accumulate " + accumulate + ": the batches per optimizer step must be at"
                    + " least 1");
        }
        return accumulate;
    }

    /** The --ema decay, checked: 0 for none. */
    double ema() {
        if (!(ema == 0 || ema > 0 && ema < 1)) {
            throw new BadInputException("--ema " + ema + ": the decay must be above 0 and below 1 (e.g. 0.999), or 0 for none");
        }
        return ema;
    }

    /** What the options add, for the "training:" line; empty when none is given. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (loss != null) {
            sb.append(", loss ").append(lossName());
        }
        if (labelSmoothing > 0) {
            sb.append(", label smoothing ").append(labelSmoothing);
        }
        if (resolvedWeights != null) {
            StringBuilder w = new StringBuilder();
            for (float f : resolvedWeights) {
                w.append(w.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3g", f));
            }
            sb.append(", class weights ").append(w);
        }
        if (clipNorm != null) {
            sb.append(", clip norm ").append(clipNorm);
        }
        if (clipValue != null) {
            sb.append(", clip value ").append(clipValue);
        }
        if (accumulate > 1) {
            sb.append(", gradients of ").append(accumulate).append(" batches a step");
        }
        if (ema > 0) {
            sb.append(", weight average (ema) ").append(ema);
        }
        return sb.toString();
    }
}
