package com.example.embedded;

import dendrite.nn.Sequential;
import dendrite.nn.data.CsvReader;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Splits;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An application embedding Dendrite, in two runs as a service would have them:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar embedded-app.jar train data/server-load.csv model.safetensors
 * java --add-modules jdk.incubator.vector -jar embedded-app.jar predict model.safetensors 95,90,800,400
 * </pre>
 *
 * {@code train} reads a CSV, scales it, trains, evaluates and saves the model with its scaler and
 * class names; {@code predict}, in another JVM, loads them and classifies one row of metrics.
 * Exits non-zero if the model is implausibly poor.
 */
public final class App {

    public static void main(String[] args) throws Exception {
        Backend backend = Backends.get();                        // the best backend on the class path
        System.out.println("backend: " + backend.name() + " (" + backend.description() + ")");
        if (args.length == 3 && args[0].equals("train")) {
            train(backend, Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 3 && args[0].equals("predict")) {
            predict(backend, Path.of(args[1]), args[2]);
        } else {
            System.err.println("usage: train DATA.csv MODEL.safetensors | predict MODEL.safetensors v1,v2,...");
            System.exit(2);
        }
    }

    static void train(Backend backend, Path csv, Path modelFile) throws Exception {
        Dataset data = new CsvReader().label("state").read(csv);       // the other columns are the features
        DataSplit split = Splits.stratified(data, 0.1, 0.2, 7);
        Scaler scaler = Scaler.standardize(split.train());             // fitted on the training part only
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());

        Sequential model = Sequential.builder(data.sampleSize())
                .dense(32).relu()
                .dense(data.numClasses())
                .build(backend, 42);
        System.out.print(model.summary());

        Trainer trainer = Trainer.builder(model)
                .loss(Losses.softmaxCrossEntropy())
                .optimizer(new Adam(1e-2))
                .epochs(60).batchSize(32).seed(42)
                .validationData(scaler.transform(split.validation()))
                .build();
        trainer.fit(train);
        Evaluation eval = trainer.evaluate(test);
        System.out.printf("test accuracy: %.4f%n", eval.accuracy());

        // The scaler and the class names travel in the model file, beside the weights.
        ModelFile.save(model, modelFile, Preprocessing.of(scaler, data.classNames()));
        System.out.println("saved " + modelFile);
        if (eval.accuracy() < 0.85) {
            System.exit(1);
        }
    }

    static void predict(Backend backend, Path modelFile, String row) throws Exception {
        SavedModel saved = ModelFile.loadSaved(modelFile, backend);  // architecture, weights, scaler, class names
        String[] values = row.split(",");
        float[] x = new float[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.parseFloat(values[i]);
        }
        String label = saved.predictClassNames(x, 1).get(0);         // scaled as in training first
        System.out.println(row + " -> " + label + " " + Arrays.toString(saved.predictProba(x, 1)));
    }
}
