package com.example.graphs;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.TrainTest;
import dendrite.nn.graph.Graph;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.ReLU;
import dendrite.nn.losses.MeanSquaredError;
import dendrite.nn.losses.MultiTaskLoss;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Evaluator;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

import java.io.IOException;
import java.util.Locale;

/**
 * One input, two heads: from a Fashion-MNIST image, its class (10 logits, cross-entropy) and how
 * much of it is ink (the mean pixel value, one number, squared error), from one shared trunk.
 *
 * <p>The graph lists two outputs, so the model's output is the 10 logits and the ink estimate side
 * by side; the targets are laid out the same way (the class, then the ink), and a
 * {@link MultiTaskLoss} gives each head its loss and weight. The ordinary {@link Trainer} trains it
 * and the {@link Evaluator} reports each head's metric ({@code class_accuracy}, {@code ink_rmse}).
 * The claims: the class head names more than 80 % of the test images, and the ink head explains
 * more than 85 % of the ink's variance (R²). (Trained alone for the same 5 epochs, the same network's
 * ink R² is about 0.95: the mean of 784 pixels needs weights of 1/784 that Adam approaches slowly.)
 */
public final class TwoHeads {
    private static final int TRAIN_IMAGES = 20_000;

    private TwoHeads() {
    }

    public static void main(String[] args) throws IOException {
        Backend backend = Backends.get();
        TrainTest data = FashionMnist.load();
        Dataset train = withInk(data.train().head(TRAIN_IMAGES));
        Dataset test = withInk(data.test());

        Graph twoHeads = Graph.builder()
                .layer("flat", new Flatten(), "input")
                .layer("trunk", new Dense(128), "flat").layer("trunk_relu", new ReLU(), "trunk")
                .layer("class", new Dense(10), "trunk_relu")
                .layer("ink", new Dense(1), "trunk_relu")
                .outputs("class", "ink")
                .build();
        Sequential model = Sequential.builder(1, 28, 28).add(twoHeads).build(backend, 3);
        System.out.print(model.summary());
        MultiTaskLoss loss = MultiTaskLoss.builder()
                .head("class", 10, new SoftmaxCrossEntropy(), 1, 1.0)
                .head("ink", 1, new MeanSquaredError(), 1, 10.0)      // its squared errors are ~1e-3: weigh them up
                .build();
        Trainer.builder(model).loss(loss).optimizer(new Adam(1e-3)).epochs(5).batchSize(64).seed(3)
                .build().fit(train);

        Evaluation e = new Evaluator(model, loss).evaluate(test);
        double accuracy = e.metrics().get("class_accuracy");
        double inkRmse = e.metrics().get("ink_rmse");
        double inkSpread = spread(test);
        double r2 = 1 - (inkRmse * inkRmse) / (inkSpread * inkSpread);
        System.out.printf(Locale.ROOT, "test: class accuracy %.3f; ink RMSE %.4f against %.4f for predicting the"
                + " average ink (R² %.3f)%n", accuracy, inkRmse, inkSpread, r2);
        Claim.check(accuracy > 0.8, String.format(Locale.ROOT, "class accuracy %.3f is not above 0.8", accuracy));
        Claim.check(r2 > 0.85, String.format(Locale.ROOT, "the ink head's R² %.3f is not above 0.85", r2));
    }

    /** The images with two target columns: the class and the mean pixel value. */
    private static Dataset withInk(Dataset images) {
        int n = images.size();
        float[] x = images.features();
        float[] targets = new float[2 * n];
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int j = 0; j < 784; j++) {
                sum += x[784 * i + j];
            }
            targets[2 * i] = images.label(i);
            targets[2 * i + 1] = sum / 784;
        }
        return Dataset.regression(images.name() + " (class and ink)", x, new int[] {1, 28, 28}, targets, 2);
    }

    /** The standard deviation of the ink: the RMSE of always predicting its mean. */
    private static double spread(Dataset d) {
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < d.size(); i++) {
            double v = d.targets()[2 * i + 1];
            sum += v;
            sq += v * v;
        }
        double mean = sum / d.size();
        return Math.sqrt(sq / d.size() - mean * mean);
    }
}
