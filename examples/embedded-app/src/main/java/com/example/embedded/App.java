package com.example.embedded;

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
 * An application embedding Dendrite: build a model, train it, save it, load it back and predict.
 * Exits non-zero if the reloaded model predicts differently or the accuracy is implausibly low.
 */
public final class App {

    public static void main(String[] args) throws Exception {
        Backend backend = Backends.get();                       // the best backend on the class path
        System.out.println("backend: " + backend.name() + " (" + backend.description() + ")");

        DataSplit split = Splits.stratified(Digits.load(), 0.1, 0.2, 7);
        Scaler scaler = Scaler.standardize(split.train());       // fitted on the training part only
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset test = scaler.transform(split.test());

        Sequential model = Sequential.builder(64)
                .dense(64).relu()
                .dense(10)
                .build(backend, 42);
        System.out.print(model.summary());

        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(1e-3))
                .epochs(20).batchSize(32).seed(42)
                .validationData(validation)
                .build();
        trainer.fit(train);
        Evaluation eval = trainer.evaluate(test);
        System.out.printf("test accuracy: %.4f%n", eval.accuracy());

        Path dir = Files.createTempDirectory("embedded-app");
        Path file = dir.resolve("digits.safetensors");
        ModelFile.save(model, file);
        Sequential reloaded = ModelFile.load(file, backend);    // the architecture is in the file

        int[] before = model.predictClasses(test.features(), test.size());
        int[] after = reloaded.predictClasses(test.features(), test.size());
        boolean same = Arrays.equals(before, after);
        System.out.println("saved to " + file + " (" + Files.size(file) + " bytes); reloaded model predicts "
                + (same ? "identically" : "DIFFERENTLY"));
        Files.delete(file);
        Files.delete(dir);
        if (!same || eval.accuracy() < 0.9) {
            System.exit(1);
        }
    }
}
