package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The README's "Using Dendrite in your own project" shows examples/embedded-app's App.java, which CI
 * builds and runs: the copy in the README must be the file, so what users paste is what CI ran.
 */
class ReadmeExampleTest {
    private static final String FILE = "examples/embedded-app/src/main/java/com/example/embedded/App.java";

    @Test
    void theReadmesEmbeddingExampleIsTheFileCiRuns() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();          // tests run in cli/
        String readme = Files.readString(root.resolve("README.md"));
        String marker = "<!-- " + FILE + " -->\n```java\n";
        int start = readme.indexOf(marker);
        assertTrue(start >= 0, "README.md has no block marked " + marker.strip());
        start += marker.length();
        int end = readme.indexOf("```", start);
        assertEquals(Files.readString(root.resolve(FILE)), readme.substring(start, end),
                "README.md's copy of " + FILE + " differs from the file: copy the file into the README");
    }
}
