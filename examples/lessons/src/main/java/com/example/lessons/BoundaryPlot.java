package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws what a two-class model on 2-D points answers over the whole plane, with the data on top:
 * the background is tinted by the model's probability of the second class (so the boundary is where
 * the tint changes, and its softness shows how sure the model is), the points are coloured by their
 * true class. Plain {@link BufferedImage} and {@link ImageIO}, no chart library.
 */
final class BoundaryPlot {
    private static final Color FIRST = new Color(0x1f77b4);
    private static final Color SECOND = new Color(0xff7f0e);
    private static final Color FIRST_AREA = new Color(0xc6dbef);
    private static final Color SECOND_AREA = new Color(0xfdd0a2);

    private final BufferedImage image;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    /** Per pixel, the predicted class (for the lesson's check that both classes have ground). */
    private final int[] classes;

    /** Renders {@code model} over the range of {@code data} (plus a margin) and the points of {@code data}. */
    BoundaryPlot(Sequential model, Dataset data, int width, int height) {
        float[] f = data.features();
        double[] range = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < data.size(); i++) {
            range[0] = Math.min(range[0], f[2 * i]);
            range[1] = Math.max(range[1], f[2 * i]);
            range[2] = Math.min(range[2], f[2 * i + 1]);
            range[3] = Math.max(range[3], f[2 * i + 1]);
        }
        double margin = 0.1 * Math.max(range[1] - range[0], range[3] - range[2]);
        xMin = range[0] - margin;
        xMax = range[1] + margin;
        yMin = range[2] - margin;
        yMax = range[3] + margin;
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        classes = new int[width * height];
        paintBackground(model);
        paintPoints(data);
    }

    /** One prediction per pixel, all pixels in one call: the model predicts in batches. */
    private void paintBackground(Sequential model) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grid = new float[2 * w * h];
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                grid[2 * (py * w + px)] = (float) x(px);
                grid[2 * (py * w + px) + 1] = (float) y(py);
            }
        }
        float[] proba = model.predictProba(grid, w * h);
        for (int p = 0; p < w * h; p++) {
            float second = proba[2 * p + 1];
            classes[p] = second > 0.5f ? 1 : 0;
            image.setRGB(p % w, p / w, mix(FIRST_AREA, SECOND_AREA, second).getRGB());
        }
    }

    private void paintPoints(Dataset data) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1f));
        float[] f = data.features();
        int r = 3;
        for (int i = 0; i < data.size(); i++) {
            int px = (int) Math.round((f[2 * i] - xMin) / (xMax - xMin) * (image.getWidth() - 1));
            int py = (int) Math.round((yMax - f[2 * i + 1]) / (yMax - yMin) * (image.getHeight() - 1));
            g.setColor(data.label(i) == 0 ? FIRST : SECOND);
            g.fillOval(px - r, py - r, 2 * r, 2 * r);
            g.setColor(Color.WHITE);
            g.drawOval(px - r, py - r, 2 * r, 2 * r);
        }
        g.dispose();
    }

    /** The share of the plane where the model answers {@code cls}. */
    double shareOf(int cls) {
        int n = 0;
        for (int c : classes) {
            n += c == cls ? 1 : 0;
        }
        return n / (double) classes.length;
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** Pixel column to data x; row to data y (rows grow downwards, y upwards). */
    private double x(int px) {
        return xMin + (px + 0.5) / image.getWidth() * (xMax - xMin);
    }

    private double y(int py) {
        return yMax - (py + 0.5) / image.getHeight() * (yMax - yMin);
    }

    private static Color mix(Color a, Color b, float t) {
        return new Color(
                Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
