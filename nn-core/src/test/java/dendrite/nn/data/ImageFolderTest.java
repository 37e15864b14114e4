package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluator;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backends;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageFolder} on folders of images written here: classes in name order, other files skipped,
 * exact pixels (channels first, in [0, 1], luminance for grayscale), resizing, a model that learns the
 * classes, and the errors: a file that does not decode, an empty class, no class folders.
 */
class ImageFolderTest {
    @TempDir
    Path dir;

    private static void write(Path file, int w, int h, Color fill, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(fill);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, format, file.toFile());
    }

    @Test
    void classesInNameOrderPixelsChannelsFirstOtherFilesSkipped() throws IOException {
        Path root = dir.resolve("shapes");
        write(root.resolve("red").resolve("b.png"), 4, 3, new Color(255, 0, 51), "png");
        write(root.resolve("red").resolve("a.bmp"), 4, 3, new Color(204, 0, 0), "bmp");
        write(root.resolve("blue").resolve("x.png"), 4, 3, new Color(0, 102, 255), "png");
        Files.writeString(root.resolve("blue").resolve("notes.txt"), "not an image");
        Files.writeString(root.resolve("LICENSE"), "a file beside the class folders");

        Dataset rgb = ImageFolder.load(root, 3, 4, ImageFolder.Color.RGB);
        assertEquals(List.of("blue", "red"), rgb.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, rgb.labels(), "blue (0), then red's a.bmp and b.png");
        assertArrayEquals(new int[] {3, 3, 4}, rgb.sampleShape());
        float[] f = rgb.features();
        int plane = 12;
        assertEquals(0f, f[0]);                                      // blue sample, red channel
        assertEquals(102 / 255f, f[plane], 1e-7f);                   // green channel
        assertEquals(1f, f[2 * plane + 11], 1e-7f);                  // blue channel, last pixel
        assertEquals(204 / 255f, f[36], 1e-7f);                      // a.bmp's red
        assertEquals(51 / 255f, f[72 + 2 * plane], 1e-7f);           // b.png's blue

        Dataset gray = ImageFolder.load(root, 3, 4, ImageFolder.Color.GRAYSCALE);
        assertArrayEquals(new int[] {1, 3, 4}, gray.sampleShape());
        assertEquals((0.587 * 102 + 0.114 * 255) / 255, gray.features()[0], 1e-6);
    }

    @Test
    void imagesAreResizedToTheSizeAsked() throws IOException {
        Path root = dir.resolve("sizes");
        write(root.resolve("a").resolve("big.png"), 40, 30, Color.WHITE, "png");
        write(root.resolve("a").resolve("small.jpg"), 5, 7, Color.BLACK, "jpg");
        Dataset d = ImageFolder.load(root, 8, 8, ImageFolder.Color.GRAYSCALE);
        assertEquals(2, d.size());
        assertEquals(64, d.sampleSize());
        for (int i = 0; i < 64; i++) {
            assertEquals(1f, d.features()[i], 1e-6f, "white stays white");
            assertEquals(0f, d.features()[64 + i], 0.02f, "black stays black (JPEG rounding)");
        }
    }

    /** A single picture reads as the same sample load gives it, so a trained model sees new pictures alike. */
    @Test
    void oneImageReadsAsLoadReadsItsFolder() throws IOException {
        Path root = dir.resolve("pictures");
        Random r = new Random(6);
        BufferedImage img = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 9; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Path file = root.resolve("only").resolve("noise.png");
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        Files.writeString(root.resolve("only").resolve("README.md"), "not a picture");
        for (ImageFolder.Color color : ImageFolder.Color.values()) {
            float[] folder = ImageFolder.load(root, 5, 6, color).features();
            assertArrayEquals(folder, ImageFolder.readImage(file, 5, 6, color), color.name());
            assertEquals(color.channels() * 30, folder.length);
        }
        assertTrue(ImageFolder.isImageFile(file));
        assertTrue(!ImageFolder.isImageFile(root.resolve("only").resolve("README.md")), "not an image's extension");
        assertTrue(!ImageFolder.isImageFile(root.resolve("only")), "a folder");
        assertTrue(!ImageFolder.isImageFile(root.resolve("missing.png")), "no such file");
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.readImage(file, 0, 6, ImageFolder.Color.RGB));
    }

    /** Bright images with a dark vertical bar or a dark horizontal one: a small CNN tells them apart. */
    @Test
    void aConvolutionalModelLearnsTheFoldersClasses() throws IOException {
        Path root = dir.resolve("bars");
        Random r = new Random(4);
        for (int i = 0; i < 40; i++) {
            for (String kind : new String[] {"horizontal", "vertical"}) {
                BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(200 + r.nextInt(56), 200 + r.nextInt(56), 200 + r.nextInt(56)));
                g.fillRect(0, 0, 16, 16);
                g.setColor(Color.DARK_GRAY);
                int at = 2 + r.nextInt(10);
                if (kind.equals("vertical")) {
                    g.fillRect(at, 0, 3, 16);
                } else {
                    g.fillRect(0, at, 16, 3);
                }
                g.dispose();
                Path file = root.resolve(kind).resolve(i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(img, "png", file.toFile());
            }
        }
        Dataset data = ImageFolder.load(root, 16, 16, ImageFolder.Color.RGB);
        DataSplit split = Splits.stratified(data, 0, 0.25, 1);
        Sequential cnn = Sequential.builder(3, 16, 16).conv2d(8, 3).relu().maxPool2d(2).flatten().dense(2)
                .build(Backends.get("scalar"), 3);
        Trainer.builder(cnn).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(15).batchSize(16)
                .build().fit(split.train());
        double accuracy = new Evaluator(cnn, Losses.softmaxCrossEntropy()).evaluate(split.test()).accuracy();
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
    }

    @Test
    void errorsNameTheFileOrFolder() throws IOException {
        Path root = dir.resolve("bad");
        write(root.resolve("ok").resolve("a.png"), 2, 2, Color.RED, "png");
        Path corrupt = root.resolve("ok").resolve("b.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolder.load(root, 2, 2, ImageFolder.Color.RGB));
        assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());

        Files.delete(corrupt);
        Files.createDirectories(root.resolve("empty"));
        e = assertThrows(DatasetFormatException.class, () -> ImageFolder.load(root, 2, 2, ImageFolder.Color.RGB));
        assertTrue(e.getMessage().startsWith(root.resolve("empty").toString())
                && e.getMessage().contains("holds no image"), e.getMessage());

        DatasetNotFoundException n = assertThrows(DatasetNotFoundException.class,
                () -> ImageFolder.load(dir.resolve("missing"), 2, 2, ImageFolder.Color.RGB));
        assertTrue(n.getMessage().contains("not a folder"), n.getMessage());
        Path flat = dir.resolve("flat");
        write(flat.resolve("a.png"), 2, 2, Color.RED, "png");
        n = assertThrows(DatasetNotFoundException.class, () -> ImageFolder.load(flat, 2, 2, ImageFolder.Color.RGB));
        assertTrue(n.getMessage().contains("no class folders"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(root, 0, 2, ImageFolder.Color.RGB));
    }
}
