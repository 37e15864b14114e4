package dendrite.nn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void createsAndReplacesTheTarget() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFile.write(f, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(f));
        AtomicFile.write(f, out -> out.write("second, longer".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second, longer", Files.readString(f));
        assertEquals(List.of(f), files(), "no temporary file is left");
    }

    @Test
    void contentThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.bin");
        Files.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100_000]);   // more than the buffer: part of it reaches the temporary file
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    @Test
    void aRenameThatFailsDeletesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");   // a non-empty folder cannot be replaced by a file
        assertThrows(IOException.class, () -> AtomicFile.write(target, out -> out.write(1)));
        assertEquals(List.of(target), files());
        assertTrue(Files.exists(target.resolve("inside")));
    }

    @Test
    void aMissingFolderIsAnIoErrorNotAPartialFile() {
        Path f = dir.resolve("no/such/folder/a.bin");
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> out.write(1)));
        assertTrue(Files.notExists(f));
    }
}
