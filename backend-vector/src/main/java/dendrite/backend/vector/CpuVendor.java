package dendrite.backend.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU's maker, from the {@code vendor_id} line of Linux's {@code /proc/cpuinfo} ({@link #OTHER}
 * where there is none). The JVM does not say which CPU it runs on, and GEMM's transposing packs use
 * vector gathers only where they are not slow: a choice of speed alone, never of a result's bits.
 */
enum CpuVendor {
    INTEL, AMD, OTHER;

    /** This machine's vendor, read once. */
    static final CpuVendor DETECTED = detect();

    /** This machine's vendor, or {@link #OTHER} when {@code /proc/cpuinfo} cannot be read. */
    static CpuVendor detect() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return OTHER;
        }
    }

    /** The vendor named by the first {@code vendor_id} line of a {@code /proc/cpuinfo} text. */
    static CpuVendor parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("vendor_id")) {
                String id = line.substring(line.indexOf(':') + 1).trim();
                return switch (id) {
                    case "GenuineIntel" -> INTEL;
                    case "AuthenticAMD" -> AMD;
                    default -> OTHER;
                };
            }
        }
        return OTHER;
    }
}
