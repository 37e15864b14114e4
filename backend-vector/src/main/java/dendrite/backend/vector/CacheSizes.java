package dendrite.backend.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-core data cache sizes, read from Linux's {@code /sys/devices/system/cpu/cpu0/cache};
 * elsewhere typical values (32 KiB L1, 1 MiB L2). GEMM sizes its blocks from them.
 */
record CacheSizes(int l1, int l2) {
    static final CacheSizes DEFAULT = new CacheSizes(32 << 10, 1 << 20);

    /** The sizes of this machine's first core, or {@link #DEFAULT}. */
    static CacheSizes detect() {
        int l1 = 0;
        int l2 = 0;
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                if (!Files.isDirectory(index)) {
                    break;
                }
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                String type = Files.readString(index.resolve("type")).trim();
                int size = parseSize(Files.readString(index.resolve("size")).trim());
                if (level == 1 && type.equals("Data")) {
                    l1 = size;
                } else if (level == 2 && !type.equals("Instruction")) {
                    l2 = size;
                }
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        // Implausible values (a virtual machine may report anything) fall back to the defaults.
        return new CacheSizes(l1 >= (8 << 10) && l1 <= (1 << 20) ? l1 : DEFAULT.l1,
                l2 >= (128 << 10) && l2 <= (64 << 20) ? l2 : DEFAULT.l2);
    }

    /** "48K", "2048K", "2M" to bytes. */
    static int parseSize(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        if (Character.isDigit(unit)) {
            return Integer.parseInt(s);
        }
        int v = Integer.parseInt(s.substring(0, s.length() - 1));
        return switch (unit) {
            case 'K' -> v << 10;
            case 'M' -> v << 20;
            default -> throw new IllegalArgumentException("cache size " + s);
        };
    }
}
