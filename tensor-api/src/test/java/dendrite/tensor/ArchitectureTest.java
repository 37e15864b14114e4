package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-way arrows inside tensor-api, read from the sources' imports: {@code op} depends on
 * nothing, {@code spi} on {@code op} alone, the user API on both; and the SPI is exported only to
 * the project's backends.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?(dendrite\\.[a-z.]+)\\.[A-Z]");

    /** Package → the project packages its classes import. */
    private static Map<String, TreeSet<String>> imports() throws IOException {
        Map<String, TreeSet<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                if (pkg.isEmpty()) {
                    continue;   // module-info
                }
                Matcher m = IMPORT.matcher(Files.readString(f));
                TreeSet<String> set = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        set.add(m.group(1));
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void packagesDependOneWay() throws IOException {
        Map<String, TreeSet<String>> deps = imports();
        assertEquals(new TreeSet<>(), deps.get("dendrite.tensor.op"), "op imports no other package of the project");
        assertEquals(new TreeSet<>(List.of("dendrite.tensor.op")), deps.get("dendrite.tensor.spi"),
                "the SPI imports op alone, never the user API");
        assertFalse(hasCycle(deps), "a package cycle: " + deps);
    }

    private static boolean hasCycle(Map<String, TreeSet<String>> deps) {
        for (String start : deps.keySet()) {
            List<String> stack = new ArrayList<>(deps.getOrDefault(start, new TreeSet<>()));
            TreeSet<String> seen = new TreeSet<>();
            while (!stack.isEmpty()) {
                String p = stack.remove(stack.size() - 1);
                if (p.equals(start)) {
                    return true;
                }
                if (seen.add(p)) {
                    stack.addAll(deps.getOrDefault(p, new TreeSet<>()));
                }
            }
        }
        return false;
    }

    @Test
    void theSpiIsExportedToTheBackendsOnly() throws IOException {
        String module = Files.readString(SOURCES.resolve("module-info.java"));
        assertTrue(module.contains("exports dendrite.tensor.spi to "), module);
        assertFalse(module.matches("(?s).*exports dendrite\\.tensor\\.spi;.*"), module);
    }
}
