package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Digits;
import dendrite.nn.data.Splits;
import dendrite.nn.losses.Losses;
import dendrite.nn.metrics.Metrics;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.Locale;

/**
 * Lesson 5: an autoencoder. A network asked to output its own input, through a bottleneck of 8
 * numbers, has to find what the 64 pixels of a handwritten digit have in common: the 8-D code is a
 * summary it invented, with no labels given. Trained with plain MSE as a regression whose targets
 * are the inputs. On digits it never saw, it must reconstruct clearly better than the best
 * input-blind guess, the mean image.
 */
public final class Autoencoder {
    /** Index of the 8-unit code layer in the model below (dense 32, relu, dense 8, ...). */
    private static final int CODE_LAYER = 2;

    private Autoencoder() {
    }

    public static void main(String[] args) {
        Backend backend = Backends.get();
        Dataset digits = Digits.load().withSampleShape(Digits.PIXELS);       // 1,797 images as 64 pixels in [0, 1]
        DataSplit split = Splits.stratified(digits, 0, 0.2, 5);
        Dataset train = asAutoencoding(split.train());
        Dataset test = asAutoencoding(split.test());

        Sequential model = Sequential.builder(64)
                .dense(32).relu()
                .dense(8)                                // the code
                .dense(32).relu()
                .dense(64).sigmoid()                     // pixels are in [0, 1]
                .build(backend, 5);
        System.out.println("autoencoder " + model);
        Trainer.builder(model).loss(Losses.mse()).optimizer(new Adam(3e-3)).epochs(60).batchSize(32).seed(5)
                .build().fit(train);

        float[] reconstructed = model.predict(test.features(), test.size());
        double error = Metrics.meanSquaredError(test.targets(), reconstructed);
        double baseline = Metrics.meanSquaredError(test.targets(), repeat(meanImage(train), test.size()));
        System.out.printf(Locale.ROOT, "mean squared error per pixel on held-out digits: autoencoder %.4f,"
                + " predicting the mean image %.4f (%.1f times as much)%n", error, baseline, baseline / error);
        Claim.check(error < baseline / 2, String.format(Locale.ROOT,
                "the autoencoder's error %.4f is not clearly below the mean image's %.4f", error, baseline));

        printCodes(model, split.test());
        printSideBySide(split.test(), reconstructed, 0);
    }

    /** The regression "predict the image from itself". */
    private static Dataset asAutoencoding(Dataset images) {
        return Dataset.regression(images.name() + " (autoencoding)", images.features(), new int[] {64},
                images.features(), 64);
    }

    /** The 8-D code of the first test image of digits 0 to 4: the output of the code layer in a forward pass. */
    private static void printCodes(Sequential model, Dataset test) {
        System.out.println("8-D codes:");
        for (int digit = 0; digit < 5; digit++) {
            int i = firstOf(test, digit);
            float[] pixels = new float[64];
            System.arraycopy(test.features(), 64 * i, pixels, 0, 64);
            try (Tensor x = model.backend().tensor(pixels, 1, 64)) {
                model.forward(x, false);
                float[] code = model.lastOutput(CODE_LAYER).toArray();
                StringBuilder sb = new StringBuilder("  digit " + digit + ":");
                for (float c : code) {
                    sb.append(String.format(Locale.ROOT, " %6.2f", c));
                }
                System.out.println(sb);
            }
        }
    }

    /** One test digit and its reconstruction, as text. */
    private static void printSideBySide(Dataset test, float[] reconstructed, int digit) {
        int i = firstOf(test, digit);
        System.out.println("a held-out " + digit + " and its reconstruction:");
        String shades = " .:-=+*#%@";
        for (int r = 0; r < 8; r++) {
            StringBuilder sb = new StringBuilder("  ");
            for (int c = 0; c < 8; c++) {
                sb.append(shade(shades, test.features()[64 * i + 8 * r + c]));
            }
            sb.append("    ");
            for (int c = 0; c < 8; c++) {
                sb.append(shade(shades, reconstructed[64 * i + 8 * r + c]));
            }
            System.out.println(sb);
        }
    }

    private static String shade(String shades, float v) {
        char ch = shades.charAt(Math.min(shades.length() - 1, Math.max(0, Math.round(v * (shades.length() - 1)))));
        return "" + ch + ch;
    }

    private static int firstOf(Dataset data, int label) {
        for (int i = 0; i < data.size(); i++) {
            if (data.label(i) == label) {
                return i;
            }
        }
        throw new IllegalStateException("no digit " + label + " in " + data);
    }

    private static float[] meanImage(Dataset train) {
        float[] mean = new float[64];
        float[] x = train.features();
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < 64; j++) {
                mean[j] += x[64 * i + j] / train.size();
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
