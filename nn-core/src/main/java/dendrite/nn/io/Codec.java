package dendrite.nn.io;

import java.nio.ByteBuffer;

/** Converts one element between a safetensors dtype (little-endian bytes) and a float. */
final class Codec {
    private Codec() {
    }

    /** Reads one element of type t at the buffer's position (little-endian) as a float. */
    static float decode(DType t, ByteBuffer b) {
        return switch (t) {
            case BOOL -> b.get() != 0 ? 1f : 0f;
            case U8 -> b.get() & 0xff;
            case I8 -> b.get();
            case I16 -> b.getShort();
            case F16 -> Float.float16ToFloat(b.getShort());
            // bfloat16 is the upper half of a float32's bits.
            case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            case I32 -> b.getInt();
            case F32 -> b.getFloat();
            case F64 -> (float) b.getDouble();
            case I64 -> b.getLong();
        };
    }

    /**
     * Writes one float as type t (little-endian). Integer types round to nearest and saturate at
     * their range; NaN becomes 0 for them, as there is no integer NaN.
     */
    static void encode(DType t, float v, ByteBuffer b) {
        switch (t) {
            case BOOL -> b.put((byte) (v != 0f ? 1 : 0));
            case U8 -> b.put((byte) Math.max(0, Math.min(255, Math.round(v))));
            case I8 -> b.put((byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, Math.round(v))));
            case I16 -> b.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v))));
            case F16 -> b.putShort(Float.floatToFloat16(v));
            case BF16 -> b.putShort(toBfloat16(v));
            case I32 -> b.putInt(Math.round(v));
            case F32 -> b.putFloat(v);
            case F64 -> b.putDouble(v);
            case I64 -> b.putLong(Math.round((double) v));
        }
    }

    /** Rounds a float to bfloat16, to nearest with ties to even, keeping NaN a NaN. */
    static short toBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040);   // set a mantissa bit so truncation cannot make it infinity
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
