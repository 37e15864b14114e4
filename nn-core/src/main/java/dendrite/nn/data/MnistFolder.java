package dendrite.nn.data;

import dendrite.nn.internal.IdxReader;
import dendrite.nn.internal.IdxArray;
import dendrite.nn.internal.IdxType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a folder holding the four IDX files of MNIST or any dataset in its layout (Fashion-MNIST,
 * Kuzushiji-MNIST, ...): {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or with
 * {@code .gz}; the spelling with a dot ({@code train-images.idx3-ubyte}) is accepted too.
 *
 * <p>Pixels are scaled to [0, 1] and each image keeps its shape, one channel of rows × cols
 * ({@code [1, 28, 28]}): a convolution takes it as it is, a dense network takes its 784 values in a
 * row. Labels are checked against the class count, and the image and label counts against each
 * other.
 *
 * <pre>{@code
 * TrainTest mnist = MnistFolder.load(Path.of("/data/mnist"));
 * DataSplit s = mnist.withValidation(0.1, 42);
 * }</pre>
 */
public final class MnistFolder {
    /** The four files, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final List<String> DIGIT_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private MnistFolder() {
    }

    /**
     * Loads MNIST-format files with the digit class names 0..9, naming the dataset after the folder.
     *
     * @param folder the folder holding the four {@link #FILES}, each raw or gzip-compressed
     * @return the training set and the test set, 10 classes, images of shape {@code [1, rows, cols]} in [0, 1]
     * @throws DatasetNotFoundException when a file is missing, saying which and where
     * @throws DatasetFormatException when a file is corrupt, a label is above 9, or the files do not fit together
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load(Path folder) throws IOException {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return load(folder, name == null ? "mnist" : name.toString(), DIGIT_NAMES);
    }

    /**
     * Loads MNIST-format files; {@code classNames} gives the class count and names.
     *
     * @param folder the folder holding the four {@link #FILES}, each raw or gzip-compressed
     * @param name the datasets' name; the parts are named {@code name + " (train)"} and {@code name + " (test)"}
     * @param classNames the class names in label order; every label in the files must be below their count
     * @return the training set and the test set, images of shape {@code [1, rows, cols]} with pixels in [0, 1]
     * @throws DatasetNotFoundException when a file is missing, saying which and where
     * @throws DatasetFormatException when a file is corrupt or the files do not fit together
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load(Path folder, String name, List<String> classNames) throws IOException {
        Path[] files = locate(folder, null);
        Dataset train = read(files[0], files[1], name + " (train)", classNames);
        Dataset test = read(files[2], files[3], name + " (test)", classNames);
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw DatasetFormatException.of(files[2].toString(), "test images have " + test.sampleSize()
                    + " pixels but training images have " + train.sampleSize());
        }
        return new TrainTest(train, test);
    }

    /**
     * Whether all four files are present in {@code folder}.
     *
     * @param folder the folder to look in
     * @return {@code true} when each of {@link #FILES} is there as a regular file, raw or {@code .gz}; the files
     *         are not opened
     */
    public static boolean isComplete(Path folder) {
        for (String f : FILES) {
            if (find(folder, f) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The four files in {@code folder}, or a {@link DatasetNotFoundException} listing the missing
     * ones; {@code hint} (may be null) is added to the message, e.g. the package that provides them.
     */
    static Path[] locate(Path folder, String hint) throws DatasetNotFoundException {
        String suffix = hint == null ? "" : "; " + hint;
        if (!Files.isDirectory(folder)) {
            throw new DatasetNotFoundException("no dataset folder " + folder + " (expected a folder holding "
                    + String.join(", ", FILES) + ", each raw or .gz)" + suffix);
        }
        Path[] found = new Path[FILES.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            found[i] = find(folder, FILES.get(i));
            if (found[i] == null) {
                missing.add(FILES.get(i) + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException("folder " + folder + " lacks " + String.join(", ", missing)
                    + " (an MNIST-format folder holds " + String.join(", ", FILES) + ", each raw or .gz)" + suffix);
        }
        return found;
    }

    private static Path find(Path folder, String base) {
        String dotted = base.replace("-idx", ".idx");
        for (String candidate : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
            Path p = folder.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Dataset read(Path imageFile, Path labelFile, String name, List<String> classNames) throws IOException {
        IdxArray images = IdxReader.read(imageFile);
        IdxArray labels = IdxReader.read(labelFile);
        int[] dims = images.dims();
        if (images.type() != IdxType.UNSIGNED_BYTE || dims.length != 3 || dims[0] == 0 || dims[1] == 0 || dims[2] == 0) {
            throw DatasetFormatException.of(imageFile.toString(), "expected images as unsigned bytes of dimensions "
                    + "[count, rows, cols], none of them 0, found " + images.type() + " " + Arrays.toString(dims));
        }
        if (labels.type() != IdxType.UNSIGNED_BYTE || labels.dims().length != 1) {
            throw DatasetFormatException.of(labelFile.toString(), "expected labels as unsigned bytes of dimensions "
                    + "[count], found " + labels.type() + " " + Arrays.toString(labels.dims()));
        }
        if (labels.length() != dims[0]) {
            throw DatasetFormatException.of(labelFile.toString(), labels.length() + " labels for " + dims[0]
                    + " images in " + imageFile);
        }
        int[] y = labels.toInts();
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= classNames.size()) {
                // Labels start after the 8-byte header, one byte each.
                throw DatasetFormatException.atOffset(labelFile.toString(), 8 + i, "label " + y[i] + " of image " + i
                        + " is not below the " + classNames.size() + " classes");
            }
        }
        float[] x = images.toFloats(1 / 255f);
        return Dataset.classification(name, x, new int[] {1, dims[1], dims[2]}, y, classNames.size(), classNames);
    }
}
