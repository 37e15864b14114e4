package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts are real PNG files of the stated size, with something drawn on them. */
class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void curvesWithAccuracyAreTwoPanelsWide() throws IOException {
        Path f = dir.resolve("curves.png");
        Charts.curves(new Charts.Curves(new double[] {1.0, 0.5, 0.3}, new double[] {1.1, 0.6, 0.4},
                new double[] {0.5, 0.8, 0.9}, new double[] {0.45, 0.75, 0.85}), "test", f);
        BufferedImage img = read(f);
        assertEquals(2 * Charts.PANEL_WIDTH, img.getWidth());
        assertEquals(Charts.PANEL_HEIGHT, img.getHeight());
        assertNotBlank(img);
    }

    @Test
    void curvesWithoutAccuracyAreOnePanel() throws IOException {
        Path f = dir.resolve("loss.png");
        Charts.curves(new Charts.Curves(new double[] {1.0, 0.5}, null, null, null), "regression", f);
        BufferedImage img = read(f);
        assertEquals(Charts.PANEL_WIDTH, img.getWidth());
        assertEquals(Charts.PANEL_HEIGHT, img.getHeight());
    }

    /** A range test's curve, with and without a suggestion, including a loss far past the axis. */
    @Test
    void learningRateRangeIsOnePanel() throws IOException {
        double[] rates = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};
        double[] losses = {2.3, 2.3, 2.2, 1.5, 0.8, 3.0, 1e6};
        double[] smoothed = {2.3, 2.3, 2.25, 2.0, 1.6, 1.9, 5.0};
        for (double suggestion : new double[] {1e-3, Double.NaN}) {
            Path f = dir.resolve("lr_find-" + suggestion + ".png");
            Charts.learningRateRange(rates, losses, smoothed, suggestion, "test", f);
            BufferedImage img = read(f);
            assertEquals(Charts.PANEL_WIDTH, img.getWidth());
            assertEquals(Charts.PANEL_HEIGHT, img.getHeight());
            assertNotBlank(img);
        }
    }

    @Test
    void confusionMatrix() throws IOException {
        Path f = dir.resolve("confusion.png");
        Charts.confusion(new int[][] {{5, 1, 0}, {0, 7, 2}, {1, 0, 9}}, List.of("cat", "dog", "bird"), "test", f);
        BufferedImage img = read(f);
        assertEquals(Charts.CONFUSION_WIDTH, img.getWidth());
        assertEquals(Charts.CONFUSION_HEIGHT, img.getHeight());
        assertNotBlank(img);
    }

    @Test
    void decisionBoundaryPaintsEachRegionInItsClassColour() throws IOException {
        int g = 40;
        double[] xs = new double[g];
        double[] ys = new double[g];
        int[][] grid = new int[g][g];
        for (int i = 0; i < g; i++) {
            xs[i] = -1 + 2.0 * i / (g - 1);
            ys[i] = -1 + 2.0 * i / (g - 1);
        }
        for (int iy = 0; iy < g; iy++) {
            for (int ix = 0; ix < g; ix++) {
                grid[iy][ix] = xs[ix] < 0 ? 0 : 1;   // left half class 0, right half class 1
            }
        }
        Path f = dir.resolve("boundary.png");
        Charts.decisionBoundary(xs, ys, grid, new float[] {-0.5f, 0.5f, 0.5f, -0.5f}, new int[] {0, 1},
                List.of("a", "b"), "test", f);
        BufferedImage img = read(f);
        assertEquals(Charts.BOUNDARY_WIDTH, img.getWidth());
        assertEquals(Charts.BOUNDARY_HEIGHT, img.getHeight());
        // Somewhere in the plot the left region's tint and the right region's tint both appear.
        int y = img.getHeight() / 2;
        int left = img.getRGB(img.getWidth() / 4, y) & 0xffffff;
        int right = img.getRGB(img.getWidth() * 3 / 5, y) & 0xffffff;
        assertNotEquals(left, right);
        assertNotEquals(0xffffff, left);
        assertNotEquals(0xffffff, right);
    }

    private static BufferedImage read(Path f) throws IOException {
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f + " is not an image ImageIO can read");
        return img;
    }

    /** More than a couple of colours: a chart was drawn, not an empty canvas. */
    static void assertNotBlank(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(colours.size() > 5, "only " + colours.size() + " colours");
    }
}
