package com.example.graphs;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.TrainTest;
import dendrite.nn.graph.Graph;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Flatten;
import dendrite.nn.layers.ReLU;
import dendrite.nn.layers.Sigmoid;
import dendrite.nn.losses.Losses;
import dendrite.nn.metrics.Metrics;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A dense autoencoder on Fashion-MNIST (784 → 256 → 32 → 256 → 784), then its encoder used alone.
 *
 * <p>The model is a {@link Graph} whose node {@code code} is the 32-number bottleneck. After
 * training, {@code autoencoder.subgraph("input", "code")} is the encoder: a model of its own that
 * shares the trained layers, so it turns images into codes without the decoder and without copying
 * a weight. The claims: reconstructions are far closer to the images than the mean image is, and the
 * codes (learned without a label) keep enough of what an image is for a nearest-centroid classifier
 * on them to name most test images' classes. The first test images and their reconstructions are
 * drawn to a PNG (argument: the file, default {@code reconstructions.png}).
 */
public final class FashionAutoencoder {
    private static final int TRAIN_IMAGES = 20_000;
    private static final int EPOCHS = 4;

    private FashionAutoencoder() {
    }

    public static void main(String[] args) throws IOException {
        Path picture = Path.of(args.length > 0 ? args[0] : "reconstructions.png");
        Backend backend = Backends.get();
        TrainTest data = FashionMnist.load();
        Dataset images = data.train().head(TRAIN_IMAGES);
        Dataset test = data.test();

        Graph autoencoder = Graph.builder()
                .layer("flat", new Flatten(), "input")
                .layer("enc1", new Dense(256), "flat").layer("enc1_relu", new ReLU(), "enc1")
                .layer("code", new Dense(32), "enc1_relu")
                .layer("dec1", new Dense(256), "code").layer("dec1_relu", new ReLU(), "dec1")
                .layer("dec2", new Dense(784), "dec1_relu").layer("pixels", new Sigmoid(), "dec2")
                .build();
        Sequential model = Sequential.builder(1, 28, 28).add(autoencoder).build(backend, 7);
        System.out.print(model.summary());

        Trainer.builder(model).loss(Losses.mse()).optimizer(new Adam(2e-3)).epochs(EPOCHS).batchSize(64).seed(7)
                .build().fit(autoencoding(images));

        float[] reconstructed = model.predict(test.features(), test.size());
        double error = Metrics.meanSquaredError(test.features(), reconstructed);
        double baseline = Metrics.meanSquaredError(test.features(), repeat(mean(images), test.size()));
        System.out.printf(Locale.ROOT, "reconstruction error per pixel on the %,d test images: %.4f; the mean"
                + " image's: %.4f%n", test.size(), error, baseline);
        Claim.check(error < baseline / 3, String.format(Locale.ROOT,
                "the reconstruction error %.4f is not below a third of the mean image's %.4f", error, baseline));

        // The encoder alone: the part of the trained graph from its input to the code.
        Sequential encoder = Sequential.builder(1, 28, 28).add(autoencoder.subgraph("input", "code"))
                .build(backend, 0);
        System.out.println("encoder: " + encoder.outputShape() + " per image, parameters "
                + encoder.stateDict().keySet());
        float[] trainCodes = encoder.predict(images.features(), images.size());
        float[] testCodes = encoder.predict(test.features(), test.size());
        double accuracy = nearestCentroidAccuracy(trainCodes, images, testCodes, test, 32);
        System.out.printf(Locale.ROOT, "nearest class centroid on the 32-D codes: %.1f %% of test images"
                + " (chance: 10 %%)%n", 100 * accuracy);
        Claim.check(accuracy > 0.6, String.format(Locale.ROOT,
                "a nearest-centroid classifier on the codes reaches only %.3f", accuracy));

        draw(test.features(), reconstructed, 10, picture);
        System.out.println("originals (top) and reconstructions (bottom): " + picture);
    }

    private static Dataset autoencoding(Dataset images) {
        return Dataset.regression(images.name() + " (autoencoding)", images.features(), new int[] {1, 28, 28},
                images.features(), 784);
    }

    /** Classifies each test code by the nearest mean code of a class in the training codes. */
    static double nearestCentroidAccuracy(float[] trainCodes, Dataset train, float[] testCodes, Dataset test, int d) {
        int classes = 10;
        double[][] centroid = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < train.size(); i++) {
            int c = train.label(i);
            count[c]++;
            for (int j = 0; j < d; j++) {
                centroid[c][j] += trainCodes[i * d + j];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                centroid[c][j] /= Math.max(1, count[c]);
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < classes; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = testCodes[i * d + j] - centroid[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        return correct / (double) test.size();
    }

    /** The first {@code n} images in a row, their reconstructions below, three times their size. */
    private static void draw(float[] images, float[] reconstructed, int n, Path file) throws IOException {
        int scale = 3;
        BufferedImage img = new BufferedImage(n * 28 * scale, 2 * 28 * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < n; k++) {
            for (int row = 0; row < 2; row++) {
                float[] src = row == 0 ? images : reconstructed;
                for (int y = 0; y < 28 * scale; y++) {
                    for (int x = 0; x < 28 * scale; x++) {
                        float v = src[k * 784 + (y / scale) * 28 + x / scale];
                        int g = Math.max(0, Math.min(255, Math.round(v * 255)));
                        img.getRaster().setSample(k * 28 * scale + x, row * 28 * scale + y, 0, g);
                    }
                }
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static float[] mean(Dataset images) {
        float[] mean = new float[784];
        float[] x = images.features();
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < 784; j++) {
                mean[j] += x[784 * i + j] / images.size();
            }
        }
        return mean;
    }

    private static float[] repeat(float[] row, int times) {
        float[] out = new float[row.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(row, 0, out, i * row.length, row.length);
        }
        return out;
    }
}
