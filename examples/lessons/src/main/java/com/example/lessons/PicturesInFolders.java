package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.ImageFolder;
import dendrite.nn.data.Splits;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Lesson 8: your own pictures. Pictures sorted into one folder per class ({@code rings/}, {@code squares/})
 * are a dataset as they are: {@link ImageFolder} reads them (any size, PNG or JPEG), resizes them, and
 * labels each by its folder, as torchvision's {@code ImageFolder} does. A small CNN learns the classes, and
 * a new picture, of another size and format, read with {@link ImageFolder#readImage} exactly as the folder's
 * were, gets the right name. The pictures are drawn here first (argument: the folder, default
 * {@code pictures}).
 */
public final class PicturesInFolders {
    private static final int SIZE = 20;

    private PicturesInFolders() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "pictures");
        Random random = new Random(5);
        for (int i = 0; i < 50; i++) {
            for (String shape : new String[] {"rings", "squares"}) {
                Path file = root.resolve(shape).resolve(String.format(Locale.ROOT, "%02d.png", i));
                Files.createDirectories(file.getParent());
                ImageIO.write(draw(shape, 24 + random.nextInt(16), random), "png", file.toFile());
            }
        }

        Dataset pictures = ImageFolder.load(root, SIZE, SIZE, ImageFolder.Color.GRAYSCALE);
        System.out.printf(Locale.ROOT, "%s: %d pictures, classes %s, each read as %s%n", root, pictures.size(),
                pictures.classNames(), java.util.Arrays.toString(pictures.sampleShape()));
        DataSplit split = Splits.stratified(pictures, 0, 0.3, 1);

        Backend backend = Backends.get();
        Sequential cnn = Sequential.builder(1, SIZE, SIZE).conv2d(8, 3).relu().maxPool2d(2).conv2d(16, 3).relu()
                .globalAvgPool2d().flatten().dense(2).build(backend, 3);
        Trainer trainer = Trainer.builder(cnn).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01))
                .epochs(25).batchSize(10).seed(1).build();
        trainer.fit(split.train());
        Evaluation test = trainer.evaluate(split.test());
        System.out.printf(Locale.ROOT, "CNN on %d held-out pictures: accuracy %.2f%n", split.test().size(), test.accuracy());

        Path newcomer = root.resolveSibling("new-ring.jpg");
        ImageIO.write(draw("rings", 57, new Random(99)), "jpg", newcomer.toFile());
        float[] sample = ImageFolder.readImage(newcomer, SIZE, SIZE, ImageFolder.Color.GRAYSCALE);
        float[] p = cnn.predictProba(sample, 1);
        String named = pictures.classNames().get(p[1] > p[0] ? 1 : 0);
        System.out.printf(Locale.ROOT, "%s (57 x 57, JPEG): %s, P = %.3f%n", newcomer.getFileName(), named,
                Math.max(p[0], p[1]));

        Claim.check(test.accuracy() >= 0.9, "the CNN told rings from squares in only " + test.accuracy()
                + " of the held-out pictures");
        Claim.check(named.equals("rings"), "a new ring read by ImageFolder.readImage was taken for " + named);
    }

    /** A light picture with one dark ring or one dark square outline somewhere in it. */
    private static BufferedImage draw(String shape, int size, Random random) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int light = 200 + random.nextInt(56);
        g.setColor(new Color(light, light, light));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(30, 30, 40));
        g.setStroke(new java.awt.BasicStroke(Math.max(2f, size / 12f)));
        int side = size / 2 + random.nextInt(size / 4);
        int x = random.nextInt(size - side);
        int y = random.nextInt(size - side);
        if (shape.equals("rings")) {
            g.drawOval(x, y, side, side);
        } else {
            g.drawRect(x, y, side, side);
        }
        g.dispose();
        return img;
    }
}
