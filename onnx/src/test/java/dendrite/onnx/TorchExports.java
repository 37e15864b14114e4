package dendrite.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The ONNX files that PyTorch exports for these tests ({@code src/test/resources/pytorch/export_models.py}),
 * with PyTorch's inputs and outputs, made once per test JVM in a temporary folder (removed at exit).
 *
 * <p>Needs Debian's {@code python3-torch} ({@code /usr/bin/python3}, or {@code -Ddendrite.pytorch.python});
 * without it the calling test is skipped saying so, unless {@code -Ddendrite.pytorch.require=true}
 * (as CI runs) makes that a failure, as nn-core's PyTorch tests do (a small copy of their
 * {@code PyTorch} helper: nn-core has no test jar).
 */
final class TorchExports {
    private static final long LIMIT_SECONDS = 300;
    private static Path dir;
    private static Map<String, float[]> values;

    private TorchExports() {
    }

    /** The folder with the exported files; runs the script the first time. */
    static synchronized Path dir() throws IOException, InterruptedException {
        if (dir == null) {
            Path d = Files.createTempDirectory("dendrite-onnx-exports");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
            values = parse(run(script().toString(), d.toString()));
            dir = d;
        }
        return dir;
    }

    /** The printed values called {@code name}, e.g. {@code "mlp output"}. */
    static float[] values(String name) throws IOException, InterruptedException {
        dir();
        float[] v = values.get(name);
        if (v == null) {
            fail("the export script printed no '" + name + "' (it printed " + values.keySet() + ")");
        }
        return v;
    }

    private static Map<String, float[]> parse(String printed) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String line : printed.strip().split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length < 3) {
                continue;                           // a warning from the exporter, not a value line
            }
            double[] d = Arrays.stream(parts, 2, parts.length).mapToDouble(Double::parseDouble).toArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            out.put(parts[0] + " " + parts[1], f);
        }
        return out;
    }

    private static String python() {
        return System.getProperty("dendrite.pytorch.python", "/usr/bin/python3");
    }

    private static Path script() {
        try {
            return Path.of(TorchExports.class.getResource("/pytorch/export_models.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code python3 args...}: what it printed on stdout; its stderr (the exporter's warnings) is dropped. */
    private static String run(String... args) throws IOException, InterruptedException {
        Path err = Files.createTempFile("dendrite-onnx-export", ".log");
        try {
            Process p;
            try {
                String[] command = new String[args.length + 1];
                command[0] = python();
                System.arraycopy(args, 0, command, 1, args.length);
                p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            } catch (IOException e) {
                unavailable("cannot start " + python() + ": " + e.getMessage());
                return "";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the PyTorch export script did not finish in " + LIMIT_SECONDS + " s");
            }
            String log = Files.readString(err);
            if (p.exitValue() != 0) {
                if (log.contains("No module named 'torch'")) {
                    unavailable(python() + " has no torch (apt-get install python3-torch)");
                }
                fail("the PyTorch export script failed:\n" + out + log);
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void unavailable(String reason) {
        if (Boolean.getBoolean("dendrite.pytorch.require")) {
            fail(reason + " (and -Ddendrite.pytorch.require=true requires PyTorch)");
        }
        Assumptions.abort(reason + " (skipped; -Ddendrite.pytorch.require=true makes this a failure)");
    }

    private static void delete(Path d) {
        try (var files = Files.list(d)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(d);
        } catch (IOException ignored) {
            // a temporary folder: best effort
        }
    }
}
