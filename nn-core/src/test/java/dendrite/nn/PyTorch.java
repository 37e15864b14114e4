package dendrite.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Python with PyTorch for the tests that compare with it: Debian's {@code python3-torch}
 * ({@code /usr/bin/python3}, or {@code -Ddendrite.pytorch.python}). Without it the calling test is
 * skipped saying so, unless {@code -Ddendrite.pytorch.require=true} (as CI runs), which fails it.
 */
public final class PyTorch {
    private PyTorch() {
    }

    private static String python() {
        return System.getProperty("dendrite.pytorch.python", "/usr/bin/python3");
    }

    /** Runs {@code python3 args...} and returns what it printed; fails the test if it fails. */
    public static String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python()));
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            unavailable("cannot start " + python() + ": " + e.getMessage());
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the PyTorch script did not finish in 2 minutes");
        }
        if (p.exitValue() != 0) {
            if (out.contains("No module named 'torch'")) {
                unavailable(python() + " has no torch (apt-get install python3-torch)");
            }
            fail("the PyTorch script failed:\n" + out);
        }
        return out;
    }

    /** Runs a Python program given as text ({@code python3 -c}). */
    public static String runCode(String code) throws IOException, InterruptedException {
        return run(List.of("-c", code));
    }

    /**
     * Runs a Python program that prints lines {@code name v1 v2 ...} (outputs, gradients by name) and
     * returns them by name, in order, as doubles.
     */
    public static java.util.Map<String, double[]> namedValues(String code) throws IOException, InterruptedException {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (String line : runCode(code).strip().split("\\n")) {
            String[] parts = line.trim().split(" ");
            out.put(parts[0], java.util.Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
        }
        return out;
    }

    /** {@code v} as a Python list's items, every float exactly ({@code %.9e}). */
    public static String list(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.9e", f));
        }
        return sb.toString();
    }

    private static void unavailable(String reason) {
        if (Boolean.getBoolean("dendrite.pytorch.require")) {
            fail(reason + " (and -Ddendrite.pytorch.require=true requires PyTorch)");
        }
        Assumptions.abort(reason + " (skipped; -Ddendrite.pytorch.require=true makes this a failure)");
    }
}
