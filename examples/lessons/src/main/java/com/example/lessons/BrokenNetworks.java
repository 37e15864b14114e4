package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Splits;
import dendrite.nn.data.Synthetic;
import dendrite.nn.diag.TrainingMonitor;
import dendrite.nn.diag.TrainingWarning;
import dendrite.nn.diag.TrainingWarning.Kind;
import dendrite.nn.init.Initializers;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.NonFiniteLossException;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lesson 4: diagnosing a network that does not learn. A {@link TrainingMonitor} listens to training
 * and says what it sees in the gradients, the activations and the loss, naming the layer and the
 * usual fix. Each broken network here is built the way a learner builds one by mistake (the recipes
 * of nn-core's TextbookFailuresTest), and must draw its warning; the healthy one must draw none.
 */
public final class BrokenNetworks {
    private static final Backend BACKEND = Backends.get();

    private BrokenNetworks() {
    }

    public static void main(String[] args) {
        Dataset moons = Synthetic.twoMoons(256, 0.1, 1);

        // Every weight zero: each unit of a layer gets the same gradient, so they stay identical
        // and the network is no better than its one unit; the loss sits at ln(classes).
        List<TrainingWarning> zero = train("(a) zero initialisation, 2-16-3 on three spirals",
                Sequential.builder(2).dense(16, Initializers.zeros()).relu().dense(3, Initializers.zeros()).build(BACKEND, 3),
                new Adam(1e-2), 3, Synthetic.spirals(300, 3, 0.1, 1), null);
        expect(zero, "zero initialisation", -1, Kind.STUCK_AT_CHANCE);

        // A learning rate of 50: every step overshoots further than the last.
        List<TrainingWarning> tooFast = train("(b) learning rate 50, 2-16-2 on two moons",
                Sequential.builder(2).dense(16).relu().dense(2).build(BACKEND, 3), new Sgd(50), 1, moons, null);
        expect(tooFast, "a learning rate of 50", -1, Kind.LOSS_DIVERGING, Kind.EXPLODING_GRADIENT);

        // Weights of -0.5 on inputs that are all positive: every pre-activation is negative, every
        // ReLU outputs 0 and passes back no gradient, so nothing can revive them.
        List<TrainingWarning> dead = train("(c) weights of -0.5, 4-16-2 on positive inputs",
                Sequential.builder(4).dense(16, Initializers.constant(-0.5f)).relu().dense(2).build(BACKEND, 3),
                new Adam(1e-3), 2, positiveInputs(), null);
        expect(dead, "negative initial weights on positive inputs", 1, Kind.DEAD_RELU);   // layer 1 is the ReLU

        // Ten sigmoid layers: each multiplies the gradient by at most 1/4 on its way back.
        Sequential.Builder deep = Sequential.builder(2);
        for (int i = 0; i < 10; i++) {
            deep.dense(32).sigmoid();
        }
        List<TrainingWarning> vanishing = train("(d) ten sigmoid layers of 32 on two moons", deep.dense(2).build(BACKEND, 3),
                new Sgd(0.1), 1, moons, null);
        expect(vanishing, "a deep sigmoid stack", 0, Kind.VANISHING_GRADIENT);            // the first layer learns slowest

        // For contrast: He-initialised ReLUs, a sensible learning rate, data of unit scale.
        DataSplit split = Splits.stratified(Synthetic.twoMoons(1000, 0.1, 1), 0.2, 0, 1);
        Sequential healthy = Sequential.builder(2).dense(16).relu().dense(2).build(BACKEND, 3);
        List<TrainingWarning> quiet = train("(e) healthy: 2-16-2 on two moons, Adam 0.01", healthy, new Adam(1e-2), 30,
                split.train(), split.validation());
        double accuracy = accuracy(healthy, split.validation());
        System.out.printf(Locale.ROOT, "  no warning; validation accuracy %.3f%n", accuracy);
        Claim.check(quiet.isEmpty(), "the healthy network drew warnings: "
                + quiet.stream().map(TrainingWarning::kind).distinct().toList());
        // A silent monitor proves nothing unless the network it watched did learn.
        Claim.check(accuracy >= 0.95, String.format(Locale.ROOT, "the healthy network only reached %.3f", accuracy));
    }

    /** Trains with a monitor attached; returns its warnings. */
    private static List<TrainingWarning> train(String title, Sequential model, Optimizer optimizer, int epochs,
            Dataset data, Dataset validation) {
        System.out.println(title);
        List<TrainingWarning> seen = new ArrayList<>();
        TrainingMonitor monitor = new TrainingMonitor().onWarning(seen::add);
        Trainer.Builder b = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(optimizer)
                .epochs(epochs).batchSize(32).seed(1).listener(monitor);
        if (validation != null) {
            b.validationData(validation);
        }
        try {
            b.build().fit(data);
        } catch (NonFiniteLossException e) {
            // Training refuses to go on with a NaN or infinite loss; the monitor has spoken by then.
            System.out.println("  training stopped: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return seen;
    }

    /**
     * Prints the warning the lesson expects and names the others; fails the lesson unless one of
     * {@code kinds} was reported for {@code layer} (-1: any layer or the whole model), since a warning
     * is only useful if it points at the right place.
     */
    private static void expect(List<TrainingWarning> warnings, String what, int layer, Kind... kinds) {
        TrainingWarning hit = warnings.stream()
                .filter(w -> List.of(kinds).contains(w.kind()) && (layer < 0 || w.layer() == layer))
                .findFirst().orElse(null);
        Claim.check(hit != null, "the monitor did not report " + List.of(kinds) + (layer < 0 ? "" : " in layer " + layer)
                + " for " + what + "; it said " + warnings.stream().map(TrainingWarning::kind).toList());
        System.out.println("  " + hit.kind() + ":");
        System.out.println(wrap(hit.message(), 96, "    "));
        Set<String> others = new LinkedHashSet<>();
        for (TrainingWarning w : warnings) {
            if (w.kind() != hit.kind()) {
                others.add(w.kind() + (w.layer() < 0 ? "" : " (layer " + w.layer() + ")"));
            }
        }
        if (!others.isEmpty()) {
            System.out.println("  also reported: " + String.join(", ", others));
        }
    }

    /** {@code text} broken at spaces into lines of at most about {@code width}, each after {@code indent}. */
    private static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.append(indent).append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        return out.append(indent).append(line).toString();
    }

    /** Four positive features per sample, two alternating classes. */
    private static Dataset positiveInputs() {
        float[] x = new float[4 * 128];
        int[] y = new int[128];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + (i % 7) * 0.1f;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
        }
        return Dataset.classification("positive", x, new int[] {4}, y, 2, List.of("even", "odd"));
    }

    private static double accuracy(Sequential model, Dataset data) {
        int[] predicted = model.predictClasses(data.features(), data.size());
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == data.label(i) ? 1 : 0;
        }
        return right / (double) data.size();
    }
}
