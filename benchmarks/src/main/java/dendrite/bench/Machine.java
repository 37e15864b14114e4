package dendrite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a report is written on, for its header: CPU model, cores and SIMD width. */
final class Machine {
    private Machine() {
    }

    /** E.g. "Intel(R) Xeon(R) Processor, 2 cores, AVX-512, Linux 6.1". */
    static String describe() {
        String model = "unknown CPU";
        String simd = "";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && simd.isEmpty()) {
                    String flags = " " + line.substring(line.indexOf(':') + 1) + " ";
                    simd = flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2"
                            : flags.contains(" sse4_2 ") ? "SSE4.2" : "";
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the JVM's view below is all there is.
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                + (simd.isEmpty() ? "" : ", " + simd) + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }
}
