package dendrite.nn.data;

import dendrite.nn.internal.IdxWriter;
import dendrite.nn.internal.IdxArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder loader on tiny hand-made MNIST-format files (3 training and 2 test images of 2 x 2). */
class MnistFolderTest {
    @TempDir
    Path dir;

    private void writeFolder(int trainLabels) throws IOException {
        IdxWriter.write(IdxArray.ofUnsignedBytes(new int[] {3, 2, 2}, new int[] {0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}),
                dir.resolve("train-images-idx3-ubyte.gz"), true);
        int[] labels = java.util.Arrays.copyOf(new int[] {9, 0, 4, 1}, trainLabels);
        IdxWriter.write(IdxArray.ofUnsignedBytes(new int[] {trainLabels}, labels), dir.resolve("train-labels-idx1-ubyte"),
                false);
        IdxWriter.write(IdxArray.ofUnsignedBytes(new int[] {2, 2, 2}, new int[] {10, 20, 30, 40, 50, 60, 70, 80}),
                dir.resolve("t10k-images.idx3-ubyte"), false);
        IdxWriter.write(IdxArray.ofUnsignedBytes(new int[] {2}, new int[] {3, 7}), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                true);
    }

    @Test
    void loadsAFolderOfRawAndGzipFiles() throws IOException {
        writeFolder(3);
        TrainTest tt = MnistFolder.load(dir);
        assertEquals(3, tt.train().size());
        assertEquals(2, tt.test().size());
        assertArrayEquals(new int[] {1, 2, 2}, tt.train().sampleShape(), "one channel of 2 x 2");
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, java.util.Arrays.copyOf(tt.train().features(), 4), 1e-6f);
        assertArrayEquals(new int[] {9, 0, 4}, tt.train().labels());
        assertArrayEquals(new int[] {3, 7}, tt.test().labels());
        assertEquals(10, tt.train().numClasses());
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        writeFolder(4);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> MnistFolder.load(dir));
        assertTrue(e.getMessage().contains("4 labels for 3 images"), e.getMessage());
    }

    @Test
    void emptyImageFileWithHugeImageSizeIsRefused() throws IOException {
        writeFolder(3);
        // [0, 65536, 65536]: no images, and rows x cols would overflow an int; the zero is refused first
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> MnistFolder.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("dimension 0 of 3 is 0"),
                e.getMessage());
    }

    @Test
    void missingFilesAreListed() throws IOException {
        writeFolder(3);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> MnistFolder.load(dir));
        assertTrue(e.getMessage().contains("lacks t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void fashionMnistInAnEmptyFolderSaysWhichPackageToInstall() {
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }
}
