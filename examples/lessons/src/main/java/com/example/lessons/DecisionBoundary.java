package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Lesson 6: seeing what a classifier learned. A small network on two interleaving half-moons is asked
 * for its answer at every pixel of the plane, and the answers are painted under the points: the
 * curved boundary between the tints is the network's decision, which no straight line could draw.
 *
 * <p>Usage: {@code DecisionBoundary [output.png]} (default {@code decision-boundary.png} in the
 * working directory).
 */
public final class DecisionBoundary {
    private static final int WIDTH = 480;
    private static final int HEIGHT = 360;

    private DecisionBoundary() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");               // no display is needed to draw into an image
        Path out = Path.of(args.length > 0 ? args[0] : "decision-boundary.png");
        Files.deleteIfExists(out);                                      // so an old image cannot pass for this run's
        Backend backend = Backends.get();
        Dataset moons = Synthetic.twoMoons(500, 0.1, 3);

        Sequential model = Sequential.builder(2).dense(32).relu().dense(32).relu().dense(2).build(backend, 3);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2))
                .epochs(60).batchSize(32).seed(3).build();
        trainer.fit(moons);
        double accuracy = trainer.evaluate(moons).accuracy();
        System.out.printf(Locale.ROOT, "two moons, %d points: training accuracy %.3f%n", moons.size(), accuracy);
        Claim.check(accuracy >= 0.95, String.format(Locale.ROOT, "training accuracy %.3f is below 0.95", accuracy));

        BoundaryPlot plot = new BoundaryPlot(model, moons, WIDTH, HEIGHT);
        plot.write(out);
        System.out.printf(Locale.ROOT, "wrote %s (%dx%d): %.0f %% of the plane is '%s', %.0f %% '%s'%n", out, WIDTH, HEIGHT,
                100 * plot.shareOf(0), moons.classNames().get(0), 100 * plot.shareOf(1), moons.classNames().get(1));

        Claim.check(Files.isRegularFile(out) && Files.size(out) > 0, "no PNG was written to " + out);
        BufferedImage back = ImageIO.read(out.toFile());
        Claim.check(back != null && back.getWidth() == WIDTH && back.getHeight() == HEIGHT,
                out + " does not read back as a " + WIDTH + "x" + HEIGHT + " image");
        // A boundary needs both sides: a plot of one colour would mean the model answers one class everywhere.
        Claim.check(plot.shareOf(0) > 0.2 && plot.shareOf(1) > 0.2, "the plot shows almost only one class");
    }
}
