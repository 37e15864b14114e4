package dendrite.nn.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images sorted into one folder per class, the layout of torchvision's {@code ImageFolder} and
 * Keras's {@code image_dataset_from_directory}: {@code root/cat/001.png}, {@code root/dog/a.jpg}, ...
 * The classes are the subfolders in name order; each image is read with {@code javax.imageio} (PNG,
 * JPEG, BMP, GIF), resized to the size asked for (bilinear, as Keras by default), and stored channels
 * first, {@code [channels, height, width]}, with values in [0, 1], the layout {@code conv2d} reads.
 *
 * <pre>{@code
 * Dataset photos = ImageFolder.load(Path.of("flowers"), 64, 64, ImageFolder.Color.RGB);
 * DataSplit split = Splits.stratified(photos, 0.1, 0.2, 42);
 * }</pre>
 *
 * Files whose extension is not an image's are skipped (a README, a .DS_Store); a file with an image's
 * extension that does not decode is an error naming it, not a silent gap in the data. Images are read
 * in folder order then file-name order, so the same folder gives the same dataset everywhere.
 *
 * <p>Needs the {@code java.desktop} module, which every full JDK has; an application on the module
 * path that calls this adds it ({@code --add-modules java.desktop}, or in a jlink image).
 */
public final class ImageFolder {
    /** The extensions read, as Keras's {@code ALLOWLIST_FORMATS}. */
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** How many channels each image becomes. */
    public enum Color {
        /** One channel, the luminance 0.299 R + 0.587 G + 0.114 B (ITU-R 601, as PIL's and TensorFlow's). */
        GRAYSCALE(1),
        /** Three channels, red, green and blue; an image's transparency is dropped. */
        RGB(3);

        private final int channels;

        Color(int channels) {
            this.channels = channels;
        }

        /**
         * The channels of each sample.
         *
         * @return 1 or 3
         */
        public int channels() {
            return channels;
        }
    }

    private ImageFolder() {
    }

    /**
     * Reads every image under {@code root}'s class folders.
     *
     * @param root the folder holding one subfolder per class
     * @param height the height each image is resized to, at least 1
     * @param width the width each image is resized to, at least 1
     * @param color grayscale or RGB
     * @return a classification set of {@code [channels, height, width]} samples named after {@code root}, its
     *         class names the subfolders' names
     * @throws DatasetNotFoundException if {@code root} is not a folder or has no class folders
     * @throws DatasetFormatException if an image file does not decode (naming it), or a class folder holds no
     *         image (naming the folder)
     * @throws IOException if a folder or file cannot be read
     * @throws IllegalArgumentException if a size is below 1, or the images would not fit in one array
     */
    public static Dataset load(Path root, int height, int width, Color color) throws IOException {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image folder " + root + ": the size must be at least 1 x 1, got "
                    + height + " x " + width);
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetNotFoundException("image folder " + root + ": not a folder");
        }
        List<Path> classFolders;
        try (Stream<Path> s = Files.list(root)) {
            classFolders = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classFolders.isEmpty()) {
            throw new DatasetNotFoundException("image folder " + root + ": no class folders in it (expected "
                    + root.resolve("<class>").resolve("<image>.png") + ")");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classFolders.size(); c++) {
            Path folder = classFolders.get(c);
            names.add(folder.getFileName().toString());
            List<Path> images;
            try (Stream<Path> s = Files.list(folder)) {
                images = s.filter(ImageFolder::isImageFile).sorted().toList();
            }
            if (images.isEmpty()) {
                throw DatasetFormatException.of(folder.toString(), "class folder holds no image ("
                        + String.join(", ", EXTENSIONS) + ")");
            }
            for (Path p : images) {
                files.add(p);
                labels.add(c);
            }
        }
        int sampleSize = color.channels() * height * width;
        if ((long) files.size() * sampleSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image folder " + root + ": " + files.size() + " images of " + sampleSize
                    + " values do not fit in one array; resize them smaller or load a part");
        }
        float[] features = new float[files.size() * sampleSize];
        int[] y = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            readInto(files.get(i), height, width, color, features, i * sampleSize);
            y[i] = labels.get(i);
        }
        return Dataset.classification(root.getFileName() == null ? root.toString() : root.getFileName().toString(),
                features, new int[] {color.channels(), height, width}, y, names.size(), names);
    }

    /**
     * One picture as a sample, read exactly as {@link #load} reads each: resized (bilinear) to
     * {@code height x width}, channels first, values in [0, 1]. This is how a model trained on an image
     * folder sees a new picture.
     *
     * @param file an image file (PNG, JPEG, BMP or GIF)
     * @param height the height the image is resized to, at least 1
     * @param width the width the image is resized to, at least 1
     * @param color grayscale or RGB
     * @return {@code color.channels() * height * width} values, {@code [channels, height, width]}
     * @throws DatasetFormatException if the file does not decode as an image (naming it)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a size is below 1
     */
    public static float[] readImage(Path file, int height, int width, Color color) throws IOException {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image " + file + ": the size must be at least 1 x 1, got "
                    + height + " x " + width);
        }
        float[] sample = new float[color.channels() * height * width];
        readInto(file, height, width, color, sample, 0);
        return sample;
    }

    /**
     * Whether a path is a regular file whose extension {@link #load} reads (.png, .jpg, .jpeg, .bmp,
     * .gif, in any case); other files in an image folder are skipped.
     *
     * @param file a path
     * @return whether it is a file with an image's extension
     */
    public static boolean isImageFile(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static void readInto(Path file, int height, int width, Color color, float[] out, int at)
            throws IOException {
        pixels(resized(read(file), height, width), color, out, at);
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw DatasetFormatException.atOffset(file.toString(), -1, "does not decode as an image: " + e.getMessage(),
                    e);
        }
        if (image == null) {
            throw DatasetFormatException.of(file.toString(), "is not an image javax.imageio can read (PNG, JPEG, BMP,"
                    + " GIF)");
        }
        return image;
    }

    /** The image drawn at {@code height x width} with bilinear interpolation, as 8-bit RGB. */
    private static BufferedImage resized(BufferedImage image, int height, int width) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The image's pixels into {@code out} from {@code at}, channels first, scaled to [0, 1]. */
    private static void pixels(BufferedImage image, Color color, float[] out, int at) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int rgb = image.getRGB(c, r);
                float red = ((rgb >> 16) & 0xff) / 255f;
                float green = ((rgb >> 8) & 0xff) / 255f;
                float blue = (rgb & 0xff) / 255f;
                int i = at + r * w + c;
                if (color == Color.GRAYSCALE) {
                    out[i] = 0.299f * red + 0.587f * green + 0.114f * blue;
                } else {
                    out[i] = red;
                    out[i + plane] = green;
                    out[i + 2 * plane] = blue;
                }
            }
        }
    }
}
