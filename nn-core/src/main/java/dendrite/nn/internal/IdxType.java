package dendrite.nn.internal;

/**
 * The element types of the IDX format (the third byte of an IDX file's magic number).
 * All multi-byte values are big-endian.
 */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The type byte as stored in the file. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the values are whole numbers (labels can be read from them). */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type with this code, or {@code null} when the byte names no IDX type. */
    public static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
