package com.example.graphs;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.ImageAugmentation;
import dendrite.nn.data.TrainTest;
import dendrite.nn.graph.Blocks;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.losses.SoftmaxCrossEntropy;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Schedules;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Evaluator;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A small residual network (He et al.'s ResNet pattern) on Fashion-MNIST: a 3 x 3 convolution with
 * batch norm, then three residual blocks from {@link Blocks#residual} (each a {@code Graph}: two
 * convolutions with batch norm, and a skip connection added back, through a strided 1 x 1
 * convolution where the second block halves the image and doubles the channels), global average
 * pooling and one dense layer: 151,274 parameters.
 *
 * <p>Run as is, it trains on 8,000 images for 3 epochs (about a minute on two cores, which is what CI
 * runs) and claims a test accuracy above 0.85. With {@code --full} it trains on all 60,000 images for
 * 12 epochs with random 2-pixel shifts (about half an hour on two cores) and claims the target,
 * at least 0.930 on the 10,000 test images; benchmarks/README.md's "Residual CNN" records what the
 * full run gave.
 */
public final class ResidualCnn {
    private static final int QUICK_IMAGES = 8_000;
    private static final int QUICK_EPOCHS = 3;
    private static final double QUICK_TARGET = 0.85;
    private static final int FULL_EPOCHS = 12;
    private static final double FULL_TARGET = 0.930;
    private static final int BATCH = 64;

    private ResidualCnn() {
    }

    public static void main(String[] args) throws IOException {
        boolean full = Arrays.asList(args).contains("--full");
        Backend backend = Backends.get();
        TrainTest data = FashionMnist.load();
        Dataset train = full ? data.train() : data.train().head(QUICK_IMAGES);
        int epochs = full ? FULL_EPOCHS : QUICK_EPOCHS;

        Sequential model = Sequential.builder(1, 28, 28)
                // No bias before batch norm: its shift would be subtracted again with the mean.
                .add(new Conv2d(1, 32, 3, 3, 1, 1, 1, 1, false, 1, 1, 1, false, null))
                .batchNorm2d().relu().maxPool2d(2)          // 32 x 14 x 14
                .add(Blocks.residual(32, 32, 1))
                .add(Blocks.residual(32, 64, 2))            // 64 x 7 x 7
                .add(Blocks.residual(64, 64, 1))
                .globalAvgPool2d().flatten().dense(10)
                .build(backend, 42);
        System.out.print(model.summary());

        long steps = (long) epochs * ((train.size() + BATCH - 1) / BATCH);
        Adam adam = new Adam(0.003);
        adam.schedule(Schedules.cosine(0, steps, 0.0));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer.Builder trainer = Trainer.builder(model).loss(loss).optimizer(adam).epochs(epochs).batchSize(BATCH)
                .seed(42);
        if (full) {
            trainer.augmentation(ImageAugmentation.none().randomCrop(2));
        }
        System.out.printf(Locale.ROOT, "training on %,d images for %d epochs on %s%s%n", train.size(), epochs,
                backend.name(), full ? ", shifted up to 2 pixels" : " (--full for the whole training set)");
        long start = System.nanoTime();
        trainer.build().fit(train);
        double minutes = (System.nanoTime() - start) / 60e9;

        Evaluation test = new Evaluator(model, loss).evaluate(data.test());
        double target = full ? FULL_TARGET : QUICK_TARGET;
        System.out.printf(Locale.ROOT, "test accuracy %.4f (target %.3f) after %.1f minutes of training%n",
                test.accuracy(), target, minutes);
        Claim.check(test.accuracy() >= target, String.format(Locale.ROOT,
                "test accuracy %.4f is below %.3f", test.accuracy(), target));
    }
}
