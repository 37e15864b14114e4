package dendrite.nn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 60,000 training and 10,000 test greyscale
 * 28 × 28 images of clothing in 10 classes, a harder drop-in replacement for MNIST.
 *
 * <p>On Debian and Ubuntu the files come from the package {@code dataset-fashion-mnist}, which
 * installs them in {@value #DEBIAN_FOLDER}; any other folder in MNIST's layout works through
 * {@link #load(Path)}. Images keep their shape, {@code [1, 28, 28]} (784 values), pixels in [0, 1].
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} puts the IDX files. */
    public static final String DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";

    /** The class names in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String HOW_TO_GET = "install Debian's package with `sudo apt-get install dataset-fashion-mnist`"
            + " (files go to " + DEBIAN_FOLDER + "), or download the four files from"
            + " https://github.com/zalandoresearch/fashion-mnist into a folder and load that folder";

    private FashionMnist() {
    }

    /**
     * Whether the Debian package's files are present.
     *
     * @return {@code true} when {@value #DEBIAN_FOLDER} holds all four MNIST-layout files
     */
    public static boolean isInstalled() {
        return MnistFolder.isComplete(Path.of(DEBIAN_FOLDER));
    }

    /**
     * Loads Fashion-MNIST from {@value #DEBIAN_FOLDER}.
     *
     * @return the 60,000 training and 10,000 test images, as {@link #load(Path)} gives them
     * @throws DatasetNotFoundException naming the missing files and how to install them
     * @throws DatasetFormatException when a file is corrupt or the files do not fit together
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load() throws IOException {
        return load(Path.of(DEBIAN_FOLDER));
    }

    /**
     * Loads Fashion-MNIST from a folder in MNIST's layout.
     *
     * @param folder a folder holding the four files of {@link MnistFolder#FILES}, raw or gzip-compressed
     * @return the training and test sets, named {@code fashion-mnist (train)} and {@code fashion-mnist (test)},
     *         images of shape {@code [1, 28, 28]} in [0, 1], classes named as {@link #CLASS_NAMES}
     * @throws DatasetNotFoundException naming the missing files and how to install them
     * @throws DatasetFormatException when a file is corrupt or the files do not fit together
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load(Path folder) throws IOException {
        MnistFolder.locate(folder, HOW_TO_GET);
        return MnistFolder.load(folder, "fashion-mnist", CLASS_NAMES);
    }
}
