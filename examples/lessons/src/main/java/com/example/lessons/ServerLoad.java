package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Splits;
import dendrite.nn.data.Synthetic;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.nn.losses.Losses;
import dendrite.nn.metrics.ConfusionMatrix;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Lesson 3: a real-looking task, end to end. A server's load (percent of capacity) from its CPU,
 * memory, network and connection counts ({@link Synthetic#serverLoad}), first as a regression (how
 * loaded?), then as a classification (overloaded, at 75 % or more, or normal?).
 *
 * <p>What it teaches: fit the scaling on the training part only; standardize a regression's targets
 * too, and read its errors back in percentage points; judge on data the model never saw; and save
 * the scaling inside the model file, so that another program can hand the model raw metrics. The
 * load has two knees (a run queue above 70 % CPU, swapping above 85 % memory) that a straight line
 * cannot follow, which is why a hidden layer is worth having here.
 */
public final class ServerLoad {
    private static final long SEED = 11;
    /** At or above this load a server counts as overloaded. */
    private static final double OVERLOADED = 75;
    /** Two servers to ask about: a quiet one and a busy one (cpu %, memory %, network Mbit/s, connections). */
    private static final float[] SERVERS = {30, 40, 100, 50, 95, 90, 800, 400};

    private ServerLoad() {
    }

    public static void main(String[] args) throws Exception {
        Backend backend = Backends.get();
        Dataset data = Synthetic.serverLoad(3000, 2.5, SEED);
        System.out.println("data: " + data + ", columns " + Synthetic.SERVER_LOAD_COLUMNS);
        Path dir = Files.createTempDirectory("lessons-server-load");
        try {
            regression(backend, data, dir.resolve("load.safetensors"));
            classification(backend, data, dir.resolve("state.safetensors"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    // ------------------------------------------------------------------ how loaded?

    private static void regression(Backend backend, Dataset data, Path file) throws Exception {
        System.out.println("Regression: the load in percent");
        DataSplit split = Splits.random(data, 0.15, 0.15, SEED);
        Scaler inputs = Scaler.standardize(split.train());              // fitted on the training part only
        Scaler targets = Scaler.standardizeTargets(split.train());      // the network learns loads of unit scale

        Sequential model = Sequential.builder(4).dense(32).relu().dense(32).relu().dense(1).build(backend, SEED);
        Trainer trainer = Trainer.builder(model)
                .loss(Losses.mse())
                .optimizer(new Adam(3e-3))
                .epochs(60).batchSize(32).seed(SEED)
                .validationData(scaled(split.validation(), inputs, targets))
                .targetScaler(targets)                                   // val_rmse in percentage points
                .listener(everyTenthEpoch("val_rmse %.2f points, val_r2 %.3f", "val_rmse", "val_r2"))
                .build();
        trainer.fit(scaled(split.train(), inputs, targets));
        Evaluation test = trainer.evaluate(scaled(split.test(), inputs, targets));
        double r2 = test.metrics().get("r2");
        System.out.printf(Locale.ROOT, "  test: R² %.3f, RMSE %.2f points, MAE %.2f points%n", r2,
                test.metrics().get("rmse"), test.metrics().get("mae"));
        Claim.check(r2 >= 0.95, String.format(Locale.ROOT, "test R² %.3f is below 0.95", r2));

        // The scalers travel inside the model file, so whoever loads it passes raw metrics.
        ModelFile.save(model, file, Preprocessing.forRegression(inputs, targets));
        SavedModel saved = ModelFile.loadSaved(file, backend);
        float[] load = saved.predict(SERVERS, 2);
        for (int s = 0; s < 2; s++) {
            double truth = Synthetic.serverLoad(SERVERS[4 * s], SERVERS[4 * s + 1], SERVERS[4 * s + 2], SERVERS[4 * s + 3]);
            System.out.printf(Locale.ROOT, "  loaded model, server %s: %.1f %% (noiseless formula %.1f %%)%n",
                    metrics(s), load[s], truth);
            Claim.check(Math.abs(load[s] - truth) <= 10, String.format(Locale.ROOT,
                    "the saved model predicts %.1f %% for server %s, whose load is %.1f %%", load[s], metrics(s), truth));
        }
        float[] before = targets.inverseTransform(model.predict(inputs.transform(split.test().features()), split.test().size()));
        float[] after = saved.predict(split.test().features(), split.test().size());
        Claim.check(maxDifference(before, after) <= 1e-3,
                "the model loaded from its file predicts differently from the one that was saved");
    }

    // ------------------------------------------------------------------ overloaded or not?

    private static void classification(Backend backend, Dataset loads, Path file) throws Exception {
        System.out.println("Classification: overloaded (load >= 75 %) or normal");
        int[] labels = new int[loads.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = loads.targets()[i] >= OVERLOADED ? 1 : 0;
        }
        List<String> names = List.of("normal", "overloaded");
        Dataset data = Dataset.classification("server-state", loads.features(), new int[] {4}, labels, 2, names);
        DataSplit split = Splits.stratified(data, 0.15, 0.15, SEED);    // both classes in every part, in proportion
        Scaler scaler = Scaler.standardize(split.train());

        Sequential model = Sequential.builder(4).dense(32).relu().dense(2).build(backend, SEED);
        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(1e-2))
                .epochs(30).batchSize(32).seed(SEED)
                .validationData(scaler.transform(split.validation()))
                .listener(everyTenthEpoch("val_accuracy %.3f, val_loss %.4f", "val_accuracy", "val_loss"))
                .build();
        trainer.fit(scaler.transform(split.train()));
        Evaluation test = trainer.evaluate(scaler.transform(split.test()));
        ConfusionMatrix cm = test.report().confusionMatrix();
        double overloadedShare = cm.support(1) / (double) cm.total();
        System.out.printf(Locale.ROOT, "  test: accuracy %.3f (always answering 'normal' would score %.3f),"
                + " recall of 'overloaded' %.3f%n", test.accuracy(), 1 - overloadedShare, cm.recall(1));
        Claim.check(test.accuracy() >= 0.9, String.format(Locale.ROOT, "test accuracy %.3f is below 0.9", test.accuracy()));
        // Accuracy alone could be reached by never saying 'overloaded'; the rarer class must be found too.
        Claim.check(cm.recall(1) >= 0.8, String.format(Locale.ROOT,
                "only %.0f %% of the overloaded servers were recognised", 100 * cm.recall(1)));

        ModelFile.save(model, file, Preprocessing.of(scaler, names));
        SavedModel saved = ModelFile.loadSaved(file, backend);
        List<String> said = saved.predictClassNames(SERVERS, 2);
        for (int s = 0; s < 2; s++) {
            double truth = Synthetic.serverLoad(SERVERS[4 * s], SERVERS[4 * s + 1], SERVERS[4 * s + 2], SERVERS[4 * s + 3]);
            String expected = truth >= OVERLOADED ? "overloaded" : "normal";
            System.out.printf(Locale.ROOT, "  loaded model, server %s: %s (load %.1f %%)%n", metrics(s), said.get(s), truth);
            Claim.check(said.get(s).equals(expected), "the saved classifier calls server " + metrics(s) + " "
                    + said.get(s) + ", not " + expected);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Inputs and targets scaled by the scalers fitted on the training part. */
    private static Dataset scaled(Dataset d, Scaler inputs, Scaler targets) {
        return targets.transformTargets(inputs.transform(d));
    }

    /** Prints two of the epoch's metrics after every tenth epoch. */
    private static TrainingListener everyTenthEpoch(String format, String first, String second) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                if ((e.epoch() + 1) % 10 == 0) {
                    System.out.printf(Locale.ROOT, "  epoch %2d  " + format + "%n", e.epoch() + 1,
                            e.metrics().get(first), e.metrics().get(second));
                }
            }
        };
    }

    private static String metrics(int server) {
        return String.format(Locale.ROOT, "(cpu %.0f, mem %.0f, net %.0f, conn %.0f)", SERVERS[4 * server],
                SERVERS[4 * server + 1], SERVERS[4 * server + 2], SERVERS[4 * server + 3]);
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
