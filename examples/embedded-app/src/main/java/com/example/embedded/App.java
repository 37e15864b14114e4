package com.example.embedded;

import dendrite.nn.Sequential;
import dendrite.nn.data.CsvReader;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.data.Splits;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.SafeTensors;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

        // The scaler and the class names travel in the model file's metadata.
        Map<String, String> metadata = new HashMap<>();
        scaler.toMap().forEach((k, v) -> metadata.put("app.scaler." + k, v));
        metadata.put("app.classes", String.join(",", data.classNames()));
        ModelFile.save(model, modelFile, metadata);
        System.out.println("saved " + modelFile);
        if (eval.accuracy() < 0.85) {
            System.exit(1);
        }
    }

    static void predict(Backend backend, Path modelFile, String row) throws Exception {
        Sequential model = ModelFile.load(modelFile, backend);        // the architecture is in the file
        Map<String, String> metadata = SafeTensors.read(modelFile).metadata();
        Map<String, String> scalerMap = new HashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith("app.scaler.")) {
                scalerMap.put(k.substring("app.scaler.".length()), v);
            }
        });
        Scaler scaler = Scaler.fromMap(scalerMap);
        List<String> classes = List.of(metadata.get("app.classes").split(","));

        float[] x = new float[model.inputShape().size()];
        String[] values = row.split(",");
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.parseFloat(values[i]);
        }
        float[] p = model.predictProba(scaler.transform(x), 1);
        int best = model.predictClasses(scaler.transform(x), 1)[0];
        System.out.println(row + " -> " + classes.get(best) + " " + Arrays.toString(p));
    }
}
