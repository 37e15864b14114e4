package com.example.java17;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Digits;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Splits;
import dendrite.nn.io.ModelFile;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Java 17 application embedding Dendrite on the scalar backend: lists the backends (the vector
 * one unavailable below Java 21, with the reason), trains, saves, loads and predicts. Exits non-zero
 * if the vector backend is not reported as expected, the reloaded model predicts differently, or
 * the accuracy is implausibly low.
 */
public final class App {

    public static void main(String[] args) throws Exception {
        System.out.println("Java " + Runtime.version());
        boolean vectorExplained = false;
        for (Backends.Candidate c : Backends.candidates()) {
            System.out.println("  " + c.name() + ": " + (c.availability().available() ? "available" : c.availability().explain()));
            if (c.name().equals("vector")) {
                vectorExplained = Runtime.version().feature() >= 21 || c.availability().explain().contains("needs Java 21");
            }
        }
        Backend backend = Backends.get("scalar");

        DataSplit split = Splits.stratified(Digits.load(), 0.1, 0.2, 7);
        Scaler scaler = Scaler.standardize(split.train());
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());

        Sequential model = Sequential.builder(64).dense(32).relu().dense(10).build(backend, 42);
        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(1e-3))
                .epochs(15).batchSize(32).seed(42)
                .build();
        trainer.fit(train);
        Evaluation eval = trainer.evaluate(test);
        System.out.printf("test accuracy: %.4f%n", eval.accuracy());

        Path dir = Files.createTempDirectory("java17-app");
        Path file = dir.resolve("digits.safetensors");
        ModelFile.save(model, file);
        Sequential reloaded = ModelFile.load(file, backend);
        boolean same = Arrays.equals(model.predictClasses(test.features(), test.size()),
                reloaded.predictClasses(test.features(), test.size()));
        System.out.println("reloaded model predicts " + (same ? "identically" : "DIFFERENTLY"));
        Files.delete(file);
        Files.delete(dir);
        if (!vectorExplained) {
            System.out.println("the vector backend was not reported unavailable with its reason");
        }
        if (!same || eval.accuracy() < 0.9 || !vectorExplained) {
            System.exit(1);
        }
    }
}
