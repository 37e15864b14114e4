package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 binary format, on small files written here (the real set cannot be downloaded here). */
class Cifar10FolderTest {
    @TempDir
    Path dir;

    /** {@code n} records; record r has label r % 10 and pixel i = (r + i) % 256. */
    private static byte[] batch(int n, int firstRecord) {
        byte[] b = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            int rec = firstRecord + r;
            b[r * 3073] = (byte) (rec % 10);
            for (int i = 0; i < 3072; i++) {
                b[r * 3073 + 1 + i] = (byte) ((rec + i) % 256);
            }
        }
        return b;
    }

    @Test
    void batchesLoadAsChannelsFirstImagesScaledToOne() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), batch(4, 0));
        Files.write(dir.resolve("data_batch_2.bin"), batch(3, 4));
        Files.write(dir.resolve("test_batch.bin"), batch(2, 100));
        TrainTest t = Cifar10Folder.load(dir);
        assertEquals(7, t.train().size());
        assertEquals(2, t.test().size());
        assertArrayEquals(new int[] {3, 32, 32}, t.train().sampleShape());
        assertEquals(Cifar10Folder.CLASS_NAMES, t.train().classNames());
        assertEquals(5, t.train().label(5), "record 5 of the training batches, the second of data_batch_2");
        float[] x = t.train().features();
        // record 5, channel 1 (green), row 2, column 3: pixel index 1024 + 2 * 32 + 3
        int i = 1024 + 2 * 32 + 3;
        assertEquals(((5 + i) % 256) / 255f, x[5 * 3072 + i], 1e-7f);
        assertEquals(0, t.test().label(0));
    }

    @Test
    void classNamesComeFromTheMetaFile() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), batch(2, 0));
        Files.write(dir.resolve("test_batch.bin"), batch(1, 0));
        Files.write(dir.resolve("batches.meta.txt"), List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", ""));
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), Cifar10Folder.load(dir).test().classNames());
    }

    @Test
    void brokenFilesAreRefusedNamingTheFileAndOffset() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(batch(2, 0), 3073 * 2 - 5));
        Files.write(dir.resolve("test_batch.bin"), batch(1, 0));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Cifar10Folder.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_1.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a whole number of 3,073-byte records"), e.getMessage());

        byte[] badLabel = batch(2, 0);
        badLabel[3073] = 12;
        Files.write(dir.resolve("data_batch_1.bin"), badLabel);
        e = assertThrows(DatasetFormatException.class, () -> Cifar10Folder.load(dir));
        assertEquals(3073, e.offset());
        assertTrue(e.getMessage().contains("label 12 is not one of the 10 classes"), e.getMessage());

        Files.delete(dir.resolve("test_batch.bin"));
        DatasetNotFoundException missing = assertThrows(DatasetNotFoundException.class, () -> Cifar10Folder.load(dir));
        assertTrue(missing.getMessage().contains("no test_batch.bin"), missing.getMessage());
    }
}
