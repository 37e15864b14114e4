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
    /** Boolean, one byte per element: read as 1 for any non-zero byte, else 0; written as 1 for non-zero. */
    BOOL(1),
    /** Unsigned 8-bit integer, 0 to 255. */
    U8(1),
    /** Signed 8-bit integer, -128 to 127. */
    I8(1),
    /** Signed 16-bit integer, little-endian. */
    I16(2),
    /** IEEE 754 half precision (binary16), little-endian: 5 exponent bits, 10 mantissa bits. */
    F16(2),
    /** bfloat16, the upper 16 bits of a float32 (8 exponent bits, 7 mantissa bits), little-endian. */
    BF16(2),
    /** Signed 32-bit integer, little-endian; values beyond 2^24 lose their low bits as floats. */
    I32(4),
    /** IEEE 754 single precision, little-endian: Dendrite's own type, read and written exactly. */
    F32(4),
    /** IEEE 754 double precision, little-endian; rounded to float32 when read. */
    F64(8),
    /** Signed 64-bit integer, little-endian, e.g. PyTorch's {@code num_batches_tracked}; rounded when read. */
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /**
     * Bytes per element.
     *
     * @return the element's size in the file, 1, 2, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The type with this header name (e.g. {@code "F32"}), or {@code null} when Dendrite does not know it.
     *
     * @param name the dtype as written in a safetensors header; case-sensitive, upper case
     * @return the constant of that name, or {@code null}
     */
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
