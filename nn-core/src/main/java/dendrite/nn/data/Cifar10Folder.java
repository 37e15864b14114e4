package dendrite.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the binary version of CIFAR-10 ({@code cifar-10-batches-bin}): {@code data_batch_1.bin} to
 * {@code data_batch_5.bin} for training, {@code test_batch.bin} for testing, and the class names from
 * {@code batches.meta.txt} when it is there.
 *
 * <p>Each record is one label byte (0 to 9) and 3,072 pixel bytes: the 1,024 red values of a 32 × 32
 * image row by row, then the green, then the blue, which is the channels-first layout a convolution
 * takes, so each sample is {@code [3, 32, 32]}, pixels scaled to [0, 1]. A file whose length is not
 * a whole number of records, or a label outside the classes, is refused naming the file and the byte
 * offset.
 *
 * <pre>{@code
 * TrainTest cifar = Cifar10Folder.load(Path.of("/data/cifar-10-batches-bin"));
 * }</pre>
 */
public final class Cifar10Folder {
    /** Bytes of one image: 3 channels of 32 × 32. */
    static final int PIXELS = 3 * 32 * 32;
    private static final int RECORD = 1 + PIXELS;
    /** The names in {@code batches.meta.txt} of the published set. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private Cifar10Folder() {
    }

    /**
     * Loads the training batches that are there (at least {@code data_batch_1.bin}) and the test batch.
     *
     * @param folder the {@code cifar-10-batches-bin} folder
     * @return the training set (50,000 images with all five batches) and the test set (10,000), named
     *         {@code cifar10 (train)} and {@code cifar10 (test)}: samples of shape {@code [3, 32, 32]} in [0, 1],
     *         10 classes named as in {@code batches.meta.txt} or {@link #CLASS_NAMES}
     * @throws DatasetNotFoundException when the first training batch or the test batch is missing
     * @throws DatasetFormatException   when a file is not a whole number of records or holds a bad label, when
     *                                  {@code batches.meta.txt} does not hold 10 names, or when the images would
     *                                  not fit in the heap
     * @throws IOException              if a file cannot be read
     */
    public static TrainTest load(Path folder) throws IOException {
        List<String> names = classNames(folder);
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path f = folder.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(f)) {
                trainFiles.add(f);
            } else if (i == 1) {
                throw missing(folder, f);
            }
        }
        Path testFile = folder.resolve("test_batch.bin");
        if (!Files.isRegularFile(testFile)) {
            throw missing(folder, testFile);
        }
        return new TrainTest(read(trainFiles, "cifar10 (train)", names), read(List.of(testFile), "cifar10 (test)", names));
    }

    private static DatasetNotFoundException missing(Path folder, Path file) {
        return new DatasetNotFoundException("CIFAR-10: no " + file.getFileName() + " in " + folder.toAbsolutePath()
                + " (expected the binary version, cifar-10-batches-bin: data_batch_1.bin ... data_batch_5.bin,"
                + " test_batch.bin)");
    }

    /** {@code batches.meta.txt}'s non-empty lines, or the published names without it. */
    private static List<String> classNames(Path folder) throws IOException {
        Path meta = folder.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (names.size() != 10) {
            throw DatasetFormatException.of(meta.toString(), "holds " + names.size() + " class names, CIFAR-10 has 10");
        }
        return names;
    }

    private static Dataset read(List<Path> files, String name, List<String> classNames) throws IOException {
        long records = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % RECORD != 0) {
                throw DatasetFormatException.atOffset(f.toString(), size - size % RECORD, String.format(Locale.ROOT,
                        "%,d bytes are not a whole number of %,d-byte records (a label byte and %,d pixels)", size,
                        RECORD, PIXELS));
            }
            records += size / RECORD;
        }
        long needed = records * PIXELS * 4L;
        if (records * PIXELS > Integer.MAX_VALUE - 8 || needed > Runtime.getRuntime().maxMemory()) {
            throw DatasetFormatException.of(files.get(0).toString(), String.format(Locale.ROOT,
                    "%,d images need %,d MiB as floats, more than this JVM may use (maximum heap %,d MiB; raise it"
                            + " with -Xmx)", records, needed >> 20, Runtime.getRuntime().maxMemory() >> 20));
        }
        float[] x = new float[(int) (records * PIXELS)];
        int[] y = new int[(int) records];
        int r = 0;
        byte[] record = new byte[RECORD];
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                for (long offset = 0; in.readNBytes(record, 0, RECORD) == RECORD; offset += RECORD, r++) {
                    int label = record[0] & 0xFF;
                    if (label >= classNames.size()) {
                        throw DatasetFormatException.atOffset(f.toString(), offset, "label " + label
                                + " is not one of the " + classNames.size() + " classes");
                    }
                    y[r] = label;
                    for (int i = 0; i < PIXELS; i++) {
                        x[r * PIXELS + i] = (record[1 + i] & 0xFF) / 255f;
                    }
                }
            }
        }
        return Dataset.classification(name, x, new int[] {3, 32, 32}, y, classNames.size(), classNames);
    }
}
