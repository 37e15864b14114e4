package dendrite.nn.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An n-dimensional array read from (or to be written to) an IDX file: its element type, its
 * dimensions and its values as the raw big-endian bytes of the file's payload.
 *
 * <p>Keeping the raw bytes means a 60,000-image MNIST file costs 47 MB, not four times that,
 * until it is converted once with {@link #toFloats(float)}.
 */
public final class IdxArray {
    private final IdxType type;
    private final int[] dims;
    private final byte[] payload;
    private final int length;

    IdxArray(IdxType type, int[] dims, byte[] payload) {
        this.type = type;
        this.dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("IDX dimensions must not be negative: " + Arrays.toString(dims));
            }
            n *= d;
            if (n * type.bytes() > payload.length) {
                break;
            }
        }
        if (n * type.bytes() != payload.length) {
            throw new IllegalArgumentException("IDX array of " + type + " and dimensions " + Arrays.toString(dims)
                    + " needs " + n * type.bytes() + " payload bytes, got " + payload.length);
        }
        this.payload = payload;
        this.length = (int) n;
    }

    /** An unsigned-byte array (the MNIST pixel and label type); values are taken modulo 256. */
    public static IdxArray ofUnsignedBytes(int[] dims, int[] values) {
        byte[] p = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = (byte) values[i];
        }
        return new IdxArray(IdxType.UNSIGNED_BYTE, dims, p);
    }

    /** A 32-bit integer array. */
    public static IdxArray ofInts(int[] dims, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return new IdxArray(IdxType.INT, dims, b.array());
    }

    /** A 32-bit float array. */
    public static IdxArray ofFloats(int[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return new IdxArray(IdxType.FLOAT, dims, b.array());
    }

    public IdxType type() {
        return type;
    }

    /** The dimensions, outermost first (e.g. [60000, 28, 28] for MNIST images). */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (the product of the dimensions). */
    public int length() {
        return length;
    }

    /** Element {@code i} of the flattened array, as a float. */
    public float get(int i) {
        int o = i * type.bytes();
        return switch (type) {
            case UNSIGNED_BYTE -> payload[i] & 0xFF;
            case SIGNED_BYTE -> payload[i];
            case SHORT -> (short) (((payload[o] & 0xFF) << 8) | (payload[o + 1] & 0xFF));
            case INT -> ByteBuffer.wrap(payload, o, 4).getInt();
            case FLOAT -> ByteBuffer.wrap(payload, o, 4).getFloat();
            case DOUBLE -> (float) ByteBuffer.wrap(payload, o, 8).getDouble();
        };
    }

    /** All elements as floats, each multiplied by {@code scale} (1/255f turns pixels into [0, 1]). */
    public float[] toFloats(float scale) {
        float[] out = new float[length];
        if (type == IdxType.UNSIGNED_BYTE) {
            for (int i = 0; i < length; i++) {
                out[i] = (payload[i] & 0xFF) * scale;
            }
        } else {
            for (int i = 0; i < length; i++) {
                out[i] = get(i) * scale;
            }
        }
        return out;
    }

    /** All elements as ints; only for integer types (labels). */
    public int[] toInts() {
        if (!type.isInteger()) {
            throw new IllegalStateException("IDX array of " + type + " holds no integers");
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = type == IdxType.INT ? ByteBuffer.wrap(payload, i * 4, 4).getInt() : (int) get(i);
        }
        return out;
    }

    /** The raw big-endian payload. Shared, not copied. */
    byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "IDX " + type + " " + Arrays.toString(dims);
    }
}
