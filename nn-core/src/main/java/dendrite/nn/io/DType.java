package dendrite.nn.io;

import java.util.Locale;

/**
 * The element types of a safetensors file that Dendrite reads, with their names in the header.
 *
 * <p>Dendrite computes in float32: reading converts every type to {@code float} (F64 and the
 * 64-bit integers round, integers beyond 2^24 lose their low bits), and writing converts floats
 * to the type asked for. The constants are declared in the order of the reference
 * implementation's {@code Dtype} enum (increasing alignment), which decides where each tensor
 * goes when a file is written: larger types first, then by name.
 */
public enum DType {
    BOOL(1),
    U8(1),
    I8(1),
    I16(2),
    F16(2),
    BF16(2),
    I32(4),
    F32(4),
    F64(8),
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type with this header name (e.g. {@code "F32"}), or {@code null} when Dendrite does not know it. */
    public static DType byName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Whether {@code name} is a type of the safetensors format that Dendrite cannot read (rather than garbage). */
    static boolean isKnownUnsupported(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64" -> true;
            default -> false;
        };
    }
}
